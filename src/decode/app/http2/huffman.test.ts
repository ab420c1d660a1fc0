import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  EOS,
  HUFFMAN_CODES,
  HUFFMAN_LENGTHS,
  huffmanDecode,
  huffmanDecodedBound,
  huffmanEncode,
} from './huffman.js';

const enc = new TextEncoder();
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function decode(b: Uint8Array): Uint8Array | string {
  const out = new Uint8Array(huffmanDecodedBound(b.length));
  const n = huffmanDecode(b, 0, b.length, out);
  return typeof n === 'number' ? out.subarray(0, n) : n;
}

test('generated codes equal the hex column of RFC 7541 Appendix B', () => {
  // [symbol, code as hex, length] rows read off the RFC's table, spread over all lengths.
  const rows: Array<[number, number, number]> = [
    [0, 0x1ff8, 13],
    [1, 0x7fffd8, 23],
    [9, 0xffffea, 24],
    [10, 0x3ffffffc, 30],
    [22, 0x3ffffffe, 30],
    [32, 0x14, 6],
    [36, 0x1ff9, 13],
    [48, 0x0, 5],
    [58, 0x5c, 7],
    [60, 0x7ffc, 15],
    [88, 0xfc, 8],
    [92, 0x7fff0, 19],
    [94, 0x3ffc, 14],
    [116, 0x9, 5],
    [124, 0x7fc, 11],
    [127, 0xffffffc, 28],
    [128, 0xfffe6, 20],
    [153, 0x1fffdc, 21],
    [199, 0x1ffffec, 25],
    [192, 0x3ffffe0, 26],
    [203, 0x7ffffde, 27],
    [220, 0xffffffd, 28],
    [249, 0xffffffe, 28],
    [254, 0x7fffff0, 27],
    [255, 0x3ffffee, 26],
    [EOS, 0x3fffffff, 30],
  ];
  for (const [sym, code, len] of rows) {
    assert.equal(HUFFMAN_LENGTHS[sym], len, `length of ${sym}`);
    assert.equal(HUFFMAN_CODES[sym], code, `code of ${sym}`);
  }
});

test('the code is complete and prefix-free (Kraft sum exactly 1)', () => {
  let sum = 0;
  for (let s = 0; s <= EOS; s++) sum += 2 ** -HUFFMAN_LENGTHS[s]!;
  assert.equal(sum, 1);
  // Lengths per size as the RFC's table has them.
  const perLength = new Map<number, number>();
  for (let s = 0; s <= EOS; s++)
    perLength.set(HUFFMAN_LENGTHS[s]!, (perLength.get(HUFFMAN_LENGTHS[s]!) ?? 0) + 1);
  assert.equal(perLength.get(5), 10);
  assert.equal(perLength.get(30), 4);
});

test('RFC 7541 Appendix C Huffman strings decode and re-encode byte for byte', () => {
  const vectors: Array<[string, string]> = [
    ['f1e3 c2e5 f23a 6ba0 ab90 f4ff', 'www.example.com'],
    ['a8eb 1064 9cbf', 'no-cache'],
    ['25a8 49e9 5ba9 7d7f', 'custom-key'],
    ['25a8 49e9 5bb8 e8b4 bf', 'custom-value'],
    ['6402', '302'],
    ['aec3 771a 4b', 'private'],
    ['d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff', 'Mon, 21 Oct 2013 20:13:21 GMT'],
    ['9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3', 'https://www.example.com'],
    ['640e ff', '307'],
  ];
  for (const [h, text] of vectors) {
    const decoded = decode(hex(h));
    assert.ok(decoded instanceof Uint8Array, `${h}: ${String(decoded)}`);
    assert.equal(Buffer.from(decoded).toString('latin1'), text);
    assert.deepEqual(huffmanEncode(enc.encode(text)), hex(h));
  }
});

test('padding rules: EOS in the string, padding of 8+ bits or with a zero bit are errors', () => {
  assert.equal(decode(Uint8Array.of(0xff, 0xff, 0xff, 0xff)), 'eos-in-string');
  // '0' is 00000; then 8 one-bits of padding is too long.
  assert.equal(decode(Uint8Array.of(0x07, 0xff)), 'bad-padding');
  // '0' then padding 000 (not a prefix of EOS).
  assert.equal(decode(Uint8Array.of(0x00)), 'bad-padding');
  assert.deepEqual(decode(Uint8Array.of(0x07)), enc.encode('0'));
  assert.deepEqual(decode(new Uint8Array(0)), new Uint8Array(0));
});

test('property: encode then decode gives back any byte string', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const coded = huffmanEncode(bytes);
      const back = decode(coded);
      assert.ok(back instanceof Uint8Array);
      assert.deepEqual(back, bytes);
    }),
    { numRuns: 500 },
  );
});

test('property: random bytes decode to an error or to output within the bound, never throw', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const out = new Uint8Array(huffmanDecodedBound(bytes.length));
      const n = huffmanDecode(bytes, 0, bytes.length, out);
      if (typeof n === 'number') {
        assert.ok(n <= out.length);
        // Whatever decodes must re-encode to the same bytes: the code is prefix-free and padding canonical.
        assert.deepEqual(huffmanEncode(out.subarray(0, n)), bytes);
      } else {
        assert.ok(n === 'eos-in-string' || n === 'bad-padding');
      }
    }),
    { numRuns: 1000 },
  );
});
