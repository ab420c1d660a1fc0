import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type Disposition, dispositions, type TriState } from '../../schema/alarm.js';
import { buildAlarm } from './build.js';
import { decideAlarm } from './decide.js';
import { builtGroup, unknownSteps } from './testing/steps.js';
import { alarmUid } from './uid.js';

const SCAN = 'ET SCAN Nessus User Agent';
const EXPLOIT = 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)';
const ROM0 = 'ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt (Contains Passwords)';
const BRUTE = 'ET SCAN LibSSH Based Frequent SSH Connections Likely Bruteforce Attack';

test('a firewall block closes the alarm first, whatever else is known', () => {
  const d = decideAlarm(
    builtGroup(EXPLOIT),
    unknownSteps(EXPLOIT, 'exploit', {
      connection: { blocked: 'yes', established: 'no', summary: 'Blocked: 2 deny records' },
      relevance: { applicable: 'yes' },
    }),
  );
  assert.equal(d.disposition, 'blocked');
  assert.equal(d.priority, 'low');
  assert.match(d.conclusion, /was blocked before it reached 192\.0\.2\.10:80 \(Blocked: 2 deny records\)/);
});

test('no connection and no answer: a scan needs no action, an exploit is a failed attempt', () => {
  const patch = { connection: { established: 'no' as const }, response: { answered: 'no' as const } };
  const scan = decideAlarm(builtGroup(SCAN), unknownSteps(SCAN, 'scan', patch));
  assert.deepEqual([scan.disposition, scan.priority], ['no-action', 'low']);
  const exploit = decideAlarm(builtGroup(EXPLOIT), unknownSteps(EXPLOIT, 'exploit', patch));
  assert.deepEqual([exploit.disposition, exploit.priority], ['failed-attempt', 'low']);
  assert.match(exploit.conclusion, /never formed a connection with 192\.0\.2\.10:80: nothing answered/);
});

test('a login after a brute force is a likely compromise: critical from sshd, high when inferred', () => {
  const g = builtGroup(BRUTE, { dstPort: 22, count: 30 });
  const logged = decideAlarm(
    g,
    unknownSteps(BRUTE, 'scan', {
      connection: { established: 'yes' },
      response: { answered: 'yes', loginSucceeded: 'yes', attemptFailed: 'no', basis: 'sshd' },
      relevance: { applicable: 'no' },
    }),
  );
  assert.deepEqual([logged.disposition, logged.priority], ['likely-compromise', 'critical']);
  assert.match(
    logged.conclusion,
    /\(30 alerts\) against 192\.0\.2\.10:22 was followed by a successful login \(sshd's log\)/,
  );
  const inferred = decideAlarm(
    g,
    unknownSteps(BRUTE, 'brute-force', {
      response: { answered: 'yes', loginSucceeded: 'yes', basis: 'session-shape' },
    }),
  );
  assert.deepEqual([inferred.disposition, inferred.priority], ['likely-compromise', 'high']);
});

test('a 200 with a binary body to rom-0 is a likely compromise; a 404 is not', () => {
  const g = builtGroup(ROM0);
  const leaked = decideAlarm(
    g,
    unknownSteps(ROM0, 'exploit', {
      connection: { established: 'yes' },
      response: {
        answered: 'yes',
        attemptFailed: 'no',
        basis: 'http',
        http: { status: 200, contentType: 'application/octet-stream', bodyBytes: 16384 },
      },
    }),
  );
  assert.deepEqual([leaked.disposition, leaked.priority], ['likely-compromise', 'critical']);
  assert.match(
    leaked.conclusion,
    /answered 200 with a application\/octet-stream body: the configuration may have leaked/,
  );
  const failed = decideAlarm(
    g,
    unknownSteps(ROM0, 'exploit', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'yes', basis: 'http', http: { status: 404 } },
    }),
  );
  assert.equal(failed.disposition, 'failed-attempt');
});

