/**
 * Application fingerprints: the User-Agent, SSH banner and alert tables, and
 * the fingerprinter on the lab's capture (HTTP transactions, SSH banners),
 * its nginx access log and the ET Open signature messages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot, sharedData } from '../../../test/support/env.js';
import { normalizeLogRecord } from '../../normalize/index.js';
import { readLogFile } from '../../read/logs.js';
import type { Event } from '../../schema/event.js';
import { createProblemLog } from '../../util/problems.js';
import { createAppFingerprinter } from './app.js';
import { toolFromAlertMsg, toolFromSshBanner, toolFromUserAgent } from './app-tables.js';
import { sessionsOfCapture } from './testing/captures.js';

const lab = join(repoRoot, 'examples', 'lab');
const etScan = sharedData('rules/et-open-suricata-5.0/emerging-scan.rules');

test('User-Agent table: scanner and attack tools named, general clients not', () => {
  const named: [string, string, string?][] = [
    ['Mozilla/4.0 (compatible; Nessus)', 'nessus'],
    ['Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', 'nmap', 'nse'],
    ['Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)', 'nikto'],
    ['sqlmap/1.7.2#stable (https://sqlmap.org)', 'sqlmap'],
    ['Mozilla/5.0 zgrab/0.x', 'zgrab'],
    ['BOT/0.1 (BOT for JCE)', 'jce-bot'],
    ['masscan/1.3 (https://github.com/robertdavidgraham/masscan)', 'masscan', 'banner'],
    ['Mozilla/4.0 (Hydra)', 'hydra', 'http'],
    ['WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)', 'wpscan'],
    ['gobuster/3.6', 'gobuster'],
    ['Fuzz Faster U Fool v2.1.0', 'ffuf'],
  ];
  for (const [ua, name, variant] of named) {
    const m = toolFromUserAgent(ua);
    assert.equal(m?.name, name, ua);
    if (variant) assert.equal(m?.variant, variant, ua);
    assert.ok(m?.evidence.includes(ua.slice(0, 20)), 'evidence quotes the string');
  }
  for (const ua of [
    'curl/7.88.1',
    'python-requests/2.31.0',
    'Wget/1.21.3',
    'Go-http-client/1.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
    '',
  ])
    assert.equal(toolFromUserAgent(ua), undefined, ua);
});

test('SSH banner table: whole banners and software parts; OpenSSH and PuTTY are not tools', () => {
  assert.equal(toolFromSshBanner('SSH-2.0-libssh_0.10.6')?.name, 'hydra');
  assert.equal(toolFromSshBanner('SSH-2.0-libssh_0.10.6')?.confidence, 'low');
  assert.equal(toolFromSshBanner('libssh_0.9.6')?.variant, 'libssh');
  assert.equal(toolFromSshBanner('SSH-2.0-libssh2_1.10.0')?.name, 'medusa');
  assert.equal(toolFromSshBanner('SSH-2.0-ZGrab ZGrab SSH Survey')?.name, 'zgrab');
  assert.equal(toolFromSshBanner('SSH-2.0-Go')?.name, 'go-ssh');
  assert.equal(toolFromSshBanner('SSH-2.0-Nmap-SSH2-Hostkey')?.name, 'nmap');
  assert.equal(toolFromSshBanner('SSH-2.0-PUTTY')?.variant, 'fake-putty');
  assert.equal(toolFromSshBanner('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10'), undefined);
  assert.equal(toolFromSshBanner('SSH-2.0-PuTTY_Release_0.80'), undefined);
  assert.equal(toolFromSshBanner('SSH-2.0-Gopher'), undefined);
});

test('alert table: the ET SCAN messages of the lab and of nmap scans', () => {
  const cases: [string, string, string | undefined][] = [
    ['ET SCAN Nessus User Agent', 'nessus', undefined],
    ['ET SCAN Possible Nmap User-Agent Observed', 'nmap', 'nse'],
    ['ET SCAN NMAP -sS window 1024', 'nmap', 'syn'],
    ['ET SCAN NMAP -f -sX', 'nmap', 'xmas'],
    ['ET SCAN NMAP OS Detection Probe', 'nmap', 'os'],
    ['ET SCAN JCE Joomla Scanner', 'jce-bot', undefined],
    ['ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack', 'hydra', 'libssh'],
    ['ET SCAN NETWORK Incoming Masscan detected', 'masscan', undefined],
    ['ET SCAN Zmap User-Agent (Inbound)', 'zmap', undefined],
  ];
  for (const [msg, name, variant] of cases) {
    const m = toolFromAlertMsg(msg);
    assert.equal(m?.name, name, msg);
    assert.equal(m?.variant, variant, msg);
  }
  assert.equal(toolFromAlertMsg('ET SCAN Suspicious inbound to mySQL port 3306'), undefined);
  assert.equal(toolFromAlertMsg('ET EXPLOIT Zyxel rom-0 Configuration File Access'), undefined);
});

test('every ET Open SCAN message that names nmap, nessus, nikto, sqlmap or masscan is attributed to it', {
  skip: etScan.skip,
}, () => {
  const msgs = [...readFileSync(etScan.path, 'utf8').matchAll(/msg:"([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(msgs.length > 100);
  let checked = 0;
  for (const msg of msgs) {
    for (const tool of ['nmap', 'nessus', 'nikto', 'sqlmap', 'masscan']) {
      if (!new RegExp(`\\b${tool}\\b`, 'i').test(msg)) continue;
      checked++;
      assert.equal(toolFromAlertMsg(msg)?.name, tool, msg);
    }
  }
  assert.ok(checked >= 20, `checked ${checked}`);
});

test('lab capture: Nessus, JCE bot and Nmap NSE from 10.99.1.66/68 HTTP; libssh from the hydra host; none from the benign host', () => {
  const { http, ssh } = sessionsOfCapture(join(lab, 'capture.pcap'));
  const app = createAppFingerprinter();
  for (const tx of http) app.http(tx);
  for (const b of ssh) app.ssh(b);
  const tools = app.tools();
  const names = (src: string) => (tools.get(src) ?? []).map((s) => s.name).sort();
  assert.deepEqual(names('10.99.1.68'), ['jce-bot', 'nessus']);
  assert.deepEqual(names('10.99.1.66'), ['nmap']);
  assert.deepEqual(names('10.99.1.67'), ['hydra']);
  assert.equal(tools.get('10.99.1.80'), undefined);
  const nse = tools.get('10.99.1.66')![0]!;
  assert.equal(nse.variant, 'nse');
  assert.equal(nse.count, http.filter((t) => t.userAgent.includes('Nmap Scripting Engine')).length);
  assert.ok(nse.uids.length > 0 && nse.uids.every((u) => http.some((t) => t.uid === u)));
  const hydra = tools.get('10.99.1.67')![0]!;
  assert.equal(hydra.count, ssh.filter((b) => b.origH === '10.99.1.67').length);
  assert.deepEqual(hydra.ports, [22]);
});

test('lab access.log: the same web tools from normalized events, with line evidence', async () => {
  const problems = createProblemLog();
  const events: Event[] = [];
  await readLogFile(join(lab, 'access.log'), problems, (rec, _reader, ctx) => {
    const e = normalizeLogRecord(rec, { file: ctx.file, line: ctx.line });
    if (e) events.push(e);
  });
  const app = createAppFingerprinter();
  for (const e of events) app.event(e);
  const byName = new Map((app.tools().get('10.99.1.68') ?? []).map((s) => [s.name, s]));
  assert.ok(byName.has('nessus') && byName.has('jce-bot'));
  const nse = app
    .tools()
    .get('10.99.1.66')
    ?.find((s) => s.name === 'nmap');
  const expected = readFileSync(join(lab, 'access.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('Nmap Scripting Engine')).length;
  assert.equal(nse?.count, expected);
  assert.deepEqual(nse?.files, [join(lab, 'access.log')]);
  assert.equal(app.tools().get('10.99.1.80'), undefined);
});

test('alert events name tools from their signature message', () => {
  const app = createAppFingerprinter();
  const alert = (src: string, msg: string, uid: string): Event => ({
    ts: 1795950740,
    uid,
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    src,
    dst: '10.99.0.11',
    dstPort: 22,
    proto: 'tcp',
    message: msg,
    source: { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 1 },
    attrs: { signature: msg },
  });
  app.event(
    alert('10.99.1.67', 'ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack', 'A1'),
  );
  app.event(
    alert('10.99.1.67', 'ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack', 'A2'),
  );
  app.event(alert('10.99.1.67', 'ET POLICY SSH session in progress on Expected Port', 'A3'));
  const h = app.tools().get('10.99.1.67');
  assert.equal(h?.length, 1);
  assert.equal(h![0]!.count, 2);
  assert.deepEqual(h![0]!.uids, ['A1', 'A2']);
  assert.equal(app.stats().seen, 3);
  assert.equal(app.stats().matched, 2);
});

test('random strings never throw and stay fast; a flood of sources stays under the budget', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 2000 }), fc.string({ unit: 'binary', maxLength: 600 }), (a, b) => {
      for (const s of [a, b, `SSH-2.0-${a}`, `Mozilla/5.0 ${b}`]) {
        toolFromUserAgent(s);
        toolFromSshBanner(s);
        toolFromAlertMsg(s);
      }
    }),
    { numRuns: 500 },
  );
  const app = createAppFingerprinter({ budgetBytes: 64 * 1024 });
  for (let i = 0; i < 5000; i++)
    app.http({
      ts: i,
      uid: `C${i}`,
      origH: `10.2.${i >> 8}.${i & 255}`,
      origP: 40000,
      respH: '10.0.0.1',
      respP: 80,
      transDepth: 0,
      method: 'GET',
      uri: '/',
      version: '1.1',
      host: 'x',
      userAgent: 'sqlmap/1.7',
      requestHeaders: [],
      requestBodyLen: 0,
      requestBodyPrefix: '',
      statusCode: 200,
      statusMsg: 'OK',
      responseHeaders: [],
      responseBodyLen: 0,
      responseBodyPrefix: '',
      responseContentType: '',
      server: '',
    });
  const s = app.stats();
  assert.ok(s.bytes <= 64 * 1024);
  assert.equal(s.matched, 5000);
  assert.equal(s.sources + s.dropped, 5000);
  assert.ok(s.dropped > 0);
});
