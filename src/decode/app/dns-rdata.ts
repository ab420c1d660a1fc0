/**
 * Resource record data rendered as text for DnsTx answers. Names inside rdata
 * may point anywhere in the message, so they are read against the whole
 * message. Like Suricata, a TXT record with several strings becomes one
 * answer per string, and malformed rdata of a known type is an error for the
 * whole message. Name bytes are kept one character per byte (latin1), so
 * nothing is lost; whoever shows them escapes them.
 */
import { formatIPv4, formatIPv6 } from '../../util/ip.js';
import { nameScratch, readName } from './dns-name.js';

export const DnsType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
} as const;

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
}

function hex(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('hex');
}

/** Reads a name at `pos`; returns its text and where it ended, or an error. */
function nameAt(msg: Uint8Array, pos: number): { text: string; next: number } | string {
  const r = readName(msg, pos);
  if (r.error !== '') return r.error;
  return { text: latin1(nameScratch(), 0, r.length), next: r.next };
}

/**
 * Renders the rdata `msg[start..end)` of a record of `type`, pushing one text
 * per answer into `out`. Returns '' or an error message.
 *
 * @example
 * const out: string[] = [];
 * renderRdata(msg, at, at + 4, DnsType.A, out); // out = ['192.0.2.1']
 */
export function renderRdata(
  msg: Uint8Array,
  start: number,
  end: number,
  type: number,
  out: string[],
): string {
  const len = end - start;
  switch (type) {
    case DnsType.A:
      out.push(len === 4 ? formatIPv4(msg, start) : hex(msg, start, end));
      return '';
    case DnsType.AAAA:
      out.push(len === 16 ? formatIPv6(msg, start) : hex(msg, start, end));
      return '';
    case DnsType.NS:
    case DnsType.CNAME:
    case DnsType.PTR: {
      if (len === 0) return 'empty rdata where a name was expected';
      const r = nameAt(msg, start);
      if (typeof r === 'string') return r;
      out.push(r.text);
      return '';
    }
    case DnsType.MX: {
      if (len < 3) return 'MX rdata too short';
      const pref = (msg[start]! << 8) | msg[start + 1]!;
      const r = nameAt(msg, start + 2);
      if (typeof r === 'string') return r;
      out.push(`${pref} ${r.text}`);
      return '';
    }
    case DnsType.SOA: {
      const m = nameAt(msg, start);
      if (typeof m === 'string') return m;
      const r = nameAt(msg, m.next);
      if (typeof r === 'string') return r;
      if (r.next + 20 > end) return 'SOA rdata too short for its five numbers';
      const dv = new DataView(msg.buffer, msg.byteOffset + r.next, 20);
      const nums = [0, 4, 8, 12, 16].map((o) => dv.getUint32(o));
      out.push(`${m.text} ${r.text} ${nums.join(' ')}`);
      return '';
    }
    case DnsType.TXT: {
      let p = start;
      if (p === end) return '';
      while (p < end) {
        const n = msg[p]!;
        if (p + 1 + n > end) return 'TXT string runs past its rdata';
        out.push(latin1(msg, p + 1, p + 1 + n));
        p += 1 + n;
      }
      return '';
    }
    default:
      out.push(hex(msg, start, end));
      return '';
  }
}