test('relevance "no" outranks a failed attempt; a failed attempt on a relevant target is medium', () => {
  const g = builtGroup(EXPLOIT);
  const answered404 = {
    connection: { established: 'yes' as const },
    response: { answered: 'yes' as const, attemptFailed: 'yes' as const, http: { status: 404 } },
  };
  const na = decideAlarm(
    g,
    unknownSteps(EXPLOIT, 'exploit', { ...answered404, relevance: { applicable: 'no', reason: 'runs IIS' } }),
  );
  assert.equal(na.disposition, 'not-applicable');
  assert.match(na.conclusion, /, but runs IIS: not applicable/);
  const relevant = decideAlarm(
    g,
    unknownSteps(EXPLOIT, 'exploit', { ...answered404, relevance: { applicable: 'yes' } }),
  );
  assert.deepEqual([relevant.disposition, relevant.priority], ['failed-attempt', 'medium']);
});

test('a scan answered 404 by a host that does not run its target failed, and says why it is not vulnerable', () => {
  const d = decideAlarm(
    builtGroup(SCAN),
    unknownSteps(SCAN, 'scan', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'yes', http: { status: 404, server: 'nginx' } },
      relevance: { applicable: 'no', targets: [{ product: 'joomla', source: 'msg' }] },
    }),
  );
  assert.deepEqual([d.disposition, d.priority], ['failed-attempt', 'low']);
  assert.match(
    d.conclusion,
    /answered 404: the attempt failed \(not vulnerable: 192\.0\.2\.10 does not run joomla\); block the source/,
  );
});

test('a scan that connected but got no application answer needs no action', () => {
  const d = decideAlarm(
    builtGroup(SCAN),
    unknownSteps(SCAN, 'scan', { connection: { established: 'yes' }, response: { answered: 'no' } }),
  );
  assert.deepEqual([d.disposition, d.priority], ['no-action', 'low']);
});

test('an exploit answered 200 on a target that runs the product is high and needs investigation', () => {
  const d = decideAlarm(
    builtGroup(EXPLOIT),
    unknownSteps(EXPLOIT, 'exploit', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'unknown', http: { status: 200 } },
      relevance: { applicable: 'yes' },
    }),
  );
  assert.deepEqual([d.disposition, d.priority], ['needs-investigation', 'high']);
  assert.match(d.conclusion, /cannot tell whether it worked; investigate\.$/);
});

test('a product-less web rule that only found an HTTP server is not "runs the product"; an SSH server for a brute force is', () => {
  const WEB = 'ET WEB_SERVER base64_decode in UA';
  const http = [{ product: 'http-server', source: 'service', port: 80 }];
  const answered200 = {
    connection: { established: 'yes' as const },
    response: { answered: 'yes' as const, attemptFailed: 'unknown' as const, http: { status: 200 } },
  };
  const web = decideAlarm(
    builtGroup(WEB),
    unknownSteps(WEB, 'web-attack', { ...answered200, relevance: { applicable: 'yes', targets: http } }),
  );
  assert.deepEqual([web.disposition, web.priority], ['needs-investigation', 'medium']);
  const failed = decideAlarm(
    builtGroup(WEB),
    unknownSteps(WEB, 'web-attack', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'yes', http: { status: 404 } },
      relevance: { applicable: 'yes', targets: http },
    }),
  );
  assert.deepEqual([failed.disposition, failed.priority], ['failed-attempt', 'low']);
  const g = builtGroup(BRUTE, { dstPort: 22 });
  const ssh = decideAlarm(
    g,
    unknownSteps(BRUTE, 'brute-force', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'unknown', basis: 'session-shape' },
      relevance: { applicable: 'yes', targets: [{ product: 'ssh-server', source: 'service', port: 22 }] },
    }),
  );
  assert.deepEqual([ssh.disposition, ssh.priority], ['needs-investigation', 'high']);
  // A generic "no" reads as the service, not as an id.
  const SSH_SCAN = 'ET SCAN Potential SSH Scan';
  const closed = decideAlarm(
    builtGroup(SSH_SCAN, { dstPort: 22 }),
    unknownSteps(SSH_SCAN, 'scan', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'yes' },
      relevance: { applicable: 'no', targets: [{ product: 'ssh-server', source: 'service', port: 22 }] },
    }),
  );
  assert.match(closed.conclusion, /192\.0\.2\.10 does not run an SSH server/);
});

