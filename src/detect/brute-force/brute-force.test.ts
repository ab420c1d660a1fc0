/**
 * The brute-force detector on built login attempts: thresholds just under and
 * over, success after failures, the slow variant, per-server keys, idle
 * expiry, the longest span, memory budget eviction and deterministic uids.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthAttempt } from '../core/contact.js';
import { bruteForceConfigSchema, bruteForceDetector } from './index.js';
import { attempt, collectingContext } from './testing.js';

const T0 = 1_800_000_000;

function run(attempts: AuthAttempt[], config: object = {}, budget?: number) {
  const ctx = collectingContext('sshd', budget);
  const d = bruteForceDetector.create(bruteForceConfigSchema.parse(config), ctx);
  for (const a of attempts) d.auth!(a);
  d.finish();
  return { findings: ctx.findings, stats: d.stats() };
}

/** n failures one `gap` seconds apart, users cycling through `users`. */
function failures(n: number, gap: number, users = ['root'], over: Partial<AuthAttempt> = {}): AuthAttempt[] {
  return Array.from({ length: n }, (_, i) =>
    attempt({ ts: T0 + i * gap, user: users[i % users.length]!, ...over }),
  );
}

test('4 failures in 10 minutes stay under the default (5 within 10 min); 5 make one finding', () => {
  assert.equal(run(failures(4, 60)).findings.length, 0);
  const { findings } = run(failures(5, 60));
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.kind, 'brute-force');
  assert.equal(f.src, '203.0.113.9');
  assert.equal(f.failures, 5);
  assert.equal(f.successes, 0);
  assert.equal(f.severityId, 3);
  assert.equal(f.attrs?.variant, 'fast');
  assert.deepEqual(f.targets.hosts, ['srv']);
  assert.deepEqual(f.targets.users, ['root']);
  assert.equal(f.targets.service, 'ssh');
  assert.match(f.explanation, /5 failed SSH logins from 203\.0\.113\.9 against srv/);
  assert.match(f.explanation, /5 or more tries within 10 min/);
  assert.match(f.explanation, /No successful login/);
  assert.equal(f.evidence.uids.length, 5);
});

test('5 failures spread over more than the fast window are not a fast brute force', () => {
  // 200 s apart: the 5 span 800 s > 600 s; and 5 < the slow window's 10.
  assert.equal(run(failures(5, 200)).findings.length, 0);
});

test('a success after the failures raises the severity to high and is named with user and time', () => {
  const list = failures(6, 10, ['root', 'admin']);
  const ok = attempt({ ts: T0 + 100, user: 'admin', result: 'success' });
  const { findings } = run([...list, ok]);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.severityId, 4);
  assert.equal(f.successes, 1);
  assert.equal(f.attrs?.successUser, 'admin');
  assert.equal(f.attrs?.successTs, T0 + 100);
  assert.match(
    f.explanation,
    /SUCCESSFUL LOGIN after the failures — likely compromise: admin at 2027-01-15 08:01:40 UTC/,
  );
  assert.match(f.explanation, /a user it had tried/);
  assert.equal(f.evidence.uids[0], ok.uid, 'the success record is the first evidence');
});

test('a success alone, or a success before a few failures, is no brute force', () => {
  assert.equal(run([attempt({ result: 'success', user: 'labuser' })]).findings.length, 0);
  const list = [attempt({ ts: T0, result: 'success' }), ...failures(3, 5)];
  assert.equal(run(list).findings.length, 0);
});

test('slow variant: 10 failures ten minutes apart cross the long window only', () => {
  const { findings } = run(failures(10, 600));
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.attrs?.variant, 'slow');
  assert.equal(findings[0]!.attrs?.windowSeconds, 10800);
  assert.match(findings[0]!.explanation, /Slow brute force: 10 or more tries within 3 h/);
  assert.equal(run(failures(9, 600)).findings.length, 0, '9 are under the slow count');
});

test('a gap longer than idleSeconds ends the state, so slow tries further apart are not joined', () => {
  // 10 tries 4000 s apart: each state expires (idle 3600 s) before the next try when time advances.
  const ctx = collectingContext();
  const d = bruteForceDetector.create(
    bruteForceConfigSchema.parse({ slow: { count: 10, seconds: 86400 } }),
    ctx,
  );
  for (const a of failures(10, 4000)) {
    d.advance(a.ts);
    d.auth!(a);
  }
  d.finish();
  assert.equal(ctx.findings.length, 0);
  assert.equal(d.stats().held, 0);
});

