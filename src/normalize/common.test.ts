import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { eventUid } from './common.js';

/** The uid as first written: build `${file}\0${line}\0${raw}`, hash it, format both halves in base 36. */
function plainUid(file: string | undefined, line: number, raw: string): string {
  const key = `${file ?? ''}\u0000${line}\u0000${raw}`;
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b ^ c) + 0x9e3779b9, 0x85ebca6b);
    b = (b << 13) | (b >>> 19);
  }
  return `L${(a >>> 0).toString(36).padStart(7, '0')}${(b >>> 0).toString(36).padStart(7, '0')}`;
}

test('eventUid = the plain key-and-hash uid for any file, line number and text, in any order of files', () => {
  const file = fc.option(fc.oneof(fc.string(), fc.constantFrom('auth.log', 'a', '')), { nil: undefined });
  const line = fc.oneof(
    fc.nat(),
    fc.integer(),
    fc.constantFrom(0, 9, 10, 99, 100, 999_999_999_999_999, 1e15, 2 ** 53, -0, 0.5, Number.NaN, Infinity),
    fc.double(),
  );
  const raw = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'binary', maxLength: 5000 }),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(file, line, raw), { minLength: 1, maxLength: 6 }), (rows) => {
      for (const [f, l, r] of rows) assert.equal(eventUid(f, l, r), plainUid(f, l, r), `${f} ${l}`);
    }),
    { numRuns: 5000 },
  );
});

test('eventUid: fixed width, and each of file, line and text changes it', () => {
  const u = eventUid('auth.log', 12, 'Nov 23 11:12:20 h sshd[1]: x');
  assert.match(u, /^L[0-9a-z]{14}$/);
  assert.equal(u, plainUid('auth.log', 12, 'Nov 23 11:12:20 h sshd[1]: x'));
  assert.notEqual(eventUid('auth.log.1', 12, 'Nov 23 11:12:20 h sshd[1]: x'), u);
  assert.notEqual(eventUid('auth.log', 13, 'Nov 23 11:12:20 h sshd[1]: x'), u);
  assert.notEqual(eventUid('auth.log', 12, 'Nov 23 11:12:21 h sshd[1]: x'), u);
  assert.equal(eventUid('auth.log', 12, 'Nov 23 11:12:20 h sshd[1]: x'), u);
  assert.equal(eventUid(undefined, 0, ''), plainUid(undefined, 0, ''));
});
