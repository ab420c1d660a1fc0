import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { eveReader } from '../../read/ids/eve.js';
import { sshdReader } from '../../read/sshd/index.js';
import type { LogReader } from '../../read/syslog/types.js';
import { weblogReader } from '../../read/weblog/index.js';
import { zeekReader } from '../../read/zeek/index.js';
import type { AuthAttempt } from './contact.js';
import { authFromEvent } from './from-event.js';
import { eveLine, eventOf, logEvents } from './testing/log-events.js';

const authOf = (reader: LogReader, line: string) => authFromEvent(eventOf(reader, line));

const eve = eveLine;

const sshd = (msg: string) => `Nov 23 11:12:20 lab-ssh sshd[27444]: ${msg}`;

test('sshd failures, invalid users and successes are login attempts with user and host', () => {
  const f = authOf(sshdReader, sshd('Failed password for root from 10.99.1.67 port 60222 ssh2'));
  assert.deepEqual(
    [f?.src, f?.service, f?.user, f?.result, f?.host, f?.sourceKind],
    ['10.99.1.67', 'ssh', 'root', 'failure', 'lab-ssh', 'sshd'],
  );
  const fi = authOf(
    sshdReader,
    sshd('Failed password for invalid user admin from 10.99.1.67 port 60206 ssh2'),
  );
  assert.equal(fi?.result, 'invalid-user');
  assert.equal(fi?.user, 'admin');
  const inv = authOf(sshdReader, sshd('Invalid user admin from 10.99.1.67 port 60206'));
  assert.equal(inv?.result, 'invalid-user');
  const ok = authOf(sshdReader, sshd('Accepted password for labuser from 10.99.1.80 port 48186 ssh2'));
  assert.equal(ok?.result, 'success');
  assert.equal(ok?.user, 'labuser');
});

test('sshd PAM failure and max-auth lines repeat a logged try, and disconnects are none', () => {
  assert.equal(
    authOf(
      sshdReader,
      sshd(
        'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.99.1.67  user=root',
      ),
    ),
    undefined,
  );
  assert.equal(
    authOf(
      sshdReader,
      sshd(
        'error: maximum authentication attempts exceeded for root from 10.99.1.67 port 60222 ssh2 [preauth]',
      ),
    ),
    undefined,
  );
  assert.equal(
    authOf(sshdReader, sshd('Received disconnect from 10.99.1.67 port 60194:11: Bye Bye [preauth]')),
    undefined,
  );
});

test('Zeek ssh.log auth_success F / T are a failure / a success against the server', () => {
  const line = (ok: boolean) =>
    JSON.stringify({
      _path: 'ssh',
      ts: 1795950740,
      uid: 'C1',
      'id.orig_h': '10.99.1.67',
      'id.orig_p': 60200,
      'id.resp_h': '10.99.0.11',
      'id.resp_p': 22,
      auth_success: ok,
      auth_attempts: 3,
    });
  const f = authOf(zeekReader, line(false));
  assert.equal(f?.result, 'failure');
  assert.equal(f?.dst, '10.99.0.11');
  assert.equal(f?.dstPort, 22);
  assert.equal(f?.service, 'ssh');
  assert.equal(authOf(zeekReader, line(true))?.result, 'success');
});

const nginx = (method: string, uri: string, status: number, user = '-') =>
  `10.99.1.68 - ${user} [23/Nov/2026:11:12:20 +0000] "${method} ${uri} HTTP/1.1" ${status} 153 "-" "curl/7.88.1"`;

test('HTTP 401 is a failed http login with its basic-auth user; 403 is not a login try', () => {
  const a = authOf(weblogReader, nginx('GET', '/admin/', 401, 'bob'));
  assert.equal(a?.result, 'failure');
  assert.equal(a?.service, 'http');
  assert.equal(a?.user, 'bob');
  assert.equal(authOf(weblogReader, nginx('GET', '/admin/', 403)), undefined);
  assert.equal(authOf(weblogReader, nginx('GET', '/', 200)), undefined);
});

test('WordPress form logins: POST wp-login.php 200 fails, 302 succeeds; other actions and GET are none', () => {
  assert.equal(authOf(weblogReader, nginx('POST', '/wp-login.php', 200))?.result, 'failure');
  assert.equal(authOf(weblogReader, nginx('POST', '/blog/wp-login.php', 302))?.result, 'success');
  assert.equal(authOf(weblogReader, nginx('POST', '/wp-login.php?action=lostpassword', 302)), undefined);
  assert.equal(authOf(weblogReader, nginx('GET', '/wp-login.php', 200)), undefined);
  assert.equal(authOf(weblogReader, nginx('POST', '/wp-login.php.bak', 200)), undefined);
});

test('Suricata EVE http 401 is a failed http login against the server', () => {
  const a = authOf(
    eveReader,
    eve({
      event_type: 'http',
      dest_port: 80,
      http: {
        hostname: 'x',
        url: '/admin',
        http_method: 'GET',
        status: 401,
        protocol: 'HTTP/1.1',
        length: 10,
      },
    }),
  );
  assert.equal(a?.result, 'failure');
  assert.equal(a?.dst, '10.99.0.10');
  assert.equal(a?.dstPort, 80);
});

test('lab auth.log: every Failed/Invalid line from the brute forcer is an attempt, one success from the benign client', async () => {
  const attempts = (await logEvents(repoRoot, 'examples/lab/auth.log'))
    .map(authFromEvent)
    .filter((a): a is AuthAttempt => a !== undefined);
  const text = readFileSync(join(repoRoot, 'examples/lab/auth.log'), 'utf8');
  const failLines = text
    .split('\n')
    .filter((l) => /sshd\[\d+\]: (Failed \S+ for|Invalid user) .* from 10\.99\.1\.67 /.test(l));
  const brute = attempts.filter((a) => a.src === '10.99.1.67');
  assert.equal(brute.length, failLines.length);
  assert.equal(brute.length, 28);
  assert.ok(brute.every((a) => a.result !== 'success' && a.service === 'ssh' && a.host === 'lab-ssh'));
  assert.deepEqual([...new Set(brute.map((a) => a.user))].sort(), [
    'admin',
    'labuser',
    'oracle',
    'root',
    'test',
    'ubuntu',
  ]);
  const benign = attempts.filter((a) => a.src === '10.99.1.80');
  assert.deepEqual(
    benign.map((a) => [a.result, a.user]),
    [['success', 'labuser']],
  );
  assert.equal(attempts.length, brute.length + benign.length);
});
