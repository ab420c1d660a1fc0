/**
 * Hostile or odd contact streams through every scan detector: random
 * protocols, flags, outcomes, ports (including -1 and out-of-range),
 * addresses (IPv4, IPv6, junk), times out of order, error replies. Nothing
 * throws, the state stays within a small budget, and every finding is well
 * formed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { probeOutcomes } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { Detector } from '../core/detector.js';
import { discoveryDetector } from '../discovery/index.js';
import { distributedDetector } from '../distributed/index.js';
import { flagScanDetector } from '../flag-scan/index.js';
import { sweepDetector } from '../sweep/index.js';
import { udpScanDetector } from '../udp-scan/index.js';
import { portScanDetector } from './index.js';
import { runDetector } from './test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: detectors of different config types.
const all: Detector<any>[] = [
  sweepDetector,
  portScanDetector,
  discoveryDetector,
  udpScanDetector,
  flagScanDetector,
  distributedDetector,
];

const addr = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((i) => `10.0.${i >> 3}.${i}`),
  fc.integer({ min: 0, max: 8 }).map((i) => `2001:db8::${i}`),
  fc.constantFrom('', 'not-an-ip', '999.1.1.1', '::', '10.0.0.1%eth0'),
);

const contact: fc.Arbitrary<Contact> = fc.record({
  ts: fc.oneof(fc.double({ min: 1.7e9, max: 1.7e9 + 20_000, noNaN: true }), fc.constantFrom(0, -5, 1e12)),
  end: fc.double({ min: 1.7e9, max: 1.7e9 + 20_000, noNaN: true }),
  src: addr,
  dst: addr,
  proto: fc.constantFrom('tcp', 'udp', 'icmp', 'arp', 'other'),
  srcPort: fc.integer({ min: -1, max: 70_000 }),
  dstPort: fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.integer({ min: 0, max: 30 })),
  outcome: fc.constantFrom(...probeOutcomes),
  established: fc.boolean(),
  flagClass: fc.option(fc.constantFrom('syn', 'null', 'fin', 'xmas', 'ack', 'maimon', 'other'), {
    nil: undefined,
  }),
  icmpType: fc.option(fc.constantFrom(0, 3, 8, 13, 17, 128, 255), { nil: undefined }),
  errorReply: fc.option(fc.boolean(), { nil: undefined }),
  origPkts: fc.integer({ min: -1, max: 50 }),
  respPkts: fc.integer({ min: -1, max: 50 }),
  origBytes: fc.integer({ min: -1, max: 5000 }),
  respBytes: fc.integer({ min: -1, max: 5000 }),
  service: fc.constant(''),
  sourceKind: fc.constantFrom('pcap', 'firewall', 'netflow'),
  format: fc.constant('test'),
  uid: fc.string({ maxLength: 12 }),
  file: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
}) as fc.Arbitrary<Contact>;

test('random contact streams: no detector throws, state stays within budget, findings are well formed', () => {
  const budget = 96 * 1024;
  fc.assert(
    fc.property(fc.array(contact, { maxLength: 400 }), (cs) => {
      for (const det of all) {
        const { findings, stats } = runDetector(det, cs, { budgetBytes: budget });
        assert.ok(stats.peakBytes <= budget, `${det.name}: ${stats.peakBytes}`);
        assert.equal(stats.findings, findings.length);
        for (const f of findings) {
          assert.ok(det.kinds.includes(f.kind), `${det.name} raised ${f.kind}`);
          assert.match(f.uid, /^F[\w-]{20}$/);
          assert.ok(f.severityId >= 1 && f.severityId <= 3);
          assert.ok(f.targets.hostCount >= 1 && f.contacts >= 1);
          assert.ok(
            f.explanation.length > 0 &&
              !f.explanation.includes('undefined') &&
              !f.explanation.includes('NaN'),
          );
          const total = Object.values(f.outcomes).reduce((a, b) => a + b, 0);
          assert.equal(total, f.contacts);
        }
      }
    }),
    { numRuns: 60 },
  );
});

test('random streams with tiny thresholds still give well-formed findings (many of them)', () => {
  const low = { sweepMinHosts: 2, sweepMinHostsFailing: 2, portScanMinPorts: 2, portScanMinPortsFailing: 2 };
  fc.assert(
    fc.property(fc.array(contact, { minLength: 50, maxLength: 300 }), (cs) => {
      for (const det of [sweepDetector, portScanDetector, udpScanDetector, distributedDetector]) {
        const { findings } = runDetector(det, cs, { config: low });
        for (const f of findings) {
          assert.ok(f.ts <= f.lastSeen);
          assert.ok(f.targets.hosts.length <= 32 && f.targets.ports.length <= 64);
          assert.ok(f.evidence.uids.length <= 20);
        }
      }
    }),
    { numRuns: 40 },
  );
});
