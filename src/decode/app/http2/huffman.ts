/**
 * HPACK's static Huffman code (RFC 7541, Appendix B).
 *
 * The code in the RFC is canonical: codes of one length are consecutive
 * numbers in symbol order, and each length starts right after the previous
 * one (shifted left). So the bit lengths alone define it; the codes are
 * generated from them below, and a test checks them against the RFC's hex
 * column and that the code is complete (Kraft sum exactly 1).
 */

/** Bit length of the code of each symbol 0..255, then EOS (256). */
// biome-ignore format: one row per 16 symbols keeps the table checkable by eye
export const HUFFMAN_CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, //   0..15
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, //  16..31
   6, 10, 10, 12, 13,  6,  8, 11, 10, 10,  8, 11,  8,  6,  6,  6, //  ' '../
   5,  5,  5,  6,  6,  6,  6,  6,  6,  6,  7,  8, 15,  6, 12, 10, //  0..?
  13,  6,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7, //  @..O
   7,  7,  7,  7,  7,  7,  7,  7,  8,  7,  8, 13, 19, 13, 14,  6, //  P.._
  15,  5,  6,  5,  6,  5,  6,  6,  6,  5,  7,  7,  6,  6,  6,  5, //  `..o
   6,  7,  6,  5,  5,  6,  7,  7,  7,  7,  7, 15, 11, 14, 13, 28, //  p..127
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128..143
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144..159
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160..175
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176..191
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192..207
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208..223
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224..239
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240..255
  30, //                                                               EOS
];

export const EOS = 256;

/** Codes (right-aligned) and lengths, indexed by symbol. */
export const HUFFMAN_CODES: Uint32Array = new Uint32Array(257);
export const HUFFMAN_LENGTHS: Uint8Array = Uint8Array.from(HUFFMAN_CODE_LENGTHS);

/**
 * Decoding tree as a flat array: node n has children at [2n] (bit 0) and
 * [2n+1] (bit 1). A child > 0 is another node; a child < 0 is the leaf of
 * symbol -(child+1); 0 means no code goes there (cannot happen: the code is complete).
 */
const TREE = new Int32Array(2 * 512);

function buildCanonicalCode(): void {
  let code = 0;
  let nodes = 1; // node 0 is the root
  for (let len = 1; len <= 30; len++) {
    for (let sym = 0; sym <= EOS; sym++) {
      if (HUFFMAN_LENGTHS[sym] !== len) continue;
      HUFFMAN_CODES[sym] = code;
      // Walk/extend the tree along the code's bits, most significant first.
      let node = 0;
      for (let b = len - 1; b > 0; b--) {
        const slot = 2 * node + ((code >>> b) & 1);
        if (TREE[slot] === 0) TREE[slot] = nodes++;
        node = TREE[slot]!;
      }
      TREE[2 * node + (code & 1)] = -(sym + 1);
      code++;
    }
    code <<= 1;
  }
}
buildCanonicalCode();

/** Upper bound of the decoded length of `n` Huffman-coded bytes (the shortest code is 5 bits). */
export function huffmanDecodedBound(n: number): number {
  return Math.floor((n * 8) / 5);
}

/** Why a Huffman string was rejected (RFC 7541 §5.2). */
export type HuffmanError = 'eos-in-string' | 'bad-padding';

/**
 * Decodes `src[start..end)` into `out` from index 0; returns the decoded
 * length or an error. `out` must hold huffmanDecodedBound(end - start) bytes.
 *
 * @example
 * const out = new Uint8Array(huffmanDecodedBound(b.length));
 * const n = huffmanDecode(b, 0, b.length, out); // typeof n === 'number' → out.subarray(0, n)
 */
export function huffmanDecode(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
): number | HuffmanError {
  let node = 0;
  let n = 0;
  // Bits read since the last complete symbol, and whether they were all ones:
  // the padding at the end must be a prefix of EOS (all ones) and under 8 bits.
  let pendingBits = 0;
  let pendingOnes = true;
  for (let i = start; i < end; i++) {
    const byte = src[i]!;
    for (let b = 7; b >= 0; b--) {
      const bit = (byte >>> b) & 1;
      const next = TREE[2 * node + bit]!;
      pendingBits++;
      if (bit === 0) pendingOnes = false;
      if (next < 0) {
        const sym = -next - 1;
        if (sym === EOS) return 'eos-in-string';
        out[n++] = sym;
        node = 0;
        pendingBits = 0;
        pendingOnes = true;
      } else {
        node = next;
      }
    }
  }
  if (pendingBits > 7 || !pendingOnes) return 'bad-padding';
  return n;
}

/** Length in bytes of `src` once Huffman-coded. */
export function huffmanEncodedLength(src: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < src.length; i++) bits += HUFFMAN_LENGTHS[src[i]!]!;
  return (bits + 7) >>> 3;
}

/**
 * Huffman-codes `src`, padding the last byte with ones (the start of EOS).
 * Picket only decodes traffic; this is here for tests and test-traffic builders.
 *
 * @example huffmanEncode(new TextEncoder().encode('no-cache')) // a8 eb 10 64 9c bf
 */
export function huffmanEncode(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(src));
  let acc = 0; // pending bits of the current output byte, right-aligned
  let accBits = 0;
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const sym = src[i]!;
    const len = HUFFMAN_LENGTHS[sym]!;
    const code = HUFFMAN_CODES[sym]!;
    // Feed the code one bit at a time from the top: simple and never overflows 32 bits.
    for (let b = len - 1; b >= 0; b--) {
      acc = (acc << 1) | ((code >>> b) & 1);
      if (++accBits === 8) {
        out[o++] = acc;
        acc = 0;
        accBits = 0;
      }
    }
  }
  if (accBits > 0) out[o] = ((acc << (8 - accBits)) | (0xff >>> accBits)) & 0xff;
  return out;
}
