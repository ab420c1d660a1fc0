/**
 * Port scans in public captures, through the real reader, decoder, flow
 * table and contactFromFlow; port counts checked against tshark.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needTools, sharedData } from '../../../test/support/env.js';
import { discoveryDetector } from '../discovery/index.js';
import { sweepDetector } from '../sweep/index.js';
import { portScanDetector } from './index.js';
import { captureContacts, runDetector, tsharkDistinct } from './test-support.js';

const synscan = sharedData('pcaps/ndpi/synscan.pcap');
const vsn = sharedData('pcaps/zeek/nmap-vsn.pcap');
const tshark = needTools('tshark');

test('ndpi synscan.pcap: one port scan of 64.13.134.52 by 172.16.0.8 with every SYN-probed port', {
  skip: synscan.skip || tshark,
}, () => {
  const ports = tsharkDistinct(
    synscan.path,
    'ip.src==172.16.0.8 && tcp.flags.syn==1 && tcp.flags.ack==0',
    'tcp.dstport',
  );
  const { findings } = runDetector(portScanDetector, captureContacts(synscan.path));
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.kind, 'port-scan');
  assert.equal(f.src, '172.16.0.8');
  assert.deepEqual(f.targets.hosts, ['64.13.134.52']);
  assert.equal(f.targets.portCount, ports.size);
  assert.equal(f.targets.estimated, undefined, 'port counts are exact');
  // Open ports answered SYN-ACK; they are named.
  assert.ok(f.outcomes.answered >= 1 && f.answered!.every((a) => a.startsWith('64.13.134.52:')));
  assert.ok(f.outcomes.unanswered > f.outcomes.answered);
  assert.deepEqual(runDetector(sweepDetector, captureContacts(synscan.path)).findings, []);
});

test('zeek nmap-vsn.pcap: an nmap ping scan (ARP to 245 hosts, connects to 80/443 on 7), host discovery and no port scan', {
  skip: vsn.skip || tshark,
}, () => {
  const contacts = captureContacts(vsn.path);
  // Only two TCP ports are ever probed: this capture holds no port scan, whatever its name says.
  const ports = tsharkDistinct(vsn.path, 'tcp.flags.syn==1 && tcp.flags.ack==0', 'tcp.dstport');
  assert.deepEqual([...ports].sort(), ['443', '80']);
  assert.deepEqual(runDetector(portScanDetector, contacts).findings, []);
  const arpTargets = tsharkDistinct(
    vsn.path,
    'arp.opcode==1 && arp.src.proto_ipv4==192.168.1.71',
    'arp.dst.proto_ipv4',
  );
  const [f, ...more] = runDetector(discoveryDetector, contacts).findings;
  assert.equal(more.length, 0);
  assert.equal(f?.kind, 'host-discovery');
  assert.equal(f?.src, '192.168.1.71');
  assert.equal(f?.targets.hostCount, arpTargets.size);
  assert.equal(f?.attrs?.arp, arpTargets.size);
});
