/**
 * How EVE JSON shows values: attacker bytes as Suricata's JSON builder
 * renders them, printable payload text, and Suricata's timestamp format.
 * Nothing here interprets the bytes; they only become inert strings.
 */
import { isUtf8 } from 'node:buffer';

/** Longest byte string one EVE field carries; longer values end in `[truncated]` as Suricata's limited fields do. */
export const EVE_FIELD_LIMIT = 64 * 1024;

const TRUNCATED = new TextEncoder().encode('[truncated]');
const utf8 = new TextDecoder('utf-8');

/**
 * Renders raw bytes as Suricata does: valid UTF-8 is kept as text; otherwise
 * ASCII bytes are kept and every byte from 0x80 up becomes the four
 * characters `\xNN`. JSON escaping of control characters is left to the
 * serializer. Values longer than `limit` are cut and marked.
 * @example eveString(new Uint8Array([0x61, 0xff])) // 'a\\xff'
 */
export function eveString(bytes: Uint8Array, limit = EVE_FIELD_LIMIT): string {
  let b = bytes;
  if (b.length > limit) {
    const cut = new Uint8Array(limit + TRUNCATED.length);
    cut.set(b.subarray(0, limit));
    cut.set(TRUNCATED, limit);
    b = cut;
  }
  if (isUtf8(b)) return utf8.decode(b);
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    out += c < 0x80 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Caps a string that is already text (e.g. a DNS answer rendered by the decoder) to the field limit. */
export function eveText(s: string, limit = EVE_FIELD_LIMIT): string {
  return s.length > limit ? `${s.slice(0, limit)}[truncated]` : s;
}

/**
 * `payload_printable`: printable ASCII, CR and LF kept, every other byte a dot.
 * @example printablePayload(new Uint8Array([0x47, 0x00, 0x0a])) // 'G.\n'
 */
export function printablePayload(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    out += (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d ? String.fromCharCode(c) : '.';
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Suricata's EVE timestamp: local time with microseconds and a `+hhmm`
 * offset. `offsetMinutes` (east of UTC) defaults to this machine's offset at
 * that instant, as Suricata uses the sensor's local zone.
 * @example eveTimestamp(1704164645.123456, 0) // '2024-01-02T03:04:05.123456+0000'
 */
export function eveTimestamp(ts: number, offsetMinutes?: number): string {
  if (!Number.isFinite(ts)) throw new RangeError(`eveTimestamp: not a finite time: ${ts}`);
  const totalUs = Math.round(ts * 1e6);
  const sec = Math.floor(totalUs / 1e6);
  const us = totalUs - sec * 1e6;
  const offset = offsetMinutes ?? -new Date(sec * 1000).getTimezoneOffset();
  const d = new Date((sec + offset * 60) * 1000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(us, 6)}` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** Certificate validity in Suricata's form: UTC `YYYY-MM-DDTHH:MM:SS` from epoch seconds. */
export function eveCertDate(epochSeconds: number): string | undefined {
  if (!Number.isFinite(epochSeconds)) return undefined;
  const d = new Date(Math.floor(epochSeconds) * 1000);
  const y = d.getUTCFullYear();
  if (Number.isNaN(y) || y < 1000 || y > 2999) return undefined;
  return (
    `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** IP protocol numbers as Suricata names them in `proto` (IANA keywords); others as the number. */
const PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'HOPOPT',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IP-in-IP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'IPv6-Route',
  44: 'IPv6-Frag',
  46: 'RSVP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'IPv6-ICMP',
  59: 'IPv6-NoNxt',
  60: 'IPv6-Opts',
  88: 'EIGRP',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
  115: 'L2TP',
  132: 'SCTP',
  136: 'UDPLite',
};

/**
 * @example eveProto(58) // 'IPv6-ICMP'
 */
export function eveProto(ipProto: number): string {
  return PROTO_NAMES[ipProto] ?? String(ipProto);
}
