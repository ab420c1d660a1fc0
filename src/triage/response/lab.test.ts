/**
 * Step 3 on the lab's real traffic (examples/lab): what nginx answered each
 * seed case (capture, then access log, then EVE) and whether hydra's or the
 * benign client's SSH login succeeded (auth.log, then session shape).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { groupWithSid, labEvidence } from '../../../test/support/triage-lab.js';
import { loadRules } from '../../rules/load.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { type AlertGroup, groupAlerts } from '../group.js';
import { responseVerdict } from './verdict.js';

let flows: FlowRecord[] = [];
let events: Event[] = [];
let http: HttpTransaction[] = [];
let ssh: SshBanner[] = [];
let groups: AlertGroup[] = [];
let eveAlerts: Event[] = [];

before(async () => {
  ({ flows, events, http, ssh, groups, eveAlerts } = await labEvidence({ eveAlerts: true }));
});

const group = (sid: number): AlertGroup => groupWithSid(groups, sid);

function alertAt(src: string, dst: string, dstPort: number, ts: number, srcPort?: number): Event {
  return {
    ts,
    uid: `T${src}-${dst}-${dstPort}-${ts}`,
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    src,
    dst,
    dstPort,
    ...(srcPort !== undefined ? { srcPort } : {}),
    proto: 'tcp',
    message: 'built alert',
    source: { kind: 'pcap', format: 'picket-rules' },
    attrs: { sid: 1, gid: 1 },
  };
}

const rulesById = () => loadRules([join(repoRoot, 'rules')]).rules;
const full = () => memoryLookup({ flows, http, ssh, events, rules: rulesById() });
/** The same site without a capture: logs, NetFlow and the alerts only. */
const noCapture = () => memoryLookup({ events, rules: rulesById() });
const noAuthLog = () =>
  memoryLookup({ flows, http, ssh, events: events.filter((e) => !e.source.file?.endsWith('auth.log')) });

const seedHttp = [
  {
    sid: 9900008,
    what: 'JCE scanner UA',
    status: 404,
    failed: 'yes',
    meaning: /found nothing there; the attempt failed/,
  },
  { sid: 9900101, what: 'JCE com_jce probe', status: 404, failed: 'yes', meaning: /attempt failed/ },
  { sid: 9900001, what: 'Nessus UA', status: 200, failed: 'no', meaning: /reached a live web server/ },
  {
    sid: 9900104,
    what: 'ZyXEL rom-0 request',
    status: 404,
    failed: 'yes',
    meaning: /no such resource .*attempt failed/,
  },
  {
    sid: 9900102,
    what: 'Joomla serialized-PHP UA',
    status: 200,
    failed: 'unknown',
    meaning: /no effect is shown.*Joomla/,
  },
] as const;

