import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createDistinctCounter, hashValue } from './distinct.js';

test('exact while small: duplicates are not counted, the sample keeps first values in order', () => {
  const c = createDistinctCounter({ exactLimit: 10, sampleLimit: 3 });
  for (const v of ['a', 'b', 'a', 'c', 'd', 'b']) c.add(v);
  assert.equal(c.count(), 4);
  assert.equal(c.estimated, false);
  assert.deepEqual(c.sample(), ['a', 'b', 'c']);
});

test('past the exact limit the count is a sketch estimate within 4 standard errors', () => {
  for (const n of [300, 5_000, 200_000]) {
    const c = createDistinctCounter({ exactLimit: 256, precision: 12 });
    for (let i = 0; i < n; i++) c.add(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    for (let i = 0; i < n; i += 7) c.add(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    assert.equal(c.estimated, true);
    const err = Math.abs(c.count() - n) / n;
    assert.ok(err < 4 * (1.04 / 64), `n=${n} estimate ${c.count()} error ${err}`);
  }
});

test('memory is bounded by the sketch once estimated, whatever the number of values', () => {
  const c = createDistinctCounter({ exactLimit: 64, precision: 10 });
  for (let i = 0; i < 100; i++) c.add(i);
  const after = c.bytes;
  for (let i = 100; i < 100_000; i++) c.add(i);
  assert.equal(c.bytes, after);
  assert.ok(c.bytes < 4096);
});

test('numbers and strings hash apart, and hashing is deterministic', () => {
  assert.equal(hashValue('22'), hashValue('22'));
  assert.notEqual(hashValue(22), hashValue(23));
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true })), (v) => {
      const h = hashValue(v);
      return Number.isInteger(h) && h >= 0 && h < 2 ** 32;
    }),
  );
});

test('property: the exact count equals the number of distinct values added', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (vals) => {
      const c = createDistinctCounter({ exactLimit: 1000 });
      for (const v of vals) c.add(v);
      return c.count() === new Set(vals).size;
    }),
  );
});
