/**
 * Transforms for header buffers (one `Name: value` per line):
 * header_lowercase lower-cases the names only, so HTTP/1 and HTTP/2 headers
 * compare alike; strip_pseudo_headers drops HTTP/2 pseudo-header lines (`:method` ...).
 */
import type { Scratch } from './scratch.js';

/**
 * Lower-cases each line up to its first ':'; values keep their case.
 * @example headerLowercase(bytes('Accept-Ranges: Bytes\r\n')) // 'accept-ranges: Bytes\r\n'
 */
export function headerLowercase(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  let inValue = false;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    if (inValue) {
      o[i] = b;
      if (b === 0x0a) inValue = false;
    } else if (b === 0x3a) {
      o[i] = b;
      inValue = true;
    } else {
      o[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
    }
  }
  return o.subarray(0, n);
}

/**
 * Drops every line (with its '\n') that starts with ':'.
 * @example stripPseudoHeaders(bytes(':method: GET\nhost: a\n')) // 'host: a\n'
 */
export function stripPseudoHeaders(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  let w = 0;
  let start = 0;
  while (start < n) {
    let end = input.indexOf(0x0a, start);
    end = end < 0 ? n : end + 1;
    if (input[start] !== 0x3a) {
      o.set(input.subarray(start, end), w);
      w += end - start;
    }
    start = end;
  }
  return o.subarray(0, w);
}
