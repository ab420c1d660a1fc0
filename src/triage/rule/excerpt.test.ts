import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EXCERPT_MAX_SPAN, escapeBytes, excerptAround } from './excerpt.js';

/** Reads an excerpt back to bytes (the inverse of the escaping, ignoring "…"). */
function readBack(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '…') continue;
    if (s[i] === '\\') {
      out.push(Number.parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else out.push(s.charCodeAt(i));
  }
  return out;
}

test('excerpt: non-printing bytes, quotes and backslashes are shown inert', () => {
  assert.equal(escapeBytes(Buffer.from('a\n"b\\\u0000\u001b[2J')), 'a\\x0a"b\\x5c\\x00\\x1b[2J');
  const x = excerptAround(Buffer.from('Mozilla Nessus x'), 8, 14);
  assert.deepEqual(x, { excerpt: 'Mozilla Nessus x', start: 8, end: 14 });
});

test('excerpt: long buffers are cut around the span, and the span is where it says', () => {
  const b = Buffer.from(`${'a'.repeat(500)}NEEDLE${'b'.repeat(500)}`);
  const x = excerptAround(b, 500, 506);
  assert.equal(x.excerpt.slice(x.start, x.end), 'NEEDLE');
  assert.ok(x.excerpt.startsWith('…') && x.excerpt.endsWith('…'));
  assert.ok(x.excerpt.length < 100);
});

test('excerpt (property): printable ASCII only, bounded, and the span reads back to the matched bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const s = bytes.length === 0 ? 0 : a % bytes.length;
      const e = Math.min(bytes.length, s + (b % 300));
      const x = excerptAround(bytes, s, e);
      assert.match(x.excerpt, /^[\x20-\x7e…]*$/);
      assert.ok(x.excerpt.length <= 4 * (EXCERPT_MAX_SPAN + 80) + 3);
      const span = readBack(x.excerpt.slice(x.start, x.end));
      const want = [...bytes.subarray(s, Math.min(e, s + EXCERPT_MAX_SPAN))];
      assert.deepEqual(span, want);
    }),
  );
});
