import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needTools, sharedData } from '../../../test/support/env.js';
import type { Contact } from '../core/contact.js';
import { captureContacts, probe, runDetector, tsharkDistinct } from '../port-scan/test-support.js';
import { sweepDetector } from '../sweep/index.js';
import { discoveryDetector } from './index.js';

const T0 = 1_800_000_000;
const src = '198.51.100.9';
const icmp = (n: number, o: Partial<Contact> = {}): Contact[] =>
  Array.from({ length: n }, (_, i) =>
    probe({
      src,
      dst: `10.3.0.${i}`,
      proto: 'icmp',
      icmpType: 8,
      dstPort: -1,
      srcPort: -1,
      ts: T0 + i,
      ...o,
    }),
  );

test('discovery: ICMP echo to 9 silent hosts is quiet, 10 is host discovery with host count and outcomes', () => {
  assert.deepEqual(runDetector(discoveryDetector, icmp(9)).findings, []);
  const cs = icmp(10);
  cs[0] = { ...cs[0]!, outcome: 'answered', respPkts: 1 };
  const [f, ...rest] = runDetector(discoveryDetector, cs).findings;
  assert.equal(rest.length, 0);
  assert.equal(f?.kind, 'host-discovery');
  assert.equal(f?.src, src);
  assert.equal(f?.targets.hostCount, 10);
  assert.equal(f?.targets.proto, 'icmp');
  assert.equal(f?.targets.portCount, 0);
  assert.deepEqual(f?.answered, ['10.3.0.0']);
  assert.equal(f?.outcomes.unanswered, 9);
  assert.match(f!.explanation, /ICMP echo requests to 10 hosts/);
  assert.match(f!.explanation, /1 hosts replied/);
});

test('discovery: answered pings need 25 hosts (a monitoring host pinging 24 live hosts is quiet)', () => {
  const up = { outcome: 'answered' as const, respPkts: 1 };
  assert.deepEqual(runDetector(discoveryDetector, icmp(24, up)).findings, []);
  assert.equal(runDetector(discoveryDetector, icmp(25, up)).findings.length, 1);
});

test('discovery: timestamp and address-mask requests count; echo replies and unreachables do not', () => {
  const ts = icmp(12, { icmpType: 13 });
  const [f] = runDetector(discoveryDetector, ts).findings;
  assert.equal(f?.attrs?.['icmp-timestamp'], 12);
  assert.equal(runDetector(discoveryDetector, icmp(12, { icmpType: 17 })).findings.length, 1);
  assert.deepEqual(runDetector(discoveryDetector, icmp(30, { icmpType: 0 })).findings, []);
  assert.deepEqual(runDetector(discoveryDetector, icmp(30, { icmpType: 3, errorReply: true })).findings, []);
});

test('discovery: nmap -sn style probes (echo + timestamp + ACK 80 to the same hosts) are one finding', () => {
  const hosts = 30;
  const cs: Contact[] = [];
  for (let i = 0; i < hosts; i++) {
    const dst = `10.4.0.${i}`;
    cs.push(probe({ src, dst, proto: 'icmp', icmpType: 8, dstPort: -1, ts: T0 + i }));
    cs.push(probe({ src, dst, proto: 'icmp', icmpType: 13, dstPort: -1, ts: T0 + i }));
    cs.push(probe({ src, dst, flagClass: 'ack', dstPort: 80, outcome: 'rejected', ts: T0 + i }));
  }
  const found = runDetector(discoveryDetector, cs).findings;
  assert.equal(found.length, 1);
  assert.equal(found[0]!.targets.hostCount, hosts);
  assert.equal(found[0]!.targets.proto, 'mixed');
  assert.equal(found[0]!.contacts, 3 * hosts);
  assert.deepEqual(found[0]!.attrs, { 'icmp-echo': hosts, 'icmp-timestamp': hosts, 'tcp-ack': hosts });
});

test('discovery: TCP ACK and empty UDP probes are pings only on at most 2 ports', () => {
  const ack = (ports: number) =>
    Array.from({ length: 30 }, (_, i) =>
      probe({ src, dst: `10.5.0.${i}`, flagClass: 'ack', dstPort: 80 + (i % ports), ts: T0 + i }),
    );
  assert.equal(runDetector(discoveryDetector, ack(2)).findings.length, 1);
  assert.deepEqual(runDetector(discoveryDetector, ack(3)).findings, []);
  const udp = Array.from({ length: 30 }, (_, i) =>
    probe({ src, dst: `10.5.1.${i}`, proto: 'udp', dstPort: 40125, origBytes: 0, ts: T0 + i }),
  );
  assert.equal(runDetector(discoveryDetector, udp).findings[0]?.attrs?.['udp-empty'], 30);
  // With payload the same datagrams ask a service something: a sweep, not a ping.
  const asked = udp.map((c) => ({ ...c, origBytes: 48 }));
  assert.deepEqual(runDetector(discoveryDetector, asked).findings, []);
  assert.equal(runDetector(sweepDetector, asked).findings.length, 1);
});

