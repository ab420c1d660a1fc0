/**
 * Continuous activity on built contacts and login attempts: runs with and
 * without gaps, long sessions bridging pauses, idle expiry, ports watched,
 * the longest span and budget eviction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attempt, collectingContext, contact } from '../brute-force/testing.js';
import type { AuthAttempt, Contact } from '../core/contact.js';
import { continuousActivityDetector, continuousConfigSchema } from './index.js';

const T0 = 1_800_000_000;

function run(
  items: { contacts?: Contact[]; attempts?: AuthAttempt[] },
  config: object = {},
  budget?: number,
) {
  const ctx = collectingContext('pcap', budget);
  const d = continuousActivityDetector.create(continuousConfigSchema.parse(config), ctx);
  for (const c of items.contacts ?? []) d.contact!(c);
  for (const a of items.attempts ?? []) d.auth!(a);
  d.finish();
  return { findings: ctx.findings, stats: d.stats() };
}

/** Contacts at the given offsets from T0 (0.1 s long each). */
function at(offsets: number[], over: Partial<Contact> = {}): Contact[] {
  return offsets.map((o) => contact({ ts: T0 + o, ...over }));
}

const every = (step: number, until: number, from = 0) =>
  Array.from({ length: Math.floor((until - from) / step) + 1 }, (_, i) => from + i * step);

test('a contact every minute for 11 minutes is continuous activity against ssh', () => {
  const { findings } = run({ contacts: at(every(60, 660)) });
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.kind, 'continuous-activity');
  assert.equal(f.detector, 'continuous-activity');
  assert.equal(f.src, '203.0.113.9');
  assert.deepEqual(f.targets.hosts, ['192.0.2.11']);
  assert.deepEqual(f.targets.ports, [22]);
  assert.equal(f.targets.service, 'ssh');
  assert.equal(f.contacts, 12);
  assert.equal(f.severityId, 2);
  assert.equal(f.ts, T0);
  assert.ok(Math.abs(f.lastSeen - (T0 + 660.1)) < 1e-6);
  assert.match(f.explanation, /was active against 192\.0\.2\.11:22 \(ssh\) for 11 min/);
  assert.match(f.explanation, /never pausing longer than 60 s/);
});

test('9 minutes of activity is too short', () => {
  assert.equal(run({ contacts: at(every(60, 540)) }).findings.length, 0);
});

test('a 3-minute pause splits the activity into two runs, each too short', () => {
  const offsets = [...every(60, 360), ...every(60, 900, 540)];
  assert.equal(run({ contacts: at(offsets) }).findings.length, 0);
  // The same with a 2-minute pause (not longer than the gap) is one run.
  const joined = [...every(60, 360), ...every(60, 900, 480)];
  assert.equal(run({ contacts: at(joined) }).findings.length, 1);
});

test('one long session is not repeated activity (fewer than minContacts)', () => {
  assert.equal(run({ contacts: [contact({ ts: T0, end: T0 + 3600 })] }).findings.length, 0);
});

test('a long connection bridges a pause between short ones', () => {
  const list = [...at(every(30, 150)), contact({ ts: T0 + 160, end: T0 + 500 }), ...at(every(30, 800, 560))];
  const { findings } = run({ contacts: list });
  assert.equal(findings.length, 1);
  assert.ok((findings[0]!.attrs!.longestGapSeconds as number) <= 120);
});

test('from login attempts: one try every 30 s for 12 minutes, with failures and successes counted', () => {
  const attempts = every(30, 720).map((o, i) =>
    attempt({ ts: T0 + o, result: i === 20 ? 'success' : 'failure', dst: '192.0.2.11', dstPort: 22 }),
  );
  const { findings } = run({ attempts });
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.failures, 24);
  assert.equal(f.successes, 1);
  assert.equal(f.attrs?.from, 'logins');
  assert.match(f.explanation, /25 login attempts/);
});

test('two runs an hour apart are two findings, with or without time advancing in between', () => {
  const offsets = [...every(60, 660), ...every(60, 4260, 3600)];
  assert.equal(run({ contacts: at(offsets) }).findings.length, 2);
  const ctx = collectingContext('pcap');
  const d = continuousActivityDetector.create(continuousConfigSchema.parse({}), ctx);
  for (const c of at(offsets)) {
    d.advance(c.ts);
    d.contact!(c);
  }
  assert.equal(ctx.findings.length, 1, 'the first run was reported when its state went idle');
  d.finish();
  assert.equal(ctx.findings.length, 2);
  assert.notEqual(ctx.findings[0]!.uid, ctx.findings[1]!.uid);
});

test('web traffic is not watched by default; allPorts watches it', () => {
  const web = at(every(30, 900), { dstPort: 80 });
  assert.equal(run({ contacts: web }).findings.length, 0);
  assert.equal(run({ contacts: web }, { allPorts: true }).findings.length, 1);
});

test('activity longer than maxSpanSeconds is reported in pieces', () => {
  const { findings } = run({ contacts: at(every(60, 3600)) }, { maxSpanSeconds: 1200 });
  assert.equal(findings.length, 3);
});

test('budget: many sources with a tiny budget are evicted and counted, memory stays bounded', () => {
  const list: Contact[] = [];
  for (let s = 0; s < 500; s++)
    list.push(...at([0, 30, 60], { src: `198.51.100.${s % 250}`, dst: `192.0.2.${s % 200}` }));
  const budget = 16 * 1024;
  const { stats } = run({ contacts: list }, {}, budget);
  assert.ok(stats.evicted > 0);
  assert.ok(stats.peakBytes <= budget, `peak ${stats.peakBytes} <= ${budget}`);
});
