/** strip_whitespace and compress_whitespace, with C isspace() as the whitespace set. */
import type { Scratch } from './scratch.js';

/** Tab, LF, VT, FF, CR and space: what C's isspace() says in the C locale. */
export function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * Removes every whitespace byte.
 * @example stripWhitespace(bytes(' a b\t')) // 'ab'
 */
export function stripWhitespace(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    if (!isSpace(b)) o[w++] = b;
  }
  return o.subarray(0, w);
}

/**
 * Keeps the first byte of each whitespace run and drops the rest of the run
 * (the kept byte is not turned into a space, as in Suricata).
 * @example compressWhitespace(bytes('a \t b')) // 'a b'
 */
export function compressWhitespace(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  let w = 0;
  let inRun = false;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    if (!isSpace(b)) {
      o[w++] = b;
      inRun = false;
    } else if (!inRun) {
      o[w++] = b;
      inRun = true;
    }
  }
  return o.subarray(0, w);
}
