/**
 * LZO1X decompression (what nfdump writes with `-z`, the LZO1X-1 stream of
 * minilzo), in plain TypeScript: Node has no LZO. Written from the stream
 * format: each instruction byte says, given how many literals came just
 * before it (the state: 0, 1-3, or 4 for "4 or more"), whether a literal run
 * or a back-reference follows. Every read and copy is bounds-checked, so a
 * hostile block returns -1 and never throws or overruns.
 */

/**
 * Decompresses one LZO1X block into `dst`; returns the decompressed length,
 * or -1 when the block is malformed or does not fit in `dst`.
 *
 * @example const n = lzoDecompressBlock(block, out); if (n < 0) problem('bad LZO block')
 */
export function lzoDecompressBlock(src: Uint8Array, dst: Uint8Array): number {
  const ie = src.length;
  const oe = dst.length;
  let ip = 0;
  let op = 0;
  let state = 0;
  if (ie === 0) return -1;
  if (src[0]! > 17) {
    // A stream may open with a literal run whose length is in the first byte.
    const n = src[0]! - 17;
    ip = 1;
    if (ip + n > ie || op + n > oe) return -1;
    dst.set(src.subarray(ip, ip + n), op);
    ip += n;
    op += n;
    state = Math.min(n, 4);
  }
  for (;;) {
    if (ip >= ie) return -1;
    const t = src[ip++]!;
    let len: number;
    let dist: number;
    let next: number;
    if (t < 16) {
      if (state === 0) {
        // A literal run of 3 + t, or for t = 0 a longer one: 18 + 255 per zero byte + the next byte.
        let n = t;
        if (n === 0) {
          n = 15;
          while (ip < ie && src[ip] === 0) {
            n += 255;
            ip++;
          }
          if (ip >= ie) return -1;
          n += src[ip++]!;
        }
        n += 3;
        if (ip + n > ie || op + n > oe) return -1;
        dst.set(src.subarray(ip, ip + n), op);
        ip += n;
        op += n;
        state = 4;
        continue;
      }
      if (ip >= ie) return -1;
      const h = src[ip++]!;
      // Right after a literal run the short match is 3 bytes and 2 kB further back; else 2 bytes.
      if (state === 4) {
        len = 3;
        dist = (h << 2) + (t >> 2) + 2049;
      } else {
        len = 2;
        dist = (h << 2) + (t >> 2) + 1;
      }
      next = t & 3;
    } else if (t < 64) {
      const far = t < 32;
      let l = far ? t & 7 : t & 31;
      if (l === 0) {
        l = far ? 7 : 31;
        while (ip < ie && src[ip] === 0) {
          l += 255;
          ip++;
        }
        if (ip >= ie) return -1;
        l += src[ip++]!;
      }
      len = l + 2;
      if (ip + 2 > ie) return -1;
      const v = src[ip]! | (src[ip + 1]! << 8);
      ip += 2;
      if (far) {
        dist = 16384 + ((t & 8) << 11) + (v >> 2);
        if (dist === 16384) return op; // the end-of-stream marker
      } else {
        dist = (v >> 2) + 1;
      }
      next = v & 3;
    } else {
      if (ip >= ie) return -1;
      const h = src[ip++]!;
      len = t < 128 ? 3 + ((t >> 5) & 1) : 5 + ((t >> 5) & 3);
      dist = (h << 3) + ((t >> 2) & 7) + 1;
      next = t & 3;
    }
    if (dist > op || op + len > oe) return -1;
    let from = op - dist;
    if (dist >= len) {
      dst.copyWithin(op, from, from + len);
      op += len;
    } else {
      for (let i = 0; i < len; i++) dst[op++] = dst[from++]!;
    }
    // Up to 3 literals follow a match; their count is the state for the next instruction.
    if (next > 0) {
      if (ip + next > ie || op + next > oe) return -1;
      for (let i = 0; i < next; i++) dst[op++] = src[ip++]!;
    }
    state = next;
  }
}
