/**
 * One line of a dataset file, as Suricata writes them: string sets hold
 * base64, md5/sha256 sets hex, ipv4/ipv6 sets address text; a datarep file
 * adds `,<reputation>`. IPv4 in an ipv6 set (plain or `::ffff:a.b.c.d`) is
 * kept as its 4 bytes followed by 12 zero bytes, Suricata's layout.
 */
import { formatIPv4, formatIPv6, parseAddress } from '../../util/ip.js';
import { decodeBase64Into } from '../transforms/base64.js';
import type { DatasetType } from './options.js';

/** Longest line read from a dataset file; longer lines are problems. */
export const MAX_LINE = 65536;

export interface DatasetEntry {
  /** For string sets a view of a shared buffer: valid until the next call (callers copy it). */
  key: Uint8Array;
  /** The reputation after the comma; 0 when there is none. */
  value: number;
}

/** Reused for decoding string lines, so loading a big file does not allocate per line. */
let decoded = new Uint8Array(1024);

function hexBytes(s: string, n: number): Uint8Array | undefined {
  if (s.length !== n * 2 || !/^[0-9a-fA-F]+$/.test(s)) return undefined;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** IPv4 as Suricata keeps it in an ipv6 set: the 4 bytes, then zeros. */
export function ipv4InIpv6Layout(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(v4.subarray(0, 4));
  return out;
}

/**
 * The bytes a line stands for, or an error sentence.
 * @example parseDatasetLine('string', 'Z29vZ2xlLmNvbQ==,255') // { key: 'google.com' bytes, value: 255 }
 */
export function parseDatasetLine(type: DatasetType, line: string): DatasetEntry | { error: string } {
  let data = line;
  let value = 0;
  const comma = line.indexOf(',');
  if (comma >= 0) {
    data = line.slice(0, comma).trim();
    const rep = line.slice(comma + 1).trim();
    if (!/^\d{1,5}$/.test(rep) || Number(rep) > 0xffff)
      return { error: `reputation "${rep.slice(0, 20)}" is not a number 0-65535` };
    value = Number(rep);
  }
  switch (type) {
    case 'string': {
      const src = Buffer.from(data, 'latin1');
      const need = Math.ceil(src.length / 4) * 3;
      if (decoded.length < need) decoded = new Uint8Array(need);
      const n = decodeBase64Into(src, decoded, 'strict');
      if (n <= 0) return { error: `"${data.slice(0, 40)}" is not base64` };
      return { key: decoded.subarray(0, n), value };
    }
    case 'md5':
    case 'sha256': {
      const key = hexBytes(data, type === 'md5' ? 16 : 32);
      if (!key)
        return { error: `"${data.slice(0, 70)}" is not a ${type === 'md5' ? 32 : 64}-digit hex ${type}` };
      return { key, value };
    }
    case 'ipv4': {
      const a = data.includes(':') ? undefined : parseAddress(data);
      if (!a) return { error: `"${data.slice(0, 50)}" is not an IPv4 address` };
      return { key: a, value };
    }
    case 'ipv6': {
      const a = parseAddress(data);
      if (!a) return { error: `"${data.slice(0, 50)}" is not an IP address` };
      if (a.length === 4) return { key: ipv4InIpv6Layout(a), value };
      const mapped = a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;
      return { key: mapped ? ipv4InIpv6Layout(a.subarray(12)) : a, value };
    }
  }
}

/**
 * The line written on save (without the newline).
 * @example formatDatasetEntry('ipv4', Uint8Array.of(10, 0, 0, 1), 0) // '10.0.0.1'
 */
export function formatDatasetEntry(
  type: DatasetType,
  key: Uint8Array,
  value: number,
  withValue: boolean,
): string {
  let text: string;
  switch (type) {
    case 'string':
      text = Buffer.from(key).toString('base64');
      break;
    case 'md5':
    case 'sha256':
      text = Buffer.from(key).toString('hex');
      break;
    case 'ipv4':
      text = formatIPv4(key);
      break;
    case 'ipv6':
      text = key.subarray(4).every((b) => b === 0) ? formatIPv4(key) : formatIPv6(key);
      break;
  }
  return withValue ? `${text},${value}` : text;
}
