import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScannerLabel } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import { portScanDetector } from '../port-scan/index.js';
import { probe, runDetector } from '../port-scan/test-support.js';
import { sweepDetector } from '../sweep/index.js';
import { distributedDetector, networkLabel } from './index.js';

const T0 = 1_800_000_000;

/** `members` sources, each probing port 22 on `each` different hosts of 10.20.0.0/16. */
function group(
  members: (i: number) => string,
  count: number,
  each: number,
  o: Partial<Contact> = {},
): Contact[] {
  const out: Contact[] = [];
  let h = 0;
  for (let m = 0; m < count; m++)
    for (let k = 0; k < each; k++, h++)
      out.push(probe({ src: members(m), dst: `10.20.${h >> 8}.${h & 255}`, dstPort: 22, ts: T0 + h, ...o }));
  return out.sort((a, b) => a.ts - b.ts);
}

test('network labels: /24 for IPv4, /64 for IPv6', () => {
  assert.equal(networkLabel('203.0.113.77'), '203.0.113.0/24');
  assert.equal(networkLabel('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(networkLabel('not an address'), 'not an address');
});

test('distributed: 5 sources of one /24, 6 hosts each (each quiet alone), together sweep 30 hosts', () => {
  const cs = group((m) => `203.0.113.${10 + m}`, 5, 6);
  // Alone, none crosses: no sweep from any single source.
  assert.deepEqual(runDetector(sweepDetector, cs).findings, []);
  const [f, ...more] = runDetector(distributedDetector, cs).findings;
  assert.equal(more.length, 0);
  assert.equal(f?.kind, 'distributed-scan');
  assert.equal(f?.src, '203.0.113.0/24');
  assert.equal(f?.memberCount, 5);
  assert.deepEqual(f?.members, [
    '203.0.113.10',
    '203.0.113.11',
    '203.0.113.12',
    '203.0.113.13',
    '203.0.113.14',
  ]);
  assert.equal(f?.targets.hostCount, 30);
  assert.deepEqual(f?.targets.ports, [22]);
  assert.equal(f?.contacts, 30);
  assert.match(
    f!.explanation,
    /5 sources of 203\.0\.113\.0\/24 \(5 each below the single-source thresholds, the busiest sent 6 probes\) together swept tcp port 22 on 30 hosts/,
  );
});

test('distributed: 2 members are too few (minMembers 3), 3 are enough', () => {
  assert.deepEqual(
    runDetector(
      distributedDetector,
      group((m) => `203.0.113.${m}`, 2, 9),
    ).findings,
    [],
  );
  assert.equal(
    runDetector(
      distributedDetector,
      group((m) => `203.0.113.${m}`, 3, 9),
    ).findings[0]?.memberCount,
    3,
  );
});

test('distributed: a loud member is left to the single-source detectors, and its quiet neighbours alone do not add up', () => {
  const loud = group(() => '203.0.113.1', 1, 40);
  const quiet = group((m) => `203.0.113.${50 + m}`, 3, 3).map((c) => ({
    ...c,
    dst: `10.21.0.${c.dst.split('.')[3]}`,
  }));
  const cs = [...loud, ...quiet].sort((a, b) => a.ts - b.ts);
  assert.equal(runDetector(sweepDetector, cs).findings[0]?.src, '203.0.113.1');
  assert.deepEqual(runDetector(distributedDetector, cs).findings, []);
});

test('distributed: one member sending most of the probes makes no group (maxMemberShare)', () => {
  const busy = group(() => '203.0.113.1', 1, 9);
  const more = group((m) => `203.0.113.${60 + m}`, 3, 1).map((c) => ({
    ...c,
    dst: `10.22.0.${c.dst.split('.')[3]}`,
  }));
  const cs = [...busy, ...more];
  assert.deepEqual(runDetector(distributedDetector, cs).findings, []);
  assert.equal(runDetector(distributedDetector, cs, { config: { maxMemberShare: 0.8 } }).findings.length, 1);
});

test('distributed: research scanners are grouped by organisation across networks; IPv6 by /64', () => {
  const censys: ScannerLabel = { organisation: 'Censys', list: 'censys.txt' };
  const label = (a: string) => (a.startsWith('192.0.2.') || a.startsWith('198.51.100.') ? censys : undefined);
  const cs = group((m) => (m % 2 ? `192.0.2.${m}` : `198.51.100.${m}`), 4, 4);
  const [f] = runDetector(distributedDetector, cs, { scannerLabel: label }).findings;
  assert.equal(f?.src, 'Censys');
  assert.equal(f?.memberCount, 4);
  assert.equal(f?.attrs?.basis, 'organisation');
  assert.match(f!.explanation, /the research scanner Censys/);
  // Without labels the same sources are two /24 groups of two: too small.
  assert.deepEqual(runDetector(distributedDetector, cs).findings, []);
  const v6 = group((m) => `2001:db8:7:7::${m + 1}`, 4, 4);
  assert.equal(runDetector(distributedDetector, v6).findings[0]?.src, '2001:db8:7:7::/64');
});

test('distributed: quiet sources together port-scanning one host', () => {
  const cs: Contact[] = [];
  for (let m = 0; m < 8; m++)
    for (let p = 0; p < 2; p++)
      cs.push(
        probe({ src: `203.0.113.${m}`, dst: '10.30.0.5', dstPort: 1000 + m * 2 + p, ts: T0 + m * 2 + p }),
      );
  assert.deepEqual(runDetector(portScanDetector, cs).findings, []);
  const [f] = runDetector(distributedDetector, cs).findings;
  assert.deepEqual(f?.targets.hosts, ['10.30.0.5']);
  assert.equal(f?.targets.portCount, 16);
});

test('distributed: state stays within its budget under many groups; evictions counted', () => {
  const cs: Contact[] = [];
  for (let g = 0; g < 4000; g++)
    cs.push(probe({ src: `10.${g >> 8}.${g & 255}.1`, dst: '10.99.0.1', dstPort: 22, ts: T0 + g * 0.01 }));
  const budget = 512 * 1024;
  const { stats } = runDetector(distributedDetector, cs, { budgetBytes: budget });
  assert.ok(stats.evicted > 0);
  assert.ok(stats.peakBytes <= budget);
});
