/**
 * bzip2 decompression for nfdump's BZ2 blocks (`nfcapd -j`, `nfdump -j`;
 * each block is one whole bzip2 stream), in plain TypeScript: Node has no
 * bzip2. Written from the format: per block, a symbol map, Huffman tables
 * chosen per 50 symbols, move-to-front and zero-run coding, the inverse
 * Burrows-Wheeler transform, then the initial run-length coding undone; each
 * block's CRC is checked. Malformed input returns -1, never throws, and every
 * table is bounded by the stream's declared block size (at most 900 kB).
 */

const BAD = Symbol('bad bzip2 data');
const MAX_CODE_LEN = 20;
const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();
/** The BWT vector, reused across calls (the largest block size seen, at most 900,000 entries). */
let tt = new Uint32Array(0);

/**
 * Decompresses one bzip2 stream into `dst`; returns the length, or -1 when
 * the stream is malformed, fails its CRC or does not fit in `dst`.
 *
 * @example const n = bz2DecompressBlock(block, out); if (n < 0) problem('bad BZ2 block')
 */
export function bz2DecompressBlock(src: Uint8Array, dst: Uint8Array): number {
  try {
    return decode(src, dst);
  } catch (e) {
    if (e === BAD) return -1;
    throw e;
  }
}

function decode(src: Uint8Array, dst: Uint8Array): number {
  if (src.length < 4 || src[0] !== 0x42 || src[1] !== 0x5a || src[2] !== 0x68) throw BAD;
  const level = src[3]! - 0x30;
  if (level < 1 || level > 9) throw BAD;
  const blockMax = level * 100_000;
  if (tt.length < blockMax) tt = new Uint32Array(blockMax);
  let ip = 4;
  let buf = 0;
  let live = 0;
  // MSB-first bit reader; n <= 24 keeps the buffer within 32 bits.
  const bits = (n: number): number => {
    while (live < n) {
      if (ip >= src.length) throw BAD;
      buf = ((buf << 8) | src[ip++]!) >>> 0;
      live += 8;
    }
    live -= n;
    return (buf >>> live) & ((1 << n) - 1);
  };
  let op = 0;
  const seqToUnseq = new Uint8Array(256);
  const mtf = new Uint8Array(256);
  const counts = new Int32Array(256);
  const lens = new Uint8Array(258);
  for (;;) {
    const m1 = bits(24);
    const m2 = bits(24);
    if (m1 === 0x177245 && m2 === 0x385090) {
      bits(16);
      bits(16); // the stream CRC: each block's own was checked
      return op;
    }
    if (m1 !== 0x314159 || m2 !== 0x265359) throw BAD;
    const blockCrc = ((bits(16) << 16) | bits(16)) >>> 0;
    if (bits(1)) throw BAD; // "randomised" blocks: obsolete, never written by bzip2 since 0.9.5
    const origPtr = bits(24);

    // Which byte values occur: 16 groups of 16.
    const used = bits(16);
    let nInUse = 0;
    for (let i = 0; i < 16; i++) {
      if (!(used & (0x8000 >> i))) continue;
      const w = bits(16);
      for (let j = 0; j < 16; j++) if (w & (0x8000 >> j)) seqToUnseq[nInUse++] = i * 16 + j;
    }
    if (nInUse === 0) throw BAD;
    const alphaSize = nInUse + 2;
    const nGroups = bits(3);
    const nSelectors = bits(15);
    if (nGroups < 2 || nGroups > 6 || nSelectors < 1) throw BAD;
    // Selectors: unary-coded move-to-front indexes over the table numbers.
    const order = [0, 1, 2, 3, 4, 5];
    const selectors = new Uint8Array(nSelectors);
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (bits(1)) if (++j >= nGroups) throw BAD;
      const v = order[j]!;
      for (; j > 0; j--) order[j] = order[j - 1]!;
      order[0] = v;
      selectors[i] = v;
    }
    // Code lengths per table, delta-coded; then canonical Huffman decoding tables.
    const tables: HuffTable[] = [];
    for (let t = 0; t < nGroups; t++) {
      let curr = bits(5);
      for (let i = 0; i < alphaSize; i++) {
        for (;;) {
          if (curr < 1 || curr > MAX_CODE_LEN) throw BAD;
          if (!bits(1)) break;
          curr += bits(1) ? -1 : 1;
        }
        lens[i] = curr;
      }
      tables.push(huffTable(lens, alphaSize));
    }

    // Symbols → bytes: zero runs (RUNA/RUNB, bijective base 2), move-to-front, end of block.
    for (let i = 0; i < nInUse; i++) mtf[i] = i;
    counts.fill(0);
    const eob = nInUse + 1;
    let nblock = 0;
    let group = -1;
    let left = 0;
    let table = tables[0]!;
    let run = 0;
    let weight = 1;
    for (;;) {
      if (left === 0) {
        if (++group >= nSelectors) throw BAD;
        table = tables[selectors[group]!]!;
        left = 50;
      }
      left--;
      const sym = readSymbol(table, bits);
      if (sym <= 1) {
        run += (sym + 1) * weight;
        weight *= 2;
        if (run > blockMax) throw BAD;
        continue;
      }
      if (run > 0) {
        if (nblock + run > blockMax) throw BAD;
        const b = seqToUnseq[mtf[0]!]!;
        counts[b]! += run;
        tt.fill(b, nblock, nblock + run);
        nblock += run;
        run = 0;
        weight = 1;
      }
      if (sym === eob) break;
      const idx = sym - 1;
      if (idx >= nInUse) throw BAD;
      const v = mtf[idx]!;
      mtf.copyWithin(1, 0, idx);
      mtf[0] = v;
      if (nblock >= blockMax) throw BAD;
      const b = seqToUnseq[v]!;
      counts[b]!++;
      tt[nblock++] = b;
    }
    if (origPtr >= nblock) throw BAD;

    // Inverse BWT: each entry's high 24 bits become the index of the next byte.
    let sum = 0;
    for (let i = 0; i < 256; i++) {
      const c = counts[i]!;
      counts[i] = sum;
      sum += c;
    }
    for (let i = 0; i < nblock; i++) {
      const b = tt[i]! & 0xff;
      tt[counts[b]!] = (tt[counts[b]!]! | (i << 8)) >>> 0;
      counts[b]!++;
    }
    // Walk the chain, undoing the first run-length step (4 equal bytes, then a count of more).
    let pos = tt[origPtr]! >>> 8;
    let last = -1;
    let same = 0;
    let crc = 0xffffffff;
    for (let k = 0; k < nblock; k++) {
      const e = tt[pos]!;
      const ch = e & 0xff;
      pos = e >>> 8;
      if (same === 4) {
        if (op + ch > dst.length) throw BAD;
        for (let r = 0; r < ch; r++) {
          dst[op++] = last;
          crc = ((crc << 8) ^ crcTable[(crc >>> 24) ^ last]!) >>> 0;
        }
        same = 0;
        continue;
      }
      if (ch === last) same++;
      else {
        last = ch;
        same = 1;
      }
      if (op >= dst.length) throw BAD;
      dst[op++] = ch;
      crc = ((crc << 8) ^ crcTable[(crc >>> 24) ^ ch]!) >>> 0;
    }
    if (~crc >>> 0 !== blockCrc) throw BAD;
  }
}

