import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contact } from '../core/contact.js';
import { sweepDetector } from '../sweep/index.js';
import { portScanDetector } from './index.js';
import { probe, runDetector } from './test-support.js';

const T0 = 1_800_000_000;
const src = '198.51.100.7';

/** `n` probes from src to distinct ports of one host, one second apart. */
function vertical(n: number, o: Partial<Contact> = {}, host = '10.0.0.5', port0 = 1000): Contact[] {
  return Array.from({ length: n }, (_, i) => probe({ src, dst: host, dstPort: port0 + i, ts: T0 + i, ...o }));
}

test('port scan: 2 failed ports on a host stay quiet, 3 make a port scan (default); at 4 the same holds one up', () => {
  assert.deepEqual(runDetector(portScanDetector, vertical(2)).findings, []);
  assert.equal(runDetector(portScanDetector, vertical(3)).findings.length, 1);
  const four = { config: { portScanMinPortsFailing: 4 } };
  assert.deepEqual(runDetector(portScanDetector, vertical(3), four).findings, []);
  const cs = vertical(4);
  cs[0] = { ...cs[0]!, outcome: 'rejected' };
  const { findings, stats } = runDetector(portScanDetector, cs, four);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.kind, 'port-scan');
  assert.equal(f.src, src);
  assert.deepEqual(f.targets.hosts, ['10.0.0.5']);
  assert.equal(f.targets.portCount, 4);
  assert.deepEqual(f.targets.ports, [1000, 1001, 1002, 1003]);
  assert.equal(f.contacts, 4);
  assert.equal(f.outcomes.rejected, 1);
  assert.equal(f.outcomes.unanswered, 3);
  assert.equal(f.severityId, 2, 'refusals only: low');
  assert.match(f.explanation, /4 distinct ports/);
  assert.match(f.explanation, /4 probes: 1 rejected, 3 unanswered/);
  assert.equal(stats.findings, 1);
});

test('port scan: answered probes need the higher threshold (14 ports quiet, 15 a scan, severity medium)', () => {
  const answered = { outcome: 'answered' as const, respPkts: 1 };
  assert.deepEqual(runDetector(portScanDetector, vertical(14, answered)).findings, []);
  const [f] = runDetector(portScanDetector, vertical(15, answered)).findings;
  assert.equal(f?.targets.portCount, 15);
  assert.equal(f?.severityId, 3);
  assert.equal(f?.answered?.length, 15);
  assert.ok(f?.answered?.includes('10.0.0.5:1000'));
});

test('port scan: sessions that carried data and flag probes are not connection probes', () => {
  const sessions = vertical(20, { established: true, outcome: 'answered', origBytes: 300, respBytes: 5000 });
  const nulls = vertical(20, { flagClass: 'null' });
  assert.deepEqual(runDetector(portScanDetector, [...sessions, ...nulls]).findings, []);
  // A connect-scan handshake without data still counts.
  const connects = vertical(15, { established: true, outcome: 'answered' });
  assert.equal(runDetector(portScanDetector, connects).findings.length, 1);
});

test('block scan: 3 hosts with 20 ports each is ONE block-scan finding, no port scans, no sweep', () => {
  const cs = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].flatMap((h, k) =>
    vertical(20, { ts: T0 + k * 20 }, h).map((c, i) => ({ ...c, ts: T0 + k * 20 + i })),
  );
  const { findings } = runDetector(portScanDetector, cs);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.kind, 'block-scan');
  assert.equal(findings[0]!.targets.hostCount, 3);
  assert.equal(findings[0]!.targets.portCount, 20);
  assert.match(findings[0]!.explanation, /3 hosts each port-scanned/);
  // Each of the 20 ports went to 3 hosts only: no sweep either.
  assert.deepEqual(runDetector(sweepDetector, cs).findings, []);
});

test('block scan: 6 ports each swept across 30 hosts is a block scan here and no sweep there', () => {
  const cs: Contact[] = [];
  for (let h = 0; h < 30; h++)
    for (let p = 0; p < 6; p++) cs.push(probe({ src, dst: `10.1.0.${h}`, dstPort: 20 + p, ts: T0 + h }));
  const block = runDetector(portScanDetector, cs).findings;
  assert.deepEqual(
    block.map((f) => f.kind),
    ['block-scan'],
  );
  assert.match(block[0]!.explanation, /6 ports each swept/);
  assert.deepEqual(runDetector(sweepDetector, cs).findings, []);
  // Five swept ports are still a sweep (sweepMaxPorts 5) and no block scan.
  const five = cs.filter((c) => c.dstPort < 25);
  assert.equal(runDetector(sweepDetector, five).findings.length, 1);
  assert.deepEqual(runDetector(portScanDetector, five).findings, []);
});

test('finding uids are deterministic and depend on the source, target and first time', () => {
  const a = runDetector(portScanDetector, vertical(5)).findings[0]!;
  const b = runDetector(portScanDetector, vertical(5)).findings[0]!;
  assert.equal(a.uid, b.uid);
  assert.match(a.uid, /^F[\w-]{20}$/);
  const later = runDetector(
    portScanDetector,
    vertical(5).map((c) => ({ ...c, ts: c.ts + 7 })),
  ).findings[0]!;
  assert.notEqual(later.uid, a.uid);
});

test('slow scan: one probe a minute for 30 minutes on 30 ports is caught with the defaults', () => {
  const cs = Array.from({ length: 30 }, (_, i) =>
    probe({ src, dst: '10.0.0.9', dstPort: 100 + i, ts: T0 + i * 60 }),
  );
  const [f] = runDetector(portScanDetector, cs).findings;
  assert.equal(f?.targets.portCount, 30);
  assert.equal(f?.lastSeen, T0 + 29 * 60);
  assert.match(f!.explanation, /29\.0 min/);
});

test('idle expiry splits a source: 2 ports, a pause longer than idleSeconds, 2 more ports is no scan', () => {
  const first = vertical(2);
  const second = vertical(2, {}, '10.0.0.5', 2000).map((c, i) => ({ ...c, ts: T0 + 1000 + i }));
  assert.deepEqual(runDetector(portScanDetector, [...first, ...second]).findings, []);
  // Without the pause the same four ports are one scan.
  const together = [...first, ...second.map((c, i) => ({ ...c, ts: T0 + 10 + i }))];
  assert.equal(runDetector(portScanDetector, together).findings[0]?.targets.portCount, 4);
});

test('maxSpanSeconds closes a never-idle source and starts afresh (two findings, two uids)', () => {
  const cs = Array.from({ length: 20 }, (_, i) =>
    probe({ src, dst: '10.0.0.9', dstPort: 100 + (i % 10), ts: T0 + i * 400 }),
  );
  const { findings } = runDetector(portScanDetector, cs);
  assert.ok(findings.length >= 2, `findings: ${findings.length}`);
  assert.notEqual(findings[0]!.uid, findings[1]!.uid);
  for (const f of findings) assert.ok(f.lastSeen - f.ts < 3600);
});

test('configuration: unknown fields are rejected, {} gives the documented defaults', () => {
  const cfg = portScanDetector.config.parse({});
  assert.equal(cfg.portScanMinPorts, 15);
  assert.equal(cfg.portScanMinPortsFailing, 3);
  assert.equal(cfg.sweepMinHosts, 25);
  assert.equal(cfg.idleSeconds, 900);
  assert.throws(() => portScanDetector.config.parse({ portScanMinPort: 3 }));
  assert.equal(
    runDetector(portScanDetector, vertical(3), { config: { portScanMinPortsFailing: 3 } }).findings.length,
    1,
  );
});
