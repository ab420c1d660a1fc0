import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteSetTable } from './table.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('add, has, value, remove', () => {
  const t = new ByteSetTable(1 << 20, 4);
  assert.equal(t.add(enc('a'), 7), 1);
  assert.equal(t.add(enc('a'), 9), 0);
  assert.equal(t.add(new Uint8Array(0), 1), 1);
  assert.ok(t.has(enc('a')) && t.has(new Uint8Array(0)) && !t.has(enc('b')));
  assert.equal(t.value(enc('a')), 7);
  assert.equal(t.value(enc('b')), -1);
  assert.equal(t.remove(enc('a')), true);
  assert.equal(t.remove(enc('a')), false);
  assert.equal(t.has(enc('a')), false);
  assert.equal(t.size, 1);
});

test('agrees with a Map under random operations (growth, tombstones, collisions)', () => {
  const op = fc.tuple(
    fc.constantFrom('add', 'remove', 'has'),
    fc.uint8Array({ maxLength: 6 }),
    fc.nat(0xffff),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const t = new ByteSetTable(1 << 22, 1);
      const m = new Map<string, number>();
      for (const [kind, key, value] of ops) {
        const k = Buffer.from(key).toString('hex');
        if (kind === 'add') {
          assert.equal(t.add(key, value), m.has(k) ? 0 : 1);
          if (!m.has(k)) m.set(k, value);
        } else if (kind === 'remove') assert.equal(t.remove(key), m.delete(k));
        else assert.equal(t.value(key), m.get(k) ?? -1);
      }
      assert.equal(t.size, m.size);
      const seen = new Map<string, number>();
      t.forEach((key, value) => {
        seen.set(Buffer.from(key).toString('hex'), value);
      });
      assert.deepEqual(seen, m);
    }),
    { numRuns: 300 },
  );
});

test('the memcap bounds memory: a full table refuses and counts, and keeps what it has', () => {
  const t = new ByteSetTable(64 * 1024, 16);
  let added = 0;
  for (let i = 0; i < 100_000; i++) if (t.add(enc(`value-${i}`), 0) === 1) added++;
  assert.ok(added > 100 && added < 100_000, `${added} added`);
  assert.equal(t.refused, 100_000 - added);
  assert.ok(t.memoryUsed <= 64 * 1024, `${t.memoryUsed} bytes`);
  assert.ok(t.has(enc('value-0')) && t.has(enc(`value-${added - 1}`)));
  assert.equal(t.has(enc(`value-${added}`)), false);
});

test('a memcap smaller than the smallest index still works, refusing everything it cannot hold', () => {
  const t = new ByteSetTable(100, 1);
  assert.equal(t.add(enc('x'), 0), -1);
  assert.equal(t.refused, 1);
  assert.equal(t.has(enc('x')), false);
});