for (const c of seedHttp) {
  test(`lab: the ${c.what} was answered ${c.status} by nginx, read from the capture`, async () => {
    const lookup = full();
    const g = group(c.sid);
    const v = await responseVerdict(g, lookup, lookup.rule(c.sid));
    assert.equal(v.basis, 'http');
    assert.equal(v.answered, 'yes');
    assert.equal(v.http?.status, c.status);
    assert.match(v.http?.server ?? '', /^nginx\//);
    assert.equal(v.http?.contentType, 'text/html');
    assert.equal(v.attemptFailed, c.failed);
    assert.match(v.meaning, c.meaning);
    // The evidence is the transaction on the alert's own connection.
    const own = flows.find((f) => f.communityId === g.alerts[0]!.attrs!.communityId)!;
    assert.equal(v.evidence[0]!.ref, `${own.uid}#0`);
    const tx = http.find((t) => t.uid === own.uid)!;
    assert.equal(v.http?.bodyBytes, tx.responseBodyLen);
  });

  test(`lab: without the capture, nginx's access log gives the ${c.what} the same answer`, async () => {
    const lookup = noCapture();
    const v = await responseVerdict(group(c.sid), lookup, lookup.rule(c.sid));
    assert.equal(v.basis, 'weblog');
    assert.equal(v.http?.status, c.status);
    assert.equal(v.http?.server, undefined, 'a combined log line has no Server header');
    assert.equal(v.attemptFailed, c.failed);
    const line = events.find((e) => `${e.source.file}:${e.source.line}` === v.evidence[0]!.ref)!;
    assert.ok(line, v.evidence[0]!.ref);
    assert.equal(line.src, '10.99.1.68');
    assert.equal(line.http?.status, c.status);
  });
}

test('lab: the access-log line chosen for each same-second request to / is the one with the alerted User-Agent', async () => {
  const lookup = noCapture();
  const ua = async (sid: number) => {
    const v = await responseVerdict(group(sid), lookup, lookup.rule(sid));
    return (
      events.find((e) => `${e.source.file}:${e.source.line}` === v.evidence[0]!.ref)?.http?.userAgent ?? ''
    );
  };
  assert.match(await ua(9900001), /Nessus/);
  assert.match(await ua(9900102), /JDatabaseDriverMysqli/);
  assert.match(await ua(9900008), /BOT for JCE/);
});

test('lab: hydra got no login: auth.log names the users it tried and no success', async () => {
  const v = await responseVerdict(group(9900201), full());
  assert.equal(v.basis, 'sshd');
  assert.equal(v.loginSucceeded, 'no');
  assert.equal(v.attemptFailed, 'yes');
  assert.equal(v.answered, 'yes');
  for (const u of ['labuser', 'admin', 'root']) assert.match(v.meaning, new RegExp(`\\b${u}\\b`));
  assert.match(v.meaning, /OpenSSH_9\.2p1/);
  const lines = v.evidence.filter((e) => e.kind === 'log-line');
  assert.ok(lines.length > 0);
  for (const l of lines) assert.match(l.ref, /auth\.log:\d+$/);
});

test("lab: without auth.log, hydra's seven alike sessions say unknown (inferred from shape), never no", async () => {
  const v = await responseVerdict(group(9900201), noAuthLog());
  assert.equal(v.basis, 'session-shape');
  assert.equal(v.loginSucceeded, 'unknown');
  assert.match(v.meaning, /No sshd log; 7 SSH sessions, all short and alike/);
});

test("built: the benign client's login succeeded, from auth.log, naming user and time; without auth.log unknown", async () => {
  const s = flows.find((f) => f.origH === '10.99.1.80' && f.respP === 22)!;
  const [g] = groupAlerts([alertAt(s.origH, s.respH, 22, s.ts + 0.1, s.origP)]);
  const v = await responseVerdict(g!, full());
  assert.equal(v.basis, 'sshd');
  assert.equal(v.loginSucceeded, 'yes');
  assert.equal(v.attemptFailed, 'no');
  assert.match(
    v.meaning,
    /accepted a login for labuser from 10\.99\.1\.80 on lab-ssh at 2026-11-23T11:12:28Z/,
  );
  const accepted = events.find((e) => e.type === 'login-success')!;
  assert.equal(v.evidence[0]!.ref, `${accepted.source.file}:${accepted.source.line}`);

  const blind = await responseVerdict(g!, noAuthLog());
  assert.notEqual(blind.basis, 'sshd');
  assert.equal(blind.loginSucceeded, 'unknown');
  assert.match(blind.meaning, /too few to compare/);
});

test('lab: the NULL probe got nothing back; silence to a probe without SYN is not called a failure', async () => {
  const v = await responseVerdict(group(9900305), full());
  assert.equal(v.answered, 'no');
  assert.equal(v.basis, 'flow');
  assert.equal(v.attemptFailed, 'unknown');
});

test("lab: alerts read from an EVE file get the same answers as the engine's own", async () => {
  assert.ok(eveAlerts.length > 0 && eveAlerts.every((a) => a.source.kind === 'eve'));
  const others = events.filter((e) => e.type !== 'ids-alert');
  const rules = rulesById();
  const lookup = memoryLookup({ flows, http, ssh, events: [...others, ...eveAlerts], rules });
  for (const c of seedHttp) {
    const g = groupAlerts(eveAlerts).find((x) => x.sid === c.sid)!;
    const v = await responseVerdict(g, lookup, lookup.rule(c.sid));
    assert.deepEqual([v.basis, v.http?.status, v.attemptFailed], ['http', c.status, c.failed], g.msg);
  }
  const hydra = groupAlerts(eveAlerts).find((x) => x.sid === 9900201)!;
  assert.equal((await responseVerdict(hydra, lookup)).loginSucceeded, 'no');
});
