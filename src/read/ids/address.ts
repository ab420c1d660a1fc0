/**
 * Addresses as IDS logs write them, checked and put in Picket's one text form
 * (so `::FFFF:1.2.3.4`, `2001:DB8::1` and the flow table's own text compare equal).
 */
import { formatAddress, parseAddress } from '../../util/ip.js';

/**
 * The canonical text of an IPv4 or IPv6 address, or undefined when it is none.
 * @example canonicalAddress('2001:DB8:0:0::1') // '2001:db8::1'
 */
export function canonicalAddress(text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0 || text.length > 64) return undefined;
  const b = parseAddress(text);
  return b === undefined ? undefined : formatAddress(b, b.length);
}

export interface Endpoint {
  addr: string;
  port?: number;
}

/**
 * `addr:port`, `[v6]:port` or a bare address (Snort's `src_ap`, fast-alert
 * endpoints). Snort writes IPv6 with a port unbracketed (`2001:db8::1:80`), which
 * is also a valid address on its own: `expectPort` (the protocol has ports)
 * says to split at the last colon; without it the whole text is tried first.
 *
 * @example parseEndpoint('10.0.0.1:80', true) // { addr: '10.0.0.1', port: 80 }
 */
export function parseEndpoint(text: string, expectPort = false): Endpoint | undefined {
  if (text.length === 0 || text.length > 80) return undefined;
  if (text.charCodeAt(0) === 91 /* [ */) {
    const close = text.indexOf(']');
    if (close < 0) return undefined;
    const addr = canonicalAddress(text.slice(1, close));
    if (addr === undefined) return undefined;
    const rest = text.slice(close + 1);
    if (rest === '') return { addr };
    const p = rest.startsWith(':') ? portOf(rest.slice(1)) : undefined;
    return p === undefined ? undefined : { addr, port: p };
  }
  if (!expectPort || !text.includes(':')) {
    const whole = canonicalAddress(text);
    if (whole !== undefined) return { addr: whole };
  }
  const colon = text.lastIndexOf(':');
  if (colon > 0) {
    const p = portOf(text.slice(colon + 1));
    const addr = p === undefined ? undefined : canonicalAddress(text.slice(0, colon));
    if (addr !== undefined) return { addr, port: p };
  }
  const whole = canonicalAddress(text);
  return whole === undefined ? undefined : { addr: whole };
}

function portOf(s: string): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/**
 * The protocol as Picket names it: lowercase IANA keyword ('tcp', 'ipv6-icmp') or the number as text.
 * @example transportName('IPv6-ICMP') // 'ipv6-icmp'
 */
export function transportName(text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0 || text.length > 24 || !/^[A-Za-z0-9._-]+$/.test(text))
    return undefined;
  return text.toLowerCase();
}
