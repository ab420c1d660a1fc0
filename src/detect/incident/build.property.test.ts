import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findingKinds } from '../../schema/finding.js';
import { buildIncidents } from './build.js';
import { finding, LAB_T0, outcomes } from './testing/lab-story.js';

const addr = fc.constantFrom('10.0.0.1', '10.0.0.2', '192.0.2.7', '2001:db8::5', 'Censys', '203.0.113.0/24');
const host = fc.integer({ min: 0, max: 60 }).map((i) => `10.99.0.${i}`);
const arbFinding = fc
  .record({
    kind: fc.constantFrom(...findingKinds),
    sourceKind: fc.constantFrom('pcap', 'netflow', 'firewall', 'sshd', 'weblog' as const),
    src: addr,
    at: fc.double({ min: 0, max: 1e6, noNaN: true }),
    span: fc.double({ min: 0, max: 1e4, noNaN: true }),
    hosts: fc.uniqueArray(host, { maxLength: 40 }),
    ports: fc.uniqueArray(fc.integer({ min: 0, max: 65535 }), { maxLength: 70 }),
    answered: fc.nat(50),
    blocked: fc.nat(50),
    severityId: fc.integer({ min: 1, max: 5 }),
    successes: fc.nat(2),
    members: fc.uniqueArray(addr, { maxLength: 4 }),
  })
  .map((r) =>
    finding({
      kind: r.kind,
      sourceKind: r.sourceKind,
      src: r.src,
      at: LAB_T0 + r.at,
      until: LAB_T0 + r.at + r.span,
      hosts: r.hosts,
      ports: r.ports,
      outcomes: outcomes({ answered: r.answered, blocked: r.blocked }),
      severityId: r.severityId,
      successes: r.successes,
      ...(r.kind === 'distributed-scan' ? { members: r.members } : {}),
    }),
  );

test('any findings: every finding lands in exactly one incident, uids unique, severities in range', () => {
  fc.assert(
    fc.property(fc.array(arbFinding, { maxLength: 40 }), (findings) => {
      const unique = [...new Map(findings.map((f) => [f.uid, f])).values()];
      const incidents = buildIncidents({ findings: unique });
      const placed = incidents.flatMap((i) => i.findings).sort();
      assert.deepEqual(placed, unique.map((f) => f.uid).sort());
      assert.equal(new Set(incidents.map((i) => i.uid)).size, incidents.length);
      for (const i of incidents) {
        assert.ok(i.severityId >= 1 && i.severityId <= 5);
        assert.ok(i.ts <= i.lastSeen);
        assert.ok(i.title.length > 0 && i.title.length < 400);
        assert.ok((i.targets ?? []).length <= 32);
        for (const r of i.related ?? []) assert.ok(incidents.some((x) => x.uid === r));
      }
    }),
  );
});