interface HuffTable {
  /** First code of each length, the count of codes of that length, and where they start in `symbols`. */
  first: Int32Array;
  count: Int32Array;
  start: Int32Array;
  symbols: Uint16Array;
}

function huffTable(lens: Uint8Array, n: number): HuffTable {
  const count = new Int32Array(MAX_CODE_LEN + 1);
  for (let i = 0; i < n; i++) count[lens[i]!]!++;
  const start = new Int32Array(MAX_CODE_LEN + 1);
  const first = new Int32Array(MAX_CODE_LEN + 1);
  let code = 0;
  let at = 0;
  for (let l = 1; l <= MAX_CODE_LEN; l++) {
    code = (code + count[l - 1]!) << 1;
    first[l] = code;
    start[l] = at;
    at += count[l]!;
  }
  // Symbols in code order: by length, then by symbol value.
  const symbols = new Uint16Array(n);
  const fill = start.slice();
  for (let i = 0; i < n; i++) symbols[fill[lens[i]!]!++] = i;
  return { first, count, start, symbols };
}

function readSymbol(t: HuffTable, bits: (n: number) => number): number {
  let code = 0;
  for (let l = 1; l <= MAX_CODE_LEN; l++) {
    code = (code << 1) | bits(1);
    const k = code - t.first[l]!;
    if (k >= 0 && k < t.count[l]!) return t.symbols[t.start[l]! + k]!;
  }
  throw BAD;
}
