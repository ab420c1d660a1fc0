/**
 * The response table by attack kind, the EVE fallback and session-shape
 * inference, on built evidence (the lab's own cases are in lab.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { groupAlerts } from '../group.js';
import type { HttpAnswer } from './http-answer.js';
import { attackKind, httpMeaning, looksBinary } from './http-meaning.js';
import { responseVerdict } from './verdict.js';

const answer = (over: Partial<HttpAnswer>): HttpAnswer => ({
  basis: 'http',
  status: 200,
  evidence: { kind: 'http', ref: 'C1#0' },
  ...over,
});

test("attack kinds from the seed's rule messages", () => {
  assert.equal(
    attackKind('ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt (Contains Passwords)'),
    'config-download',
  );
  assert.equal(attackKind('GET', undefined, '/rom-0'), 'config-download');
  assert.equal(attackKind('ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)'), 'php-object-injection');
  assert.equal(attackKind('ET SCAN JCE Joomla Scanner'), 'scanner');
  assert.equal(attackKind('ET SCAN Nessus User Agent'), 'scanner');
  assert.equal(
    attackKind('ET SCAN LibSSH Based Frequent SSH Connections Likely Bruteforce Attack'),
    'brute-force',
  );
  assert.equal(attackKind('ET WEB_SERVER something', 'web-application-attack'), 'exploit');
  assert.equal(attackKind('hello'), 'other');
});

test('the table: 400/404 to an exploit or scanner URI failed; 401/403 refused; 5xx choked', () => {
  for (const kind of ['scanner', 'exploit', 'config-download', 'php-object-injection'] as const)
    for (const status of [400, 404])
      assert.equal(httpMeaning(kind, answer({ status })).attemptFailed, 'yes', `${kind} ${status}`);
  const refused = httpMeaning('exploit', answer({ status: 403 }));
  assert.equal(refused.attemptFailed, 'yes');
  assert.match(refused.meaning, /refused/);
  const choked = httpMeaning('exploit', answer({ status: 502 }));
  assert.equal(choked.attemptFailed, 'unknown');
  assert.match(choked.meaning, /choked.*investigate/);
});

test('the table: 200 with a binary body to /rom-0 may have leaked the configuration; an HTML 200 is not called a leak', () => {
  const leak = httpMeaning(
    'config-download',
    answer({ status: 200, bodyBytes: 16384, contentType: 'application/octet-stream' }),
  );
  assert.equal(leak.attemptFailed, 'no');
  assert.match(leak.meaning, /may have leaked/);
  const fromLog = httpMeaning('config-download', answer({ basis: 'weblog', status: 200, bodyBytes: 16384 }));
  assert.equal(fromLog.attemptFailed, 'no', 'a log line has no content type: size decides');
  const page = httpMeaning(
    'config-download',
    answer({ status: 200, bodyBytes: 300, contentType: 'text/html' }),
  );
  assert.equal(page.attemptFailed, 'unknown');
  assert.ok(leak.weight > page.weight);
});

test("the table: 200 to a serialized-PHP UA shows no effect and leaves it to relevance; a scanner's 200 reached a live server", () => {
  const php = httpMeaning('php-object-injection', answer({ status: 200 }));
  assert.equal(php.attemptFailed, 'unknown');
  assert.match(php.meaning, /no effect is shown.*relevance decides/);
  assert.equal(httpMeaning('scanner', answer({ status: 200 })).attemptFailed, 'no');
  assert.equal(httpMeaning('exploit', answer({ status: 200 })).attemptFailed, 'unknown');
  assert.equal(httpMeaning('exploit', answer({ status: -1 })).attemptFailed, 'unknown');
});

test('binary bodies: by content type, else by control bytes in the first bytes', () => {
  assert.equal(looksBinary(answer({ contentType: 'text/html; charset=utf-8' })), 'no');
  assert.equal(looksBinary(answer({ contentType: 'application/octet-stream' })), 'yes');
  assert.equal(looksBinary(answer({ bodyPrefix: '\u0000\u0001rom' })), 'yes');
  assert.equal(looksBinary(answer({ bodyPrefix: '<html>' })), 'no');
  assert.equal(looksBinary(answer({})), 'unknown');
});

const C = '198.51.100.7';
const S = '192.0.2.10';
const T = 1_800_000_000;

function ev(over: Partial<Event>): Event {
  return {
    ts: T,
    uid: 'E',
    type: 'web-access',
    classUid: 4002,
    activityId: 3,
    src: C,
    dst: S,
    message: 'm',
    source: { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 1 },
    ...over,
  };
}

test("EVE: without a capture or access log, the EVE http record of the alert's flow answers", async () => {
  const alert = ev({
    uid: 'A1',
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    srcPort: 40000,
    dstPort: 80,
    proto: 'tcp',
    message: 'ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt (Contains Passwords)',
    http: { method: 'GET', uri: '/rom-0' },
    attrs: { sid: 2018232, gid: 1, flowId: 77, txId: 0, appProto: 'http' },
    ts: T + 0.1,
  });
  const other = ev({
    uid: 'H0',
    http: { uri: '/rom-0', status: 200, bytes: 16384 },
    attrs: { eventType: 'http', flowId: 78, txId: 0 },
    source: { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 2 },
  });
  const mine = ev({
    uid: 'H1',
    http: { uri: '/rom-0', status: 404, bytes: 0 },
    attrs: { eventType: 'http', flowId: 77, txId: 0, contentType: 'text/html' },
    source: { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 3 },
  });
  const [g] = groupAlerts([alert]);
  const v = await responseVerdict(g!, memoryLookup({ events: [alert, other, mine] }));
  assert.equal(v.basis, 'eve');
  assert.equal(v.http?.status, 404);
  assert.equal(v.attemptFailed, 'yes');
  assert.equal(v.evidence[0]?.ref, 'eve.json:3');
});

function session(i: number, over: Partial<FlowRecord> = {}): FlowRecord {
  return {
    ts: T + i * 2,
    uid: `C${i}`,
    origH: C,
    origP: 50000 + i,
    respH: S,
    respP: 22,
    proto: 'tcp',
    service: 'ssh',
    duration: 0.1,
    origBytes: 1400,
    respBytes: 1900,
    connState: 'SF',
    missedBytes: 0,
    history: 'ShADadFf',
    origPkts: 16,
    origIpBytes: 2300,
    respPkts: 14,
    respIpBytes: 2600,
    ipProto: 6,
    origWireBytes: 0,
    respWireBytes: 0,
    communityId: `1:${i}`,
    ...over,
  };
}

test('SSH without sshd logs: a long, heavy session after many short ones suggests a login, said to be inferred', async () => {
  const flows = [
    ...Array.from({ length: 8 }, (_, i) => session(i)),
    session(8, { duration: 600, respBytes: 250_000 }),
  ];
  const alert = ev({
    uid: 'A',
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    srcPort: 50005,
    dstPort: 22,
    proto: 'tcp',
    ts: T + 10.05,
    message: 'ET SCAN LibSSH Based Frequent SSH Connections Likely Bruteforce Attack',
    attrs: { sid: 1, communityId: '1:5' },
    source: { kind: 'pcap', format: 'picket-rules' },
  });
  const [g] = groupAlerts([alert]);
  const v = await responseVerdict(g!, memoryLookup({ flows, events: [alert] }));
  assert.equal(v.basis, 'session-shape');
  assert.equal(v.loginSucceeded, 'yes');
  assert.match(v.meaning, /^Inferred from session shape/);
  assert.equal(v.evidence[0]?.ref, 'C8');

  // The same sessions, all alike: nothing stands out, and absence is not called a failure.
  const alike = await responseVerdict(g!, memoryLookup({ flows: flows.slice(0, 8), events: [alert] }));
  assert.equal(alike.loginSucceeded, 'unknown');
});

test("SSH: sshd lines of another server (client ports not in this pair's sessions) do not count", async () => {
  const flows = [session(0), session(1), session(2)];
  const alert = ev({
    uid: 'A',
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    srcPort: 50001,
    dstPort: 22,
    proto: 'tcp',
    ts: T + 2.05,
    message: 'ssh brute',
    attrs: { sid: 1, communityId: '1:1' },
    source: { kind: 'pcap', format: 'picket-rules' },
  });
  const elsewhere: Event = {
    ...ev({}),
    uid: 'L',
    type: 'login-success',
    classUid: 3002,
    activityId: 1,
    dst: undefined,
    srcPort: 61000,
    user: 'root',
    source: { kind: 'sshd', format: 'openssh', file: 'other-auth.log', line: 4, host: 'other' },
  };
  delete elsewhere.dst;
  const here: Event = {
    ...elsewhere,
    uid: 'L2',
    srcPort: 50002,
    type: 'login-failure',
    source: { ...elsewhere.source, file: 'auth.log' },
  };
  const [g] = groupAlerts([alert]);
  const v = await responseVerdict(g!, memoryLookup({ flows, events: [alert, elsewhere, here] }));
  assert.equal(v.loginSucceeded, 'no');
  assert.equal(v.evidence[0]?.ref, 'auth.log:4');
});

test('SSH: hostile user names from sshd lines are quoted inert in the meaning and the evidence', async () => {
  const flows = [session(0)];
  const alert = ev({
    uid: 'A',
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    srcPort: 50000,
    dstPort: 22,
    proto: 'tcp',
    ts: T + 0.05,
    message: 'ssh brute',
    attrs: { sid: 1, communityId: '1:0' },
    source: { kind: 'pcap', format: 'picket-rules' },
  });
  const user = 'root\u001b]0;pwned\u0007\u202e';
  const line: Event = {
    ...ev({}),
    uid: 'L',
    type: 'login-failure',
    classUid: 3002,
    activityId: 1,
    srcPort: 50000,
    user,
    message: `Failed password for ${user} from ${C}`,
    source: { kind: 'sshd', format: 'openssh', file: 'auth.log', line: 1, host: 'h\u001b[2J' },
  };
  delete line.dst;
  const [g] = groupAlerts([alert]);
  const v = await responseVerdict(g!, memoryLookup({ flows, events: [alert, line] }));
  assert.equal(v.loginSucceeded, 'no');
  assert.match(v.meaning, /users root\\x1b\]0;pwned\\x07\\u202e/);
  for (const t of [v.meaning, ...v.evidence.map((e) => e.note ?? '')])
    assert.doesNotMatch(t, /[\u0000-\u001f\u202e]/);
});
