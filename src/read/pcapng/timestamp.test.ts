import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { toSecNsec, tsResolution } from './timestamp.js';

/** Exact reference with BigInt. */
function reference(ts: bigint, byte: number): [number, number] {
  const units = byte & 0x80 ? 1n << BigInt(byte & 0x7f) : 10n ** BigInt(byte);
  return [Number(ts / units), Number(((ts % units) * 1_000_000_000n) / units)];
}

test('timestamp conversion is exact for every resolution and the full 64-bit range', () => {
  const out = { sec: 0, nsec: 0 };
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.oneof(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0x80, max: 0x80 + 64 })),
      (ts, byte) => {
        toSecNsec(Number(ts >> 32n), Number(ts & 0xffffffffn), tsResolution(byte), out);
        const [sec, nsec] = reference(ts, byte);
        // seconds beyond 2^53 cannot be exact in a double; compare them as doubles
        assert.equal(out.sec, sec);
        assert.equal(out.nsec, nsec);
      },
    ),
    { numRuns: 5000 },
  );
});

test('common values', () => {
  const out = { sec: 0, nsec: 0 };
  toSecNsec(0, 1_500_000, tsResolution(6), out);
  assert.deepEqual(out, { sec: 1, nsec: 500_000_000 });
  const ns = 1_700_000_000_123_456_789n;
  toSecNsec(Number(ns >> 32n), Number(ns & 0xffffffffn), tsResolution(9), out);
  assert.deepEqual(out, { sec: 1_700_000_000, nsec: 123_456_789 });
});
