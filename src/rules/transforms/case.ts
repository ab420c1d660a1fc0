/** to_lowercase and to_uppercase: ASCII letters only; other bytes pass through. */
import type { Scratch } from './scratch.js';

/**
 * @example toLowercase(bytes('GeT /A')) // 'get /a'
 */
export function toLowercase(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    o[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  return o.subarray(0, n);
}

/**
 * @example toUppercase(bytes('GeT /a')) // 'GET /A'
 */
export function toUppercase(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n);
  if (!o) return undefined;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    o[i] = b >= 0x61 && b <= 0x7a ? b & 0xdf : b;
  }
  return o.subarray(0, n);
}
