/**
 * Address and CIDR text → an inclusive range of 32- or 128-bit integers.
 * Host bits below the prefix are cleared (lists often write 45.83.64.1/24).
 */
import { parseAddress } from '../../util/ip.js';

/** IPv4 bounds are plain numbers (fast to sort and search); IPv6 bounds are bigints. */
export type AddressRange =
  | { family: 4; start: number; end: number; prefix: number }
  | { family: 6; start: bigint; end: bigint; prefix: number };

/** The bytes as one unsigned integer, most significant first. */
export function bytesToBigInt(b: Uint8Array, len: number): bigint {
  let v = 0n;
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** True for ::ffff:a.b.c.d (an IPv4 address written as IPv6). */
export function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * @example parseRange('162.142.125.0/24') // { family: 4, start: 2727238912n, end: 2727239167n, prefix: 24 }
 * @example parseRange('2602:80d:1000::/40')?.family // 6
 * @example parseRange('300.1.1.1') // undefined
 */
export function parseRange(text: string): AddressRange | undefined {
  const fast = parseV4Range(text);
  if (fast !== null) return fast;
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseAddress(addrText);
  if (!bytes) return undefined;
  let family: 4 | 6 = bytes.length === 4 ? 4 : 6;
  let value = bytesToBigInt(bytes, bytes.length);
  let bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > bits) return undefined;
  }
  // An IPv4-mapped IPv6 entry is an IPv4 entry.
  if (family === 6 && isV4Mapped(bytes) && prefix >= 96) {
    family = 4;
    value &= 0xffffffffn;
    prefix -= 96;
    bits = 32;
  }
  const hostBits = BigInt(bits - prefix);
  const start = (value >> hostBits) << hostBits;
  const end = start | ((1n << hostBits) - 1n);
  return family === 4
    ? { family, start: Number(start), end: Number(end), prefix }
    : { family, start, end, prefix };
}

/**
 * Dotted quad with an optional /prefix, without regexps or bigints (the lists
 * hold tens of thousands of them); null when the text is not that shape, so
 * the general parser decides.
 */
function parseV4Range(t: string): AddressRange | undefined | null {
  let value = 0;
  let part = -1;
  let digits = 0;
  let parts = 0;
  let i = 0;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part < 0 ? c - 48 : part * 10 + c - 48;
      // Not a dotted quad after all (an IPv6 address starts with digits too): the general parser decides.
      if (part > 255 || ++digits > 3) return null;
    } else if (c === 46 && part >= 0 && parts < 3) {
      value = value * 256 + part;
      part = -1;
      digits = 0;
      parts++;
    } else break;
  }
  if (parts !== 3 || part < 0) return null;
  value = value * 256 + part;
  let prefix = 32;
  if (i < t.length) {
    if (t.charCodeAt(i) !== 47 || i + 1 === t.length || t.length - i > 3) return null;
    prefix = 0;
    for (let j = i + 1; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (c < 48 || c > 57) return null;
      prefix = prefix * 10 + c - 48;
    }
    if (prefix > 32) return undefined;
  }
  const size = 2 ** (32 - prefix);
  const start = Math.floor(value / size) * size;
  return { family: 4, start, end: start + size - 1, prefix };
}
