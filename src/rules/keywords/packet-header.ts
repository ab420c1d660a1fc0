/**
 * Packet-header tests: TCP flags, IP fragment bits and options, IP protocol,
 * and the numeric fields (itype, icode, icmp_id, icmp_seq, ttl, id, tos,
 * window, seq, ack, fragoffset) declared in one table.
 */
import type { NumberTest } from '../ast.js';
import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { parseInteger, parseNumberTest } from './values.js';

export interface FlagsOption {
  /** '' exact, '+' all of these plus any, '*' any of these, '!' none of these. */
  modifier: '' | '+' | '*' | '!';
  flags: string;
  /** Flags to ignore when comparing. */
  mask: string;
}

const TCP_FLAG_MAP: Record<string, string> = {
  F: 'F',
  S: 'S',
  R: 'R',
  P: 'P',
  A: 'A',
  U: 'U',
  C: 'C',
  E: 'E',
  '1': 'C',
  '2': 'E',
  '0': '0',
};

export const flags: KeywordDescriptor<FlagsOption> = {
  name: 'flags',
  description: 'Tests TCP flags (F S R P A U C E, 0 for none) with + * ! modifiers and an ignore mask.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const [spec = '', mask = ''] = (v ?? '').split(',').map((s) => s.trim());
    const m = /^([+*!]?)([A-Za-z0-9]+)([+*!]?)$/.exec(spec);
    if (!m || (m[1] && m[3])) return kwError('flags', `bad flags "${spec}"`);
    const modifier = (m[1] || m[3]) as FlagsOption['modifier'];
    const norm = (s: string) => {
      let out = '';
      for (const ch of s.toUpperCase()) {
        const f = TCP_FLAG_MAP[ch];
        if (!f) return undefined;
        if (!out.includes(f)) out += f;
      }
      return out;
    };
    const f = norm(m[2]!);
    if (f === undefined) return kwError('flags', `unknown flag in "${m[2]}"`);
    if (f.includes('0') && f.length > 1)
      return kwError('flags', '"0" (no flags) cannot be combined with other flags');
    const mk = mask === '' ? '' : norm(mask);
    if (mk === undefined) return kwError('flags', `unknown flag in mask "${mask}"`);
    return { modifier, flags: f, mask: mk };
  },
  attach: attachCondition,
};

export interface FragbitsOption {
  modifier: '' | '+' | '*' | '!';
  bits: string;
}

export const fragbits: KeywordDescriptor<FragbitsOption> = {
  name: 'fragbits',
  description: "Tests the IP fragment bits M (more fragments), D (don't fragment), R (reserved).",
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const m = /^([+*!]?)([MDRmdr]+)([+*!]?)$/.exec((v ?? '').trim().split(',')[0]!.trim());
    if (!m || (m[1] && m[3])) return kwError('fragbits', `bad fragbits "${v ?? ''}"`);
    return { modifier: (m[1] || m[3]) as FragbitsOption['modifier'], bits: m[2]!.toUpperCase() };
  },
  attach: attachCondition,
};

const IPOPTS = ['rr', 'eol', 'nop', 'ts', 'sec', 'esec', 'lsrr', 'lsrre', 'ssrr', 'satid', 'any'];

export const ipopts: KeywordDescriptor<string> = {
  name: 'ipopts',
  description: 'Tests for an IP option (rr, eol, nop, ts, sec, esec, lsrr, ssrr, satid, any).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const t = (v ?? '').trim().toLowerCase();
    return IPOPTS.includes(t) ? t : kwError('ipopts', `unknown option "${t}"`);
  },
  attach: attachCondition,
};

const PROTO_NAMES: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  ipip: 4,
  tcp: 6,
  udp: 17,
  ipv6: 41,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  sctp: 132,
  pim: 103,
};

export const ipProto: KeywordDescriptor<NumberTest> = {
  name: 'ip_proto',
  description: 'Tests the IP protocol number or name (with !, <, >).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const t = (v ?? '').trim();
    const m = /^([!<>]?)\s*(.+)$/.exec(t);
    if (!m) return kwError('ip_proto', 'missing protocol');
    const named = PROTO_NAMES[m[2]!.toLowerCase()];
    const n = named ?? parseInteger('ip_proto', m[2], 0, 255);
    if (typeof n !== 'number') return n;
    return { op: m[1] === '!' ? '!=' : m[1] === '<' ? '<' : m[1] === '>' ? '>' : '=', value: n };
  },
  attach: attachCondition,
};

const NUMERIC: Array<[string, string, number]> = [
  ['itype', 'ICMP type', 255],
  ['icode', 'ICMP code', 255],
  ['icmp_id', 'ICMP echo identifier', 65535],
  ['icmp_seq', 'ICMP echo sequence number', 65535],
  ['ttl', 'IP time-to-live', 255],
  ['id', 'IPv4 identification field', 65535],
  ['tos', 'IPv4 type-of-service byte', 255],
  ['window', 'TCP window size', 65535],
  ['seq', 'TCP sequence number', 0xffffffff],
  ['ack', 'TCP acknowledgement number', 0xffffffff],
  ['fragoffset', 'IP fragment offset', 8191],
];

export const numericHeaderKeywords: KeywordDescriptor<NumberTest>[] = NUMERIC.map(([name, what, max]) => ({
  name,
  description: `Tests the ${what} (N, <N, >N, !N, N<>M).`,
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parseNumberTest(name, v, max),
  attach: attachCondition,
}));

export const sameip: KeywordDescriptor<true> = {
  name: 'sameip',
  description: 'Matches packets whose source and destination address are the same.',
  support: 'full',
  affectsMatch: true,
  value: 'none',
  parse: () => true,
  attach: attachCondition,
};