test('recommended actions shape the advice, never the disposition', () => {
  const g = builtGroup(SCAN);
  const steps = unknownSteps(SCAN, 'scan', {
    connection: { established: 'yes' },
    response: { answered: 'yes', attemptFailed: 'yes', http: { status: 404 } },
  });
  const without = decideAlarm(g, steps);
  const withActions = decideAlarm(g, steps, [
    { kind: 'suppress', reason: 'r', snippets: [] },
    { kind: 'block-source', reason: 'r', snippets: [] },
    { kind: 'suppress', reason: 'again', snippets: [] },
  ]);
  assert.equal(withActions.disposition, without.disposition);
  assert.match(
    withActions.conclusion,
    /; suppress the signature for this host, and block the source if it is not authorised\.$/,
  );
  const a = buildAlarm(g, steps, {
    recommend: (d) => [
      { kind: d === 'failed-attempt' ? 'suppress' : 'investigate', reason: 'x', snippets: [] },
    ],
  });
  assert.equal(a.actions[0]?.kind, 'suppress');
  assert.match(a.conclusion, /suppress the signature for this host\.$/);
});

test('a hostile Server header cannot break the sentence or reach the terminal raw', () => {
  const d = decideAlarm(
    builtGroup(SCAN),
    unknownSteps(SCAN, 'scan', {
      connection: { established: 'yes' },
      response: {
        answered: 'yes',
        attemptFailed: 'yes',
        http: { status: 404, server: 'evil\u001b[2J\u202e\nX' },
      },
    }),
  );
  assert.doesNotMatch(d.conclusion, /[\u0000-\u001f\u202e]/);
  assert.match(d.conclusion, /evil\\x1b\[2J\\u202e\\x0aX on 192\.0\.2\.10:80/);
});

test('alarm uids are deterministic per rule, source, target and first time', () => {
  const a = builtGroup(SCAN);
  assert.equal(alarmUid(a), alarmUid(builtGroup(SCAN)));
  assert.match(alarmUid(a), /^A[A-Za-z0-9_-]{20}$/);
  assert.notEqual(alarmUid(a), alarmUid(builtGroup(SCAN, { src: '198.51.100.8' })));
  assert.notEqual(alarmUid(a), alarmUid(builtGroup(SCAN, { ts: a.ts + 86400 })));
});

const tri = fc.constantFrom<TriState>('yes', 'no', 'unknown');
test('any combination of tri-states gives one disposition, a priority and one plain sentence', () => {
  fc.assert(
    fc.property(
      fc.record({
        family: fc.constantFrom('scan', 'brute-force', 'exploit', 'web-attack', 'policy', 'other'),
        msg: fc.constantFrom(SCAN, EXPLOIT, ROM0, BRUTE, 'GPL MISC something', ''),
        blocked: tri,
        established: tri,
        answered: tri,
        failed: tri,
        login: fc.option(tri, { nil: undefined }),
        applicable: tri,
        status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
        basis: fc.constantFrom('http', 'sshd', 'weblog', 'session-shape', 'none'),
        server: fc.option(fc.string(), { nil: undefined }),
      }),
      (c) => {
        const d = decideAlarm(
          builtGroup(c.msg),
          unknownSteps(c.msg, c.family, {
            connection: { blocked: c.blocked, established: c.established },
            response: {
              answered: c.answered,
              attemptFailed: c.failed,
              ...(c.login ? { loginSucceeded: c.login } : {}),
              basis: c.basis,
              ...(c.status !== undefined || c.server !== undefined
                ? { http: { status: c.status, server: c.server } }
                : {}),
            },
            relevance: { applicable: c.applicable },
          }),
        );
        assert.ok((dispositions as readonly Disposition[]).includes(d.disposition));
        assert.ok(['low', 'medium', 'high', 'critical'].includes(d.priority));
        assert.match(d.conclusion, /^The .+\.$/s);
        assert.doesNotMatch(d.conclusion, /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        if (c.blocked === 'yes') assert.equal(d.disposition, 'blocked');
      },
    ),
    { numRuns: 2000 },
  );
});
