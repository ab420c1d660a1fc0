/**
 * LZ4 block decompression (the raw block format nfdump writes with `-y`), in
 * plain TypeScript: Node 20 has no LZ4. Bounds-checked against hostile input:
 * every read and copy is checked, so a lying block returns -1, never throws.
 */

/**
 * Decompresses `src` (one LZ4 block) into `dst`; returns the decompressed
 * length, or -1 when the block is malformed or does not fit in `dst`.
 *
 * @example const n = lz4DecompressBlock(block, out); if (n < 0) problem('bad LZ4 block')
 */
export function lz4DecompressBlock(src: Uint8Array, dst: Uint8Array): number {
  const srcEnd = src.length;
  const dstEnd = dst.length;
  let ip = 0;
  let op = 0;
  while (ip < srcEnd) {
    const token = src[ip++]!;
    // Literals: the high nibble, 15 meaning "more length bytes follow".
    let lit = token >>> 4;
    if (lit === 15) {
      let b = 255;
      while (b === 255) {
        if (ip >= srcEnd) return -1;
        b = src[ip++]!;
        lit += b;
      }
    }
    if (ip + lit > srcEnd || op + lit > dstEnd) return -1;
    dst.set(src.subarray(ip, ip + lit), op);
    ip += lit;
    op += lit;
    if (ip === srcEnd) return op; // the last sequence has literals only
    if (ip + 2 > srcEnd) return -1;
    const dist = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (dist === 0 || dist > op) return -1;
    let len = (token & 15) + 4;
    if ((token & 15) === 15) {
      let b = 255;
      while (b === 255) {
        if (ip >= srcEnd) return -1;
        b = src[ip++]!;
        len += b;
      }
    }
    if (op + len > dstEnd) return -1;
    // Byte by byte: a match may overlap its own output (a run).
    let from = op - dist;
    if (dist >= len) {
      dst.copyWithin(op, from, from + len);
      op += len;
    } else {
      for (let i = 0; i < len; i++) dst[op++] = dst[from++]!;
    }
  }
  return -1; // an empty block, or one ending after a match: not what an LZ4 writer produces
}
