/**
 * url_decode: `%XX` becomes the byte, `+` a space. A `%` not followed by two
 * hex digits is kept as written, together with the bytes that broke it.
 */
import type { Scratch } from './scratch.js';

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * @example urlDecode(bytes('a%27b+c%zz')) // "a'b c%zz"
 */
export function urlDecode(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  let w = 0;
  // 0: plain; 1: after '%'; 2: after '%' and one hex digit (held in `first`).
  let state = 0;
  let first = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    if (state === 0) {
      if (b === 0x25) state = 1;
      else o[w++] = b === 0x2b ? 0x20 : b;
      continue;
    }
    const v = hexValue(b);
    if (v >= 0 && state === 1) {
      first = b;
      state = 2;
    } else if (v >= 0) {
      o[w++] = (hexValue(first) << 4) | v;
      state = 0;
    } else {
      // A broken escape: the '%', the digit seen (if any) and this byte, as written.
      o[w++] = 0x25;
      if (state === 2) o[w++] = first;
      o[w++] = b;
      state = 0;
    }
  }
  if (state > 0) {
    o[w++] = 0x25;
    if (state === 2) o[w++] = first;
  }
  return o.subarray(0, w);
}
