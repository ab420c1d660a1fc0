/**
 * Property tests: random and hostile streams of login attempts and contacts
 * (odd names, any order, huge user lists) never throw, keep the held bytes
 * within the budget, and every finding is well formed and counted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findingKinds } from '../../schema/finding.js';
import { continuousActivityDetector } from '../continuous/index.js';
import type { AuthAttempt, Contact } from '../core/contact.js';
import type { Detector } from '../core/detector.js';
import { bruteForceDetector, passwordSprayDetector } from './index.js';
import { attempt, collectingContext, contact } from './testing.js';

const T0 = 1_800_000_000;
const BUDGET = 24 * 1024;

const arbAttempt: fc.Arbitrary<AuthAttempt> = fc
  .record({
    dt: fc.integer({ min: -600, max: 20_000 }),
    src: fc.oneof(fc.constantFrom('10.0.0.1', '10.0.0.2', '2001:db8::1'), fc.string({ maxLength: 40 })),
    user: fc.option(fc.oneof(fc.constantFrom('root', 'admin'), fc.string({ maxLength: 300 })), {
      nil: undefined,
    }),
    result: fc.constantFrom('failure', 'success', 'invalid-user') as fc.Arbitrary<AuthAttempt['result']>,
    service: fc.constantFrom('ssh', 'http', 'ftp', ''),
    host: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    dst: fc.option(fc.constantFrom('192.0.2.1', '192.0.2.2'), { nil: undefined }),
  })
  .map((r) => attempt({ ...r, ts: T0 + r.dt }));

const arbContact: fc.Arbitrary<Contact> = fc
  .record({
    dt: fc.integer({ min: -600, max: 20_000 }),
    dur: fc.double({ min: 0, max: 4000, noNaN: true }),
    src: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3'),
    dst: fc.constantFrom('192.0.2.1', '192.0.2.2'),
    dstPort: fc.constantFrom(21, 22, 80, 2222, -1),
    established: fc.boolean(),
    origBytes: fc.integer({ min: -1, max: 50_000 }),
    respBytes: fc.integer({ min: -1, max: 50_000 }),
    service: fc.constantFrom('', 'ssh', 'http,ssh', 'ftp'),
    proto: fc.constantFrom('tcp', 'udp', 'icmp') as fc.Arbitrary<Contact['proto']>,
  })
  .map((r) => contact({ ...r, ts: T0 + r.dt, end: T0 + r.dt + r.dur }));

// biome-ignore lint/suspicious/noExplicitAny: detectors of different config types.
const detectors: Detector<any>[] = [bruteForceDetector, passwordSprayDetector, continuousActivityDetector];

test('random attempt and contact streams: no throw, bytes within budget, findings well formed', () => {
  fc.assert(
    fc.property(
      fc.array(arbAttempt, { maxLength: 300 }),
      fc.array(arbContact, { maxLength: 300 }),
      fc.boolean(),
      (attempts, contacts, advance) => {
        for (const d of detectors) {
          const ctx = collectingContext('sshd', BUDGET);
          const inst = d.create(d.config.parse({}), ctx);
          for (const a of attempts) {
            if (advance) inst.advance(a.ts);
            inst.auth?.(a);
          }
          for (const c of contacts) {
            if (advance) inst.advance(c.end);
            inst.contact?.(c);
          }
          inst.finish();
          const st = inst.stats();
          assert.ok(st.peakBytes <= BUDGET, `${d.name}: peak ${st.peakBytes}`);
          assert.equal(st.held, 0, 'finish drains every state');
          assert.equal(st.findings, ctx.findings.length);
          for (const f of ctx.findings) {
            assert.ok(findingKinds.includes(f.kind) && d.kinds.includes(f.kind));
            assert.ok(Number.isFinite(f.ts) && Number.isFinite(f.lastSeen) && f.lastSeen >= f.ts);
            assert.ok(f.explanation.length > 0 && f.evidence.uids.length <= 20);
            assert.ok(f.severityId >= 1 && f.severityId <= 4);
            assert.ok((f.targets.users?.length ?? 0) <= 32);
          }
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('a flood of 20,000 sources stays within a 64 KiB budget and evictions are counted', () => {
  for (const d of detectors) {
    const ctx = collectingContext('sshd', 64 * 1024);
    const inst = d.create(d.config.parse({}), ctx);
    for (let i = 0; i < 20_000; i++) {
      const src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      inst.auth?.(attempt({ ts: T0 + i / 100, src }));
      inst.contact?.(contact({ ts: T0 + i / 100, src }));
    }
    const st = inst.stats();
    assert.ok(st.peakBytes <= 64 * 1024, `${d.name}: peak ${st.peakBytes}`);
    assert.ok(st.evicted > 0, `${d.name}: evicted ${st.evicted}`);
    inst.finish();
  }
});
