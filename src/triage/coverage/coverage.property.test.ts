import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildIncidents } from '../../detect/incident/build.js';
import { finding, LAB_T0, outcomes } from '../../detect/incident/testing/lab-story.js';
import { sourceKinds } from '../../schema/event.js';
import { findingKinds } from '../../schema/finding.js';
import { incidentCoverage } from './incident-coverage.js';
import type { SiteSource } from './site.js';

const text = fc.oneof(
  fc.constantFrom('10.99.0.11', '10.99.0.0/24', '2001:db8::/64', 'lab-ssh', '', '::', '10.99.0.11:22'),
  fc.string({ maxLength: 20 }),
);
const arbSource: fc.Arbitrary<SiteSource> = fc.record(
  {
    sourceKind: fc.constantFrom(...sourceKinds),
    inputs: fc.constant([]),
    records: fc.nat(100),
    span: fc.record({
      first: fc.double({ min: LAB_T0 - 100, max: LAB_T0 + 100, noNaN: true }),
      last: fc.double({ min: LAB_T0, max: LAB_T0 + 500, noNaN: true }),
    }),
    addresses: fc.array(text, { maxLength: 5 }),
    addressesTruncated: fc.boolean(),
    position: fc.constantFrom('behind-firewall', 'outside-firewall', 'unknown' as const),
    loggedPairs: fc.array(text, { maxLength: 5 }),
    loggedDestinations: fc.array(text, { maxLength: 5 }),
    logsAllowed: fc.boolean(),
    servers: fc.array(text, { maxLength: 3 }),
    hostNames: fc.array(text, { maxLength: 3 }),
    vhosts: fc.array(text, { maxLength: 3 }),
  },
  { requiredKeys: ['sourceKind', 'inputs', 'records'] },
);
const arbFinding = fc
  .record({
    kind: fc.constantFrom(...findingKinds),
    sourceKind: fc.constantFrom('pcap', 'netflow', 'firewall', 'sshd', 'weblog' as const),
    hosts: fc.array(text, { maxLength: 4 }),
    ports: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }),
    answered: fc.nat(3),
    rejected: fc.nat(3),
    blocked: fc.nat(3),
    service: fc.constantFrom(undefined, 'ssh', 'http'),
  })
  .map(({ answered, rejected, blocked, service, ...r }) =>
    finding({
      ...r,
      ...(service ? { service } : {}),
      src: '192.0.2.1',
      at: LAB_T0,
      until: LAB_T0 + 10,
      severityId: 2,
      outcomes: outcomes({ answered, rejected, blocked }),
    }),
  );

test('any incident against any site: no throw, sawBy and missedBy disjoint, every verdict explained', () => {
  fc.assert(
    fc.property(
      fc.array(arbFinding, { minLength: 1, maxLength: 6 }),
      fc.array(arbSource, { maxLength: 6 }),
      (fs, sources) => {
        const unique = [...new Map(fs.map((f) => [f.uid, f])).values()];
        for (const incident of buildIncidents({ findings: unique })) {
          const c = incidentCoverage(incident, unique, { sources });
          for (const m of c.missedBy) {
            assert.ok(!c.sawBy.includes(m.sourceKind), `${m.sourceKind} both saw and missed`);
            assert.ok(m.why.length > 0);
          }
          for (const n of c.notExpected) assert.ok(!c.sawBy.includes(n.sourceKind) && n.why.length > 0);
        }
      },
    ),
  );
});
