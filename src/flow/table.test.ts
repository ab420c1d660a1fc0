/**
 * Flow table behaviour: UDP and ICMP semantics, VLAN keys, packet-time
 * timeouts, port reuse, bounded memory, deterministic uids and observers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowRecord } from '../schema/flow.js';
import type { FlowObserver } from './observer.js';
import { F, type PacketSpec, run, tcpPair } from './testing/synth.js';

const udp = (ts: number, src: string, sport: number, dst: string, dport: number, len = 10): PacketSpec => ({
  src,
  dst,
  sport,
  dport,
  proto: 17,
  len,
  ts,
});

test('UDP: request and reply are one SF flow, payload bytes summed', () => {
  const { flows } = run([
    udp(0, '10.0.0.1', 5555, '10.0.0.2', 53, 30),
    udp(0.01, '10.0.0.2', 53, '10.0.0.1', 5555, 80),
  ]);
  assert.equal(flows.length, 1);
  const f = flows[0]!;
  assert.deepEqual(
    [f.connState, f.history, f.origBytes, f.respBytes, f.origIpBytes],
    ['SF', 'Dd', 30, 80, 58],
  );
});

test('UDP: one-way is S0; a reply from a server port seen first flips to ^d and SHR', () => {
  assert.equal(run([udp(0, '10.0.0.1', 5555, '10.0.0.2', 9999)]).flows[0]!.connState, 'S0');
  const f = run([udp(0, '10.0.0.2', 53, '10.0.0.1', 5555)]).flows[0]!;
  assert.deepEqual([f.connState, f.history, f.origH, f.respP], ['SHR', '^d', '10.0.0.1', 53]);
});

test('ICMP: echo request and reply pair into one flow with orig_p = type, resp_p = counterpart', () => {
  const { flows } = run([
    { src: '10.0.0.1', dst: '10.0.0.2', proto: 1, icmpType: 8, icmpCode: 0, len: 56, ts: 0 },
    { src: '10.0.0.2', dst: '10.0.0.1', proto: 1, icmpType: 0, icmpCode: 0, len: 56, ts: 0.001 },
  ]);
  assert.equal(flows.length, 1);
  const f = flows[0]!;
  assert.deepEqual(
    [f.proto, f.origP, f.respP, f.connState, f.origPkts, f.respPkts, f.origBytes],
    ['icmp', 8, 0, 'OTH', 1, 1, 56],
  );
});

test('ICMP: one-way messages use the code as resp_p and are not paired with the reverse direction', () => {
  const { flows } = run([
    { src: '10.0.0.1', dst: '10.0.0.2', proto: 1, icmpType: 3, icmpCode: 3, ts: 0 },
    { src: '10.0.0.2', dst: '10.0.0.1', proto: 1, icmpType: 3, icmpCode: 3, ts: 0.1 },
  ]);
  assert.equal(flows.length, 2);
  assert.deepEqual([flows[0]!.origP, flows[0]!.respP], [3, 3]);
});

test('VLAN is part of the key and of the record', () => {
  const a = udp(0, '10.0.0.1', 5555, '10.0.0.2', 9999);
  const b = { ...udp(0.1, '10.0.0.1', 5555, '10.0.0.2', 9999), vlan: 7 };
  const { flows } = run([a, b]);
  assert.equal(flows.length, 2);
  assert.deepEqual(flows.map((f) => f.vlan).sort(), [7, undefined]);
});

test('IPv6 flows key and format addresses', () => {
  const { flows } = run([
    udp(0, '2001:db8::1', 5555, '2001:db8::2', 9999),
    udp(0.1, '2001:db8::2', 9999, '2001:db8::1', 5555),
  ]);
  assert.equal(flows.length, 1);
  assert.deepEqual(
    [flows[0]!.origH, flows[0]!.respH, flows[0]!.connState],
    ['2001:db8::1', '2001:db8::2', 'SF'],
  );
});

test('UDP inactivity timeout runs in packet time and finishes the flow before the next packet', () => {
  const specs = [
    udp(0, '10.0.0.1', 5555, '10.0.0.2', 9999),
    udp(59, '10.0.0.1', 5555, '10.0.0.2', 9999),
    udp(120, '10.0.0.1', 5555, '10.0.0.2', 9999),
  ];
  const { flows, table } = run(specs);
  assert.equal(flows.length, 2);
  assert.equal(flows[0]!.origPkts, 2);
  assert.equal(table.stats.timedOut, 1);
  assert.equal(run(specs, { udpInactivityTimeout: 30 }).flows.length, 3);
});

test('TCP: an unanswered SYN is finished after the attempt delay; a later SYN starts a new flow', () => {
  const { c } = tcpPair();
  const { flows } = run([c(0, F.SYN, 100), c(3, F.SYN, 100), c(9, F.SYN, 100)]);
  assert.equal(flows.length, 2);
  assert.deepEqual(
    flows.map((f) => f.origPkts),
    [2, 1],
  );
});

test('TCP: a closed connection lingers tcpCloseDelay, then midstream packets start a new flow', () => {
  const { c, s } = tcpPair();
  const base = [
    c(0, F.SYN, 100),
    s(0.1, F.SYN | F.ACK, 5000, 101),
    c(0.2, F.ACK, 101, 5001),
    c(0.3, F.FIN | F.ACK, 101, 5001),
    s(0.4, F.FIN | F.ACK, 5001, 102),
  ];
  assert.equal(run([...base, c(2, F.ACK, 102, 5002)]).flows.length, 1);
  const later = run([...base, c(10, F.ACK, 102, 5002)]).flows;
  assert.equal(later.length, 2);
  assert.equal(later[0]!.connState, 'SF');
});

test('TCP: a new SYN on a closed connection (port reuse) starts a new flow at once', () => {
  const { c, s } = tcpPair();
  const { flows, table } = run([
    c(0, F.SYN, 100),
    s(0.1, F.RST | F.ACK, 0, 101),
    c(0.5, F.SYN, 7777),
    s(0.6, F.SYN | F.ACK, 9000, 7778),
  ]);
  assert.equal(flows.length, 2);
  assert.equal(table.stats.reused, 1);
  assert.equal(flows[0]!.connState, 'REJ');
  assert.equal(flows[1]!.history, 'Sh');
});

test('maxFlows bounds the table: the least-recently-active flow is evicted, emitted and counted', () => {
  const specs = [
    udp(0, '10.0.0.1', 1, '10.0.0.9', 9999),
    udp(1, '10.0.0.2', 1, '10.0.0.9', 9999),
    udp(2, '10.0.0.1', 1, '10.0.0.9', 9999),
    udp(3, '10.0.0.3', 1, '10.0.0.9', 9999),
  ];
  const { flows, table } = run(specs, { maxFlows: 2 });
  assert.equal(table.stats.evicted, 1);
  assert.equal(flows.length, 3);
  assert.equal(flows[0]!.origH, '10.0.0.2', 'the flow idle longest goes first');
  assert.equal(table.stats.peakActive, 2);
});

test('uids are deterministic for the same input and differ by start time', () => {
  const specs = [udp(0, '10.0.0.1', 5555, '10.0.0.2', 9999), udp(100, '10.0.0.1', 5555, '10.0.0.2', 9999)];
  const a = run(specs).flows.map((f) => f.uid);
  const b = run(specs).flows.map((f) => f.uid);
  assert.deepEqual(a, b);
  assert.notEqual(a[0], a[1]);
});

test('uids sort by start time, and flows starting in the same millisecond still differ', () => {
  const specs = [
    udp(0, '10.0.0.1', 5555, '10.0.0.2', 9999),
    udp(0, '10.0.0.1', 5556, '10.0.0.2', 9999),
    udp(0.002, '10.0.0.3', 1, '10.0.0.2', 9999),
    udp(61, '10.0.0.9', 7, '10.0.0.2', 9999),
    udp(3600, '10.0.0.1', 5555, '10.0.0.3', 9999),
  ];
  const flows = run(specs).flows.sort((x, y) => x.ts - y.ts);
  const uids = flows.map((f) => f.uid);
  for (const u of uids) assert.match(u, /^C[0-9A-Za-z]{17}$/);
  assert.equal(new Set(uids).size, uids.length);
  for (let i = 2; i < uids.length; i++) assert.ok(uids[i - 1]! < uids[i]!, `${uids[i - 1]} < ${uids[i]}`);
  assert.equal(uids[0]!.slice(0, 8), uids[1]!.slice(0, 8), 'same millisecond, same time prefix');
});

test('observers see every packet with its direction and name the service', () => {
  const seen: boolean[] = [];
  let ended: FlowRecord | undefined;
  const observe = (): FlowObserver => ({
    packet: (_p, fromOrig) => seen.push(fromOrig),
    services: () => ['dns'],
    end: (f) => {
      ended = f;
    },
  });
  const { flows } = run(
    [udp(0, '10.0.0.2', 53, '10.0.0.1', 5555), udp(0.1, '10.0.0.1', 5555, '10.0.0.2', 53)],
    { observe },
  );
  assert.deepEqual(seen, [false, true]);
  assert.equal(flows[0]!.service, 'dns');
  assert.equal(ended, flows[0]);
});

test('non-IP packets and unreassembled fragments are counted, not keyed', () => {
  const { flows, table } = run([{ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, ts: 0 }]);
  assert.equal(flows.length, 0);
  assert.equal(table.stats.skippedTruncated, 1);
});

test('invalid configuration throws', () => {
  assert.throws(() => run([], { maxFlows: 0 }), /maxFlows/);
});
