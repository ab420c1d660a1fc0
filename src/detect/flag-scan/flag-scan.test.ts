import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contact } from '../core/contact.js';
import { portScanDetector } from '../port-scan/index.js';
import { firewallContacts, probe, runDetector } from '../port-scan/test-support.js';
import { flagScanDetector } from './index.js';

const T0 = 1_800_000_000;
const src = '198.51.100.30';
const flagged = (n: number, flagClass: Contact['flagClass'], o: Partial<Contact> = {}): Contact[] =>
  Array.from({ length: n }, (_, i) =>
    probe({ src, dst: '10.8.0.1', dstPort: 20 + i, srcPort: 2000 + i, flagClass, ts: T0 + i, ...o }),
  );

test('flag scan: one NULL probe is quiet, two make a finding with the variant, counts and reading', () => {
  assert.deepEqual(runDetector(flagScanDetector, flagged(1, 'null')).findings, []);
  const cs = flagged(2, 'null');
  cs[1] = { ...cs[1]!, outcome: 'rejected', respPkts: 1 };
  const [f, ...more] = runDetector(flagScanDetector, cs).findings;
  assert.equal(more.length, 0);
  assert.equal(f?.kind, 'flag-scan');
  assert.equal(f?.attrs?.flagClass, 'null');
  assert.equal(f?.attrs?.closed, 1);
  assert.equal(f?.attrs?.openOrFiltered, 1);
  assert.equal(f?.targets.portCount, 2);
  assert.equal(f?.severityId, 2);
  assert.match(f!.explanation, /NULL \(no flags\)/);
  assert.match(
    f!.explanation,
    /closed ports answer RST \(1\), open or filtered ones stay silent \(1: 10\.8\.0\.1:20\)/,
  );
});

test('flag scan: one FIN and one Xmas from the same source are two findings (NULL/FIN/Xmas counted together)', () => {
  const cs = [...flagged(1, 'fin'), ...flagged(1, 'xmas', { dstPort: 90, ts: T0 + 5 })];
  const found = runDetector(flagScanDetector, cs).findings;
  assert.deepEqual(found.map((f) => f.attrs?.flagClass).sort(), ['fin', 'xmas']);
  assert.ok(found.every((f) => /2 NULL, FIN or Xmas probes/.test(f.explanation)));
  assert.notEqual(found[0]!.uid, found[1]!.uid);
});

test('flag scan: ACK and Maimon probes need 10 ports with mostly failed probes', () => {
  assert.deepEqual(runDetector(flagScanDetector, flagged(9, 'ack', { outcome: 'rejected' })).findings, []);
  const [f] = runDetector(flagScanDetector, flagged(10, 'ack', { outcome: 'rejected' })).findings;
  assert.equal(f?.attrs?.flagClass, 'ack');
  assert.match(f!.explanation, /RST means the port is unfiltered/);
  assert.equal(runDetector(flagScanDetector, flagged(10, 'maimon')).findings[0]?.attrs?.flagClass, 'maimon');
  // Answered ACKs are a conversation, not a scan.
  assert.deepEqual(runDetector(flagScanDetector, flagged(12, 'ack', { outcome: 'answered' })).findings, []);
});

test('flag scan: lone ACK / FIN-ACK from a service port to client ports are session tails, not probes', () => {
  const tails = Array.from({ length: 30 }, (_, i) =>
    probe({
      src,
      dst: '10.8.0.2',
      srcPort: 443,
      dstPort: 40000 + i,
      flagClass: i % 2 ? 'ack' : 'maimon',
      outcome: 'rejected',
      ts: T0 + i,
    }),
  );
  assert.deepEqual(runDetector(flagScanDetector, tails).findings, []);
});

test('flag scan: flag probes are not counted by the port-scan detector (one family per probe)', () => {
  const cs = flagged(30, 'xmas');
  assert.equal(runDetector(flagScanDetector, cs).findings.length, 1);
  assert.deepEqual(runDetector(portScanDetector, cs).findings, []);
});

const ipt = (sec: number, dpt: number, flags: string) =>
  `Nov 23 11:12:${String(sec).padStart(2, '0')} gw kernel: [ 4926.4] PICKET-DENY IN=eth0 OUT=eth1 SRC=10.99.1.66 DST=10.99.0.10 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=${2000 + dpt} DPT=${dpt} WINDOW=512 RES=0x00 ${flags}URGP=0`;

test('flag scan from iptables LOG lines: NULL, FIN and Xmas words give three blocked flag scans', () => {
  const lines = [
    ipt(16, 80, ''),
    ipt(16, 81, ''),
    ipt(17, 80, 'FIN '),
    ipt(17, 81, 'FIN '),
    ipt(18, 80, 'URG PSH FIN '),
    ipt(18, 81, 'URG PSH FIN '),
    ipt(19, 22, 'SYN '),
  ];
  const contacts = firewallContacts(lines);
  assert.equal(contacts.length, lines.length);
  const found = runDetector(flagScanDetector, contacts, { sourceKind: 'firewall' }).findings;
  assert.deepEqual(found.map((f) => f.attrs?.flagClass).sort(), ['fin', 'null', 'xmas']);
  for (const f of found) {
    assert.equal(f.src, '10.99.1.66');
    assert.equal(f.sourceKind, 'firewall');
    assert.equal(f.outcomes.blocked, 2);
    assert.deepEqual([...f.targets.ports].sort(), [80, 81]);
    assert.equal(f.evidence.files[0], 'firewall.log');
  }
});
