import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createStateTable, type ExpireReason } from './state-table.js';

interface S {
  n: number;
  extra: number;
}

function table(budgetBytes: number, idleSeconds = 60) {
  const out: [string, number, ExpireReason][] = [];
  const t = createStateTable<S>({
    idleSeconds,
    budgetBytes,
    sizeOf: (s) => 32 + s.extra,
    onExpire: (k, s, r) => out.push([k, s.n, r]),
  });
  return { t, out };
}

test('state idle longer than the timeout expires in event time, active state stays', () => {
  const { t, out } = table(1 << 20, 60);
  t.get('a', 100, () => ({ n: 1, extra: 0 }));
  t.get('b', 130, () => ({ n: 2, extra: 0 }));
  t.get('a', 150, () => ({ n: 0, extra: 0 })).n++;
  t.advance(200);
  assert.deepEqual(out, [['b', 2, 'idle']]);
  t.advance(211);
  assert.deepEqual(out.at(-1), ['a', 2, 'idle']);
  assert.equal(t.stats().held, 0);
  assert.equal(t.stats().expired, 2);
});

test('over budget the least recently active state leaves, counted as evicted', () => {
  const { t, out } = table(3 * 200, 3600);
  for (let i = 0; i < 10; i++) t.get(`k${i}`, 1000 + i, () => ({ n: i, extra: 0 }));
  const s = t.stats();
  assert.ok(s.bytes <= 600 && s.peakBytes <= 600);
  assert.equal(s.evicted, out.length);
  assert.ok(out.length >= 7);
  assert.equal(out[0]![0], 'k0');
  assert.ok(out.every(([, , r]) => r === 'budget'));
});

test('growth reported by touched() counts against the budget', () => {
  const { t, out } = table(1000, 3600);
  t.get('a', 1, () => ({ n: 1, extra: 0 }));
  const b = t.get('b', 2, () => ({ n: 2, extra: 0 }));
  b.extra = 700;
  t.touched('b');
  assert.deepEqual(out, [['a', 1, 'budget']]);
  assert.equal(t.stats().held, 1);
});

test('drain hands every held state over once with reason end', () => {
  const { t, out } = table(1 << 20);
  t.get('x', 5, () => ({ n: 1, extra: 0 }));
  t.get('y', 6, () => ({ n: 2, extra: 0 }));
  t.drain();
  assert.deepEqual(
    out.map((o) => o[2]),
    ['end', 'end'],
  );
  assert.equal(t.stats().held, 0);
});

test('property: bytes never exceed the budget after any call, and every state leaves exactly once', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 500 }),
          fc.integer({ min: 0, max: 300 }),
        ),
      ),
      (ops) => {
        const left = new Map<string, number>();
        let created = 0;
        const t = createStateTable<S>({
          idleSeconds: 50,
          budgetBytes: 2000,
          sizeOf: (s) => s.extra,
          onExpire: (k) => left.set(k, (left.get(k) ?? 0) + 1),
        });
        let ts = 0;
        for (const [k, dt, grow] of ops) {
          ts += dt % 20;
          const key = `k${k}`;
          const s = t.get(key, ts, () => {
            created++;
            return { n: 0, extra: 0 };
          });
          s.extra = grow;
          t.touched(key);
          if (dt % 7 === 0) t.advance(ts);
          if (t.stats().bytes > 2000 + 2 * (160 + 8 + 300)) return false;
        }
        t.drain();
        let total = 0;
        for (const v of left.values()) total += v;
        return total === created;
      },
    ),
  );
});