test('servers are told apart: 3 failures on each of two hosts are two states under the threshold', () => {
  const a = failures(3, 10, ['root'], { host: 'srv-a' });
  const b = failures(3, 10, ['root'], { host: 'srv-b' });
  assert.equal(run([...a, ...b]).findings.length, 0);
  const c = failures(3, 10, ['root'], { dst: '192.0.2.5', host: 'srv-a' });
  const d = failures(3, 10, ['root'], { dst: '192.0.2.5', host: 'srv-b' });
  const { findings } = run([...c, ...d]);
  assert.equal(findings.length, 1, 'the same dst address is one server whatever host logged it');
  assert.deepEqual(findings[0]!.targets.hosts, ['192.0.2.5']);
});

test('an invalid-user notice and the failures that follow it count as the tries, not one more', () => {
  const notice = attempt({ ts: T0, user: 'admin', result: 'invalid-user' });
  const fails = failures(5, 1, ['admin']);
  const { findings } = run([notice, ...fails]);
  assert.equal(findings[0]!.failures, 5);
  assert.equal(findings[0]!.contacts, 6, 'every record is still counted as a contact');
  // A notice and four failures are four tries: under the threshold of five.
  assert.equal(run([notice, ...fails.slice(0, 4)]).findings.length, 0);
  // When every line is reported as invalid-user, each counts (the source cannot be de-duplicated).
  const allInvalid = failures(5, 1, ['admin'], { result: 'invalid-user' });
  assert.equal(run(allInvalid).findings[0]!.failures, 5);
});

test('state expires by idle time when time advances, emitting before the end of input', () => {
  const ctx = collectingContext();
  const d = bruteForceDetector.create(bruteForceConfigSchema.parse({}), ctx);
  for (const a of failures(6, 1)) d.auth!(a);
  d.advance(T0 + 100);
  assert.equal(ctx.findings.length, 0, 'still active');
  d.advance(T0 + 5 + 3601);
  assert.equal(ctx.findings.length, 1);
  d.finish();
  assert.equal(ctx.findings.length, 1, 'not emitted twice');
});

test('an attack longer than maxSpanSeconds gives one finding per span', () => {
  const first = failures(5, 1);
  const second = failures(5, 1).map((a) => ({ ...a, ts: a.ts + 2000 }));
  const { findings } = run([...first, ...second], { maxSpanSeconds: 1000 });
  assert.equal(findings.length, 2);
  assert.equal(findings[0]!.attrs?.stateEnded, 'span');
  assert.notEqual(findings[0]!.uid, findings[1]!.uid);
});

test('budget: with a tiny budget states are evicted, counted, and those that crossed are still reported', () => {
  const list: AuthAttempt[] = [];
  for (let s = 0; s < 200; s++)
    for (const a of failures(5, 1, ['root'], { src: `198.51.100.${s % 250}`, host: `h${s}` })) list.push(a);
  const budget = 8 * 1024;
  const { findings, stats } = run(list, {}, budget);
  assert.ok(stats.evicted > 0, 'some states were evicted');
  assert.ok(stats.peakBytes <= budget, `peak ${stats.peakBytes} <= ${budget}`);
  assert.equal(findings.length, 200, 'every source crossed the threshold before its state left');
  assert.ok(findings.some((f) => f.attrs?.stateEnded === 'budget'));
  assert.equal(stats.findings, 200);
});

test('the same input gives the same finding uid', () => {
  const a = run(failures(7, 3)).findings[0]!;
  const b = run(failures(7, 3)).findings[0]!;
  assert.equal(a.uid, b.uid);
  assert.match(a.uid, /^F[\w-]{20}$/);
});

test('HTTP 401 failures are brute force against the http service and name the port when known', () => {
  const list = failures(8, 2, ['alice'], {
    service: 'http',
    dst: '192.0.2.80',
    dstPort: 443,
    sourceKind: 'weblog',
  });
  const { findings } = run(list);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.targets.service, 'http');
  assert.deepEqual(findings[0]!.targets.ports, [443]);
  assert.match(findings[0]!.explanation, /failed HTTP logins .* against 192\.0\.2\.80:443/);
});

test('unknown config keys are rejected and {} gives the documented defaults', () => {
  assert.throws(() => bruteForceConfigSchema.parse({ maxretry: 5 }));
  const d = bruteForceConfigSchema.parse({});
  assert.deepEqual(d.fast, { count: 5, seconds: 600 });
  assert.deepEqual(d.slow, { count: 10, seconds: 10800 });
  assert.deepEqual(d.sessions.fast, { count: 6, seconds: 600 });
});