test('discovery: ARP requests to many hosts', () => {
  const cs = Array.from({ length: 40 }, (_, i) =>
    probe({
      src,
      dst: `10.6.0.${i}`,
      proto: 'arp',
      dstPort: -1,
      srcPort: -1,
      ts: T0 + i,
      outcome: i < 5 ? 'answered' : 'unanswered',
    }),
  );
  const [f] = runDetector(discoveryDetector, cs).findings;
  assert.equal(f?.targets.proto, 'arp');
  assert.equal(f?.targets.hostCount, 40);
  assert.equal(f?.answered?.length, 5);
});

const tshark = needTools('tshark');
const icmpScan = sharedData('pcaps/sweeps/hs-icmpScan.pcap');
const arpScan = sharedData('pcaps/sweeps/hs-arpScan.pcap');
const ackPing = sharedData('pcaps/sweeps/hs-tcp_ackPingSweepRand.pcapng');
const synPing = sharedData('pcaps/sweeps/hs-tcp_synPingSweepRand.pcapng');
const udpPing = sharedData('pcaps/sweeps/hs-udpScan.pcap');

test('hs-icmpScan.pcap: host discovery by 10.0.0.128 over every host tshark sees pinged', {
  skip: icmpScan.skip || tshark,
}, () => {
  const hosts = tsharkDistinct(icmpScan.path, 'icmp.type==8 && ip.src==10.0.0.128', 'ip.dst');
  assert.equal(hosts.size, 256);
  const [f, ...more] = runDetector(discoveryDetector, captureContacts(icmpScan.path)).findings;
  assert.equal(more.length, 0);
  assert.equal(f?.src, '10.0.0.128');
  assert.equal(f?.targets.hostCount, hosts.size);
  assert.equal(f?.targets.estimated, undefined);
  assert.equal(f?.attrs?.['icmp-echo'], hosts.size);
});

test('hs-arpScan.pcap: ARP host discovery by 10.0.0.128', { skip: arpScan.skip || tshark }, () => {
  // Its request for its own address is a gratuitous ARP, not a probe.
  const hosts = tsharkDistinct(
    arpScan.path,
    'arp.opcode==1 && arp.src.proto_ipv4==10.0.0.128 && arp.dst.proto_ipv4!=10.0.0.128',
    'arp.dst.proto_ipv4',
  );
  const [f] = runDetector(discoveryDetector, captureContacts(arpScan.path)).findings;
  assert.equal(f?.src, '10.0.0.128');
  assert.equal(f?.targets.proto, 'arp');
  assert.equal(f?.targets.hostCount, hosts.size);
});

test('hs-tcp_ackPingSweepRand.pcapng: ACK pings to port 80 are host discovery, not a sweep', {
  skip: ackPing.skip || tshark,
}, () => {
  const hosts = tsharkDistinct(ackPing.path, 'tcp.flags==0x010 && tcp.dstport==80', 'ip.dst');
  const contacts = captureContacts(ackPing.path);
  const [f] = runDetector(discoveryDetector, contacts).findings;
  assert.equal(f?.src, '10.0.0.128');
  assert.equal(f?.attrs?.['tcp-ack'], hosts.size);
  assert.deepEqual(f?.targets.ports, [80]);
  assert.deepEqual(runDetector(sweepDetector, contacts).findings, []);
});

test("hs-tcp_synPingSweepRand.pcapng: SYN pings to port 80 are a port-80 sweep (the packets are a sweep's)", {
  skip: synPing.skip || tshark,
}, () => {
  const hosts = tsharkDistinct(synPing.path, 'tcp.flags==0x002 && tcp.dstport==80', 'ip.dst');
  const contacts = captureContacts(synPing.path);
  const [f] = runDetector(sweepDetector, contacts).findings;
  assert.equal(f?.src, '10.0.0.128');
  assert.equal(f?.targets.hostCount, hosts.size);
  assert.deepEqual(f?.targets.ports, [80]);
  assert.deepEqual(runDetector(discoveryDetector, contacts).findings, []);
});

test('hs-udpScan.pcap: empty UDP datagrams to port 40125 (nmap -PU) are host discovery', {
  skip: udpPing.skip || tshark,
}, () => {
  const hosts = tsharkDistinct(udpPing.path, 'udp.dstport==40125 && udp.length==8', 'ip.dst');
  const contacts = captureContacts(udpPing.path);
  const [f] = runDetector(discoveryDetector, contacts).findings;
  assert.equal(f?.src, '246.237.45.150');
  assert.equal(f?.targets.hostCount, hosts.size);
  assert.deepEqual(f?.targets.ports, [40125]);
  assert.deepEqual(runDetector(sweepDetector, contacts).findings, []);
});
