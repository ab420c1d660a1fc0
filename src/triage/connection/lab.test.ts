/**
 * Step 1 on the lab's real traffic (examples/lab): each seed case's alert
 * group against the capture, then against NetFlow alone, then firewall logs.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { groupWithSid, labEvidence } from '../../../test/support/triage-lab.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { type AlertGroup, groupAlerts } from '../group.js';
import { memoryLookup } from './testing/memory-lookup.js';
import { connectionVerdict } from './verdict.js';

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

function alertAt(
  src: string,
  dst: string,
  dstPort: number,
  ts: number,
  proto = 'tcp',
  srcPort?: number,
): Event {
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
    proto,
    message: 'built alert',
    source: { kind: 'pcap', format: 'picket-rules' },
    attrs: { sid: 1, gid: 1 },
  };
}

const withoutCapture = () => memoryLookup({ events });
const full = () => memoryLookup({ flows, http, ssh, events });

for (const [sid, what] of [
  [9900008, 'JCE scanner UA'],
  [9900001, 'Nessus UA'],
  [9900104, 'rom-0 request'],
  [9900102, 'Joomla serialized-PHP UA'],
  [9900201, 'hydra libssh brute force'],
] as const) {
  test(`lab: the ${what} (sid ${sid}) formed a connection and payload passed both ways`, async () => {
    const g = group(sid);
    const v = await connectionVerdict(g, full());
    assert.equal(v.established, 'yes', v.summary);
    assert.equal(v.dataExchanged, 'yes', v.summary);
    assert.equal(v.blocked, 'no');
    assert.deepEqual(v.basis, ['pcap']);
    // The alert's own connection, found by its Community ID, carries the counts.
    const own = flows.find((f) => f.communityId === g.alerts[0]!.attrs!.communityId)!;
    assert.equal(v.evidence[0]!.ref, own.uid);
    assert.match(v.evidence[0]!.note!, /matched by community-id/);
    assert.equal(v.packetsToServer, own.origPkts);
    assert.equal(v.packetsToClient, own.respPkts);
    assert.equal(v.bytesToServer, own.origIpBytes);
    assert.equal(v.bytesToClient, own.respIpBytes);
    assert.ok(v.packetsToServer! + v.packetsToClient! > 3);
  });

  test(`lab: NetFlow alone agrees with the capture for the ${what}`, async () => {
    const g = group(sid);
    const cap = await connectionVerdict(g, full());
    const nf = await connectionVerdict(g, withoutCapture());
    assert.deepEqual(nf.basis, ['netflow']);
    assert.equal(nf.established, cap.established, nf.summary);
    assert.equal(nf.dataExchanged, cap.dataExchanged, nf.summary);
    assert.equal(nf.packetsToServer, cap.packetsToServer);
    assert.equal(nf.packetsToClient, cap.packetsToClient);
    assert.equal(nf.bytesToServer, cap.bytesToServer);
    assert.equal(nf.bytesToClient, cap.bytesToClient);
    assert.equal(nf.evidence[0]!.kind, 'netflow');
  });
}

test('lab: the NULL and Xmas probes to port 80 were never answered: not established', async () => {
  for (const sid of [9900305, 9900304]) {
    const g = group(sid);
    for (const lookup of [full(), withoutCapture()]) {
      const v = await connectionVerdict(g, lookup);
      assert.equal(v.established, 'no', v.summary);
      assert.equal(v.dataExchanged, 'no');
      assert.equal(v.packetsToClient, 0);
      assert.ok((v.packetsToServer ?? 0) <= 3);
      assert.match(v.summary, /^Not established/);
    }
  }
});

test('built: masscan SYN to a dark address the firewall dropped: blocked, deny lines listed, no capture flow', async () => {
  // 10.99.0.23 is behind the gateway's DROP rule (lab.json): firewall.log has the line, the capture nothing.
  const deny = events.find((e) => e.type === 'firewall-deny' && e.dst === '10.99.0.23' && e.dstPort === 22)!;
  assert.ok(deny, 'the lab firewall log denies 10.99.0.23:22');
  assert.equal(flows.filter((f) => f.respH === '10.99.0.23').length, 0);
  const [g] = groupAlerts([alertAt('10.99.1.66', '10.99.0.23', 22, deny.ts + 0.5, 'tcp', deny.srcPort)]);
  const v = await connectionVerdict(g!, full());
  assert.equal(v.blocked, 'yes', v.summary);
  assert.equal(v.established, 'no');
  assert.equal(v.dataExchanged, 'no');
  assert.equal(v.packetsToServer, undefined);
  assert.ok(v.basis.includes('firewall'));
  const line = v.evidence.find((e) => e.kind === 'log-line');
  assert.equal(line?.ref, `${deny.source.file}:${deny.source.line}`);
  assert.match(v.summary, /^Blocked: 1 deny record for 10\.99\.1\.66 → 10\.99\.0\.23:22/);
});

test('built: a deny on another port does not block this one', async () => {
  const deny = events.find((e) => e.type === 'firewall-deny' && e.dst === '10.99.0.23' && e.dstPort === 22)!;
  const [g] = groupAlerts([alertAt('10.99.1.66', '10.99.0.23', 8080, deny.ts + 0.5)]);
  const v = await connectionVerdict(g!, full());
  assert.equal(v.blocked, 'unknown');
  assert.equal(v.established, 'unknown');
  assert.match(v.summary, /^Unknown/);
  // The deny on port 22 is listed as a related event, not counted.
  const related = v.evidence.find((e) => e.ref === `${deny.source.file}:${deny.source.line}`);
  assert.match(related?.note ?? '', /^related: iptables denied tcp 10\.99\.1\.66:\d+ -> 10\.99\.0\.23:22/);
});

test('built: masscan SYN to a silent inside address: unanswered, not established', async () => {
  const s0 = flows.find((f) => f.respH === '10.99.0.8' && f.respP === 22 && f.connState === 'S0')!;
  assert.ok(s0, 'the capture has the unanswered SYN to 10.99.0.8:22');
  const [g] = groupAlerts([alertAt(s0.origH, s0.respH, 22, s0.ts, 'tcp', s0.origP)]);
  const v = await connectionVerdict(g!, full());
  assert.equal(v.established, 'no');
  assert.equal(v.dataExchanged, 'no');
  assert.equal(v.blocked, 'unknown');
  assert.equal(v.packetsToServer, s0.origPkts);
  assert.equal(v.packetsToClient, 0);
  assert.match(v.evidence[0]!.note!, /nothing came back|no answer/);
});

test('built: masscan SYN answered by sshd on 10.99.0.11 and reset by the scanner: open port, never established', async () => {
  const half = flows.find((f) => f.origH === '10.99.1.66' && f.respH === '10.99.0.11' && f.respP === 22)!;
  assert.equal(half.history, 'ShR');
  const [g] = groupAlerts([alertAt(half.origH, half.respH, 22, half.ts, 'tcp', half.origP)]);
  const v = await connectionVerdict(g!, full());
  assert.equal(v.established, 'no', v.summary);
  assert.match(v.summary, /SYN-ACK but the client never completed/);
  assert.equal(v.packetsToServer! + v.packetsToClient!, half.origPkts + half.respPkts);
});

test('built: UDP to port 7 refused with ICMP port unreachable (the benign datagram)', async () => {
  const udp = flows.find((f) => f.proto === 'udp' && f.respH === '10.99.0.12' && f.respP === 7)!;
  const [g] = groupAlerts([alertAt(udp.origH, udp.respH, 7, udp.ts, 'udp', udp.origP)]);
  const v = await connectionVerdict(g!, full());
  assert.equal(v.established, 'no', v.summary);
  assert.equal(v.dataExchanged, 'no');
  assert.match(v.summary, /ICMP unreachable/);
});

test('built: alerts in no record at all say unknown, never no', async () => {
  const [g] = groupAlerts([alertAt('192.0.2.1', '192.0.2.2', 80, 1795432340)]);
  const v = await connectionVerdict(g!, full());
  assert.deepEqual(
    [v.established, v.dataExchanged, v.blocked, v.basis, v.evidence],
    ['unknown', 'unknown', 'unknown', [], []],
  );
});

test("lab: alerts read from an EVE file get the same verdicts as the engine's own", async () => {
  assert.equal(
    eveAlerts.length,
    groups.reduce((n, g) => n + g.count, 0),
  );
  assert.ok(eveAlerts.every((a) => a.source.kind === 'eve'));
  const others = events.filter((e) => e.type !== 'ids-alert');
  const lookup = memoryLookup({ flows, http, ssh, events: [...others, ...eveAlerts] });
  for (const g of groupAlerts(eveAlerts)) {
    const mine = groups.find((x) => x.key === g.key)!;
    assert.ok(mine, g.key);
    const a = await connectionVerdict(g, lookup);
    const b = await connectionVerdict(mine, full());
    assert.deepEqual(
      [a.established, a.dataExchanged, a.blocked, a.packetsToServer, a.packetsToClient, a.evidence[0]?.ref],
      [b.established, b.dataExchanged, b.blocked, b.packetsToServer, b.packetsToClient, b.evidence[0]?.ref],
      g.msg,
    );
    assert.match(a.evidence[0]!.note!, /matched by community-id/);
  }
});
