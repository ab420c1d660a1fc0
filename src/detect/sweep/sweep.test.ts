import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contact } from '../core/contact.js';
import { probe, runDetector } from '../port-scan/test-support.js';
import { sweepDetector } from './index.js';

const T0 = 1_800_000_000;
const src = '198.51.100.66';

/** One probe to port `port` on each of `n` hosts of 10.2.0.0/16. */
function horizontal(n: number, o: Partial<Contact> = {}, port = 22): Contact[] {
  return Array.from({ length: n }, (_, i) =>
    probe({ src, dst: `10.2.${i >> 8}.${i & 255}`, dstPort: port, ts: T0 + i * 0.1, ...o }),
  );
}

test('sweep: 9 failed hosts on one port stay quiet, 10 make a sweep with host count and outcomes', () => {
  assert.deepEqual(runDetector(sweepDetector, horizontal(9)).findings, []);
  const cs = horizontal(10);
  cs[3] = { ...cs[3]!, outcome: 'answered', respPkts: 1 };
  cs[4] = { ...cs[4]!, outcome: 'rejected', respPkts: 1 };
  cs[5] = { ...cs[5]!, outcome: 'blocked' };
  const { findings } = runDetector(sweepDetector, cs);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.kind, 'sweep');
  assert.equal(f.detector, 'sweep');
  assert.equal(f.src, src);
  assert.equal(f.targets.hostCount, 10);
  assert.deepEqual(f.targets.ports, [22]);
  assert.equal(f.targets.proto, 'tcp');
  assert.deepEqual(f.outcomes, { answered: 1, rejected: 1, unanswered: 7, blocked: 1, unknown: 0 });
  assert.deepEqual(f.answered, ['10.2.0.3:22']);
  assert.equal(f.severityId, 3, 'an open port answered: medium');
  assert.match(f.explanation, /port 22 on 10 hosts/);
  assert.match(f.explanation, /10 probes: 1 answered, 1 rejected, 1 blocked, 7 unanswered/);
  assert.equal(f.evidence.uids.length, 10);
});

test('sweep: mostly answered needs 25 hosts (Zeek addr-scan threshold): 24 quiet, 25 a sweep', () => {
  const ok = { outcome: 'answered' as const, respPkts: 1 };
  assert.deepEqual(runDetector(sweepDetector, horizontal(24, ok)).findings, []);
  assert.equal(runDetector(sweepDetector, horizontal(25, ok)).findings[0]?.targets.hostCount, 25);
});

test('sweep: a few ports together are one finding listing each port; blocked-only sweeps are informational', () => {
  const cs = [...horizontal(12, { outcome: 'blocked' }, 22), ...horizontal(11, { outcome: 'blocked' }, 23)];
  const { findings } = runDetector(sweepDetector, cs, { sourceKind: 'firewall' });
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0]!.targets.ports, [22, 23]);
  assert.equal(findings[0]!.targets.hostCount, 12);
  assert.equal(findings[0]!.sourceKind, 'firewall');
  assert.equal(findings[0]!.severityId, 1);
  assert.match(findings[0]!.explanation, /port 22: 12 hosts, port 23: 11 hosts/);
});

test('sweep: UDP with payload to 10 silent hosts is a UDP sweep; answered UDP (a resolver) is not', () => {
  const udp = { proto: 'udp' as const, dstPort: 161, origBytes: 40 };
  const [f] = runDetector(sweepDetector, horizontal(10, udp, 161)).findings;
  assert.equal(f?.targets.proto, 'udp');
  assert.equal(f?.targets.hostCount, 10);
  const answered = horizontal(
    40,
    { ...udp, dstPort: 53, outcome: 'answered', respPkts: 1, respBytes: 90 },
    53,
  );
  assert.deepEqual(runDetector(sweepDetector, answered).findings, []);
});

test('sweep: empty UDP datagrams are pings (host discovery), not a sweep', () => {
  const pings = horizontal(40, { proto: 'udp', origBytes: 0 }, 40125);
  assert.deepEqual(runDetector(sweepDetector, pings).findings, []);
});

test('sweep: ICMP port-unreachable notices turn unanswered UDP probes into refusals', () => {
  const cs = horizontal(10, { proto: 'udp', origBytes: 20 }, 161);
  const errors = cs.slice(0, 4).map((c) =>
    probe({
      src,
      dst: c.dst,
      proto: 'icmp',
      dstPort: -1,
      icmpType: 3,
      errorReply: true,
      outcome: 'rejected',
      ts: c.ts + 0.01,
    }),
  );
  const [f] = runDetector(sweepDetector, [...cs, ...errors]).findings;
  assert.equal(f?.contacts, 10);
  assert.equal(f?.outcomes.rejected, 4);
  assert.equal(f?.outcomes.unanswered, 6);
  // Errors alone raise nothing; errors that arrive before their probes still count.
  assert.deepEqual(runDetector(sweepDetector, errors).findings, []);
  const early = runDetector(sweepDetector, [...errors, ...cs]).findings[0];
  assert.equal(early?.outcomes.rejected, 4);
});

test('sweep: state is bounded by the budget and evictions are counted; an evicted sweep is still reported', () => {
  const noise: Contact[] = [];
  for (let i = 0; i < 3000; i++)
    noise.push(probe({ src: `172.16.${i >> 8}.${i & 255}`, dst: '10.9.9.9', ts: T0 + 100 + i * 0.01 }));
  const budget = 256 * 1024;
  const { findings, stats } = runDetector(sweepDetector, [...horizontal(30), ...noise], {
    budgetBytes: budget,
  });
  assert.ok(stats.evicted > 0);
  assert.ok(stats.peakBytes <= budget, `${stats.peakBytes} > ${budget}`);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.targets.hostCount, 30);
});
