/**
 * Address-in-prefix tests on text addresses, for coverage rules. Not a hot
 * path: an incident is compared with a few prefixes.
 */
import { formatAddress, parseAddress } from '../../util/ip.js';

/**
 * True when `addr` is `prefix` (a plain address) or inside it (CIDR).
 *
 * @example
 * inPrefix('10.99.0.11', '10.99.0.0/24') // true
 */
export function inPrefix(addr: string, prefix: string): boolean {
  const slash = prefix.indexOf('/');
  const a = parseAddress(addr);
  const p = parseAddress(slash < 0 ? prefix : prefix.slice(0, slash));
  if (!a || !p || a.length !== p.length) return false;
  const bits = slash < 0 ? a.length * 8 : Number(prefix.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length * 8) return false;
  for (let i = 0; i < a.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((a[i]! & mask) !== (p[i]! & mask)) return false;
  }
  return true;
}

/** The first matching prefix of a list, or undefined. */
export function matchingPrefix(addr: string, prefixes: readonly string[]): string | undefined {
  return prefixes.find((p) => inPrefix(addr, p));
}

/**
 * The /24 (IPv4) or /64 (IPv6) prefix an address falls in, as CIDR text;
 * undefined for text that is not an address (a host name).
 *
 * @example
 * widePrefix('10.99.0.11') // '10.99.0.0/24'
 */
export function widePrefix(addr: string): string | undefined {
  const a = parseAddress(addr);
  if (!a) return undefined;
  const keep = a.length === 4 ? 3 : 8;
  const b = new Uint8Array(a.length);
  b.set(a.subarray(0, keep));
  return `${formatAddress(b, b.length)}/${keep * 8}`;
}
