/**
 * Brute force inferred from SSH session shape in connection records: which
 * sessions count, the session thresholds, the slow variant and what is said
 * about sessions that did not look like guessing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contact } from '../core/contact.js';
import { bruteForceConfigSchema, bruteForceDetector } from './index.js';
import { isGuessingSession } from './session-shape.js';
import { collectingContext, contact } from './testing.js';

const T0 = 1_800_000_000;
const cfg = bruteForceConfigSchema.parse({});

function run(contacts: Contact[], config: object = {}) {
  const ctx = collectingContext('pcap');
  const d = bruteForceDetector.create(bruteForceConfigSchema.parse(config), ctx);
  for (const c of contacts) d.contact!(c);
  d.finish();
  return ctx.findings;
}

function sessions(n: number, gap: number, over: Partial<Contact> = {}): Contact[] {
  return Array.from({ length: n }, (_, i) => contact({ ts: T0 + i * gap, ...over }));
}

test('the shape of one guessing session: established, short, past the key exchange, small', () => {
  assert.equal(isGuessingSession(contact(), cfg.sessions), true);
  assert.equal(isGuessingSession(contact({ established: false }), cfg.sessions), false);
  assert.equal(isGuessingSession(contact({ end: T0 + 300 }), cfg.sessions), false, 'long session');
  assert.equal(isGuessingSession(contact({ respBytes: 200_000 }), cfg.sessions), false, 'real work done');
  assert.equal(
    isGuessingSession(contact({ origBytes: 30, respBytes: 40 }), cfg.sessions),
    false,
    'banner grab',
  );
  assert.equal(
    isGuessingSession(contact({ origBytes: -1, respBytes: -1 }), cfg.sessions),
    false,
    'no byte counts',
  );
});

test('5 guessing sessions in 10 minutes stay under the default (6); 6 make one inferred finding', () => {
  assert.equal(run(sessions(5, 30)).length, 0);
  const found = run(sessions(6, 30));
  assert.equal(found.length, 1);
  const f = found[0]!;
  assert.equal(f.kind, 'brute-force');
  assert.equal(f.sourceKind, 'pcap');
  assert.equal(f.src, '203.0.113.9');
  assert.deepEqual(f.targets.hosts, ['192.0.2.11']);
  assert.deepEqual(f.targets.ports, [22]);
  assert.equal(f.targets.service, 'ssh');
  assert.equal(f.contacts, 6);
  assert.equal(f.outcomes.answered, 6);
  assert.equal(f.attrs?.inferred, 'session-shape');
  assert.equal(f.attrs?.variant, 'fast');
  assert.equal(f.failures, undefined, 'the failures are not known from flows');
  assert.match(f.explanation, /^Inferred from session shape, not from logs: 6 short SSH sessions/);
  assert.equal(f.evidence.uids.length, 6);
});

test('sessions that are not guessing-shaped, or to other ports, do not count', () => {
  assert.equal(run(sessions(10, 30, { end: 0 }).map((c) => ({ ...c, end: c.ts + 120 }))).length, 0);
  assert.equal(run(sessions(10, 30, { established: false, outcome: 'unanswered' })).length, 0);
  assert.equal(run(sessions(10, 30, { dstPort: 80 })).length, 0);
  assert.equal(run(sessions(10, 30, { proto: 'udp' })).length, 0);
});

test('SSH on another port counts when the protocol was recognised by content', () => {
  assert.equal(run(sessions(8, 10, { dstPort: 2222, service: 'ssh' })).length, 1);
  assert.equal(run(sessions(8, 10, { dstPort: 2222 })).length, 0);
});

test('slow variant: 20 sessions five minutes apart cross only the long window', () => {
  const found = run(sessions(20, 300));
  assert.equal(found.length, 1);
  assert.equal(found[0]!.attrs?.variant, 'slow');
  assert.match(found[0]!.explanation, /Slow variant: 20 or more such sessions within 3 h/);
  assert.equal(run(sessions(19, 300)).length, 0);
});

test('a larger session after the guessing ones is listed as possibly a login that worked', () => {
  const list = sessions(7, 5);
  list.push(contact({ ts: T0 + 60, end: T0 + 61, origBytes: 3433, respBytes: 13209 }));
  const f = run(list)[0]!;
  assert.equal(f.contacts, 7);
  assert.equal(f.attrs?.laterOtherSessions, 1);
  assert.match(f.explanation, /possibly a login that worked/);
});

test('different servers and different sources are separate states', () => {
  const a = sessions(3, 10, { dst: '192.0.2.11' });
  const b = sessions(3, 10, { dst: '192.0.2.12' });
  const c = sessions(3, 10, { src: '198.51.100.1' });
  assert.equal(run([...a, ...b, ...c]).length, 0);
});
