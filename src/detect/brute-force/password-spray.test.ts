/**
 * Password spraying against brute force: many users with few tries each is a
 * spray (and only a spray by default); few users with many tries is a brute
 * force (and never a spray).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthAttempt } from '../core/contact.js';
import {
  bruteForceConfigSchema,
  bruteForceDetector,
  passwordSprayConfigSchema,
  passwordSprayDetector,
} from './index.js';
import { attempt, collectingContext } from './testing.js';

const T0 = 1_800_000_000;

function both(attempts: AuthAttempt[], bfConfig: object = {}, psConfig: object = {}) {
  const bfCtx = collectingContext();
  const psCtx = collectingContext();
  const bf = bruteForceDetector.create(bruteForceConfigSchema.parse(bfConfig), bfCtx);
  const ps = passwordSprayDetector.create(passwordSprayConfigSchema.parse(psConfig), psCtx);
  for (const a of attempts) {
    bf.auth!(a);
    ps.auth!(a);
  }
  bf.finish();
  ps.finish();
  return { bruteForce: bfCtx.findings, spray: psCtx.findings };
}

/** `users` users, `tries` failures each, one every 5 s. */
function grid(users: number, tries: number, over: Partial<AuthAttempt> = {}): AuthAttempt[] {
  const out: AuthAttempt[] = [];
  for (let t = 0; t < tries; t++)
    for (let u = 0; u < users; u++) out.push(attempt({ ts: T0 + out.length * 5, user: `user${u}`, ...over }));
  return out;
}

test('12 users with one try each is a password spray, not a brute force', () => {
  const { bruteForce, spray } = both(grid(12, 1));
  assert.equal(bruteForce.length, 0, 'the brute-force detector leaves it to the spray detector');
  assert.equal(spray.length, 1);
  const f = spray[0]!;
  assert.equal(f.kind, 'password-spray');
  assert.equal(f.detector, 'password-spray');
  assert.equal(f.targets.userCount, 12);
  assert.equal(f.failures, 12);
  assert.equal(f.severityId, 3);
  assert.match(f.explanation, /Password spraying: 12 users with 1 tries each on average/);
});

test('10 users with two tries each is still a spray; with three it is a brute force', () => {
  const two = both(grid(10, 2));
  assert.equal(two.spray.length, 1);
  assert.equal(two.bruteForce.length, 0);
  const three = both(grid(10, 3));
  assert.equal(three.spray.length, 0);
  assert.equal(three.bruteForce.length, 1);
  assert.equal(three.bruteForce[0]!.targets.userCount, 10);
});

test('9 users with one try each is neither (under the users threshold and under no window)', () => {
  const r = both(grid(9, 1).map((a, i) => ({ ...a, ts: T0 + i * 700 })));
  assert.equal(r.spray.length, 0);
  assert.equal(r.bruteForce.length, 0);
});

test('a brute force on few users (3 users x 8 tries) is never a spray', () => {
  const r = both(grid(3, 8));
  assert.equal(r.spray.length, 0);
  assert.equal(r.bruteForce.length, 1);
});

test('with leaveToSpray false both detectors report a spray', () => {
  const r = both(grid(12, 1), { leaveToSpray: false });
  assert.equal(r.spray.length, 1);
  assert.equal(r.bruteForce.length, 1);
});

test('a success during a spray makes it high and names the user', () => {
  const list = grid(15, 1);
  list.push(attempt({ ts: T0 + 500, user: 'user7', result: 'success' }));
  const { spray } = both(list);
  assert.equal(spray[0]!.severityId, 4);
  assert.match(spray[0]!.explanation, /SUCCESSFUL LOGIN .*user7/);
});

test('spray users past the exact per-user limit are still counted (distinct counter), memory bounded', () => {
  const ctx = collectingContext();
  const ps = passwordSprayDetector.create(passwordSprayConfigSchema.parse({ userLimit: 50 }), ctx);
  for (let u = 0; u < 2000; u++) ps.auth!(attempt({ ts: T0 + u, user: `u${u}` }));
  const st = ps.stats();
  ps.finish();
  assert.equal(ctx.findings.length, 1);
  const n = ctx.findings[0]!.targets.userCount!;
  assert.ok(Math.abs(n - 2000) < 200, `about 2000 users, got ${n}`);
  assert.equal(ctx.findings[0]!.targets.estimated, true);
  assert.equal(ctx.findings[0]!.targets.users!.length, 32);
  assert.ok(st.bytes < 64 * 1024, `one spraying source holds ${st.bytes} bytes`);
});
