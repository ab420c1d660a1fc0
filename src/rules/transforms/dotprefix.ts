/** dotprefix: puts a '.' in front of the buffer, so `.example.com` matches a domain and its subdomains. */
import type { Scratch } from './scratch.js';

/**
 * An empty buffer stays empty, as in Suricata.
 * @example dotprefix(bytes('a.com'), new Scratch()) // '.a.com'
 */
export function dotprefix(input: Uint8Array, out: Scratch): Uint8Array | undefined {
  const n = input.length;
  if (n === 0) return input;
  const o = out.take(n + 1);
  if (!o) return undefined;
  o[0] = 0x2e;
  o.set(input, 1);
  return o.subarray(0, n + 1);
}
