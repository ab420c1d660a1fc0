/** Non-payload rule conditions on the packet and its flow (flow, flags, dsize, ttl, itype ...). */
import { type DecodedPacket, IpOptionBit } from '../../schema/packet.js';
import type { FlagsOption, FragbitsOption } from '../keywords/packet-header.js';
import type { CompiledRule } from './compile.js';
import type { DetectFlow } from './detect-flow.js';
import { testNumber } from './numbers.js';
import { appProtoMatches } from './rule-checks.js';

const TCP_BITS: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };
const FRAG_BITS: Record<string, number> = { M: 0x2000, D: 0x4000, R: 0x8000 };
const OPT_BITS: Record<string, number> = {
  rr: IpOptionBit.RR,
  eol: IpOptionBit.EOL,
  nop: IpOptionBit.NOP,
  ts: IpOptionBit.TS,
  sec: IpOptionBit.SEC,
  esec: IpOptionBit.ESEC,
  lsrr: IpOptionBit.LSRR,
  lsrre: IpOptionBit.LSRRE,
  ssrr: IpOptionBit.SSRR,
  satid: IpOptionBit.SATID,
};

function bitsOf(letters: string, table: Record<string, number>): number {
  let b = 0;
  for (const ch of letters) b |= table[ch] ?? 0;
  return b;
}

/** Suricata's flag test: exact, `+` (these and any others), `*` (any of these), `!` (none of these). */
function testBits(have: number, want: number, modifier: string, mask: number): boolean {
  const h = have & ~mask;
  switch (modifier) {
    case '+':
      return (h & want) === want;
    case '*':
      return (h & want) !== 0;
    case '!':
      return (h & want) === 0;
    default:
      return h === want;
  }
}

/** Flag letters as bit masks, computed once per rule option. */
const flagMasks = new WeakMap<FlagsOption, [number, number]>();

function flagsMatch(f: FlagsOption, p: DecodedPacket): boolean {
  const have = p.tcpFlags & 0xff;
  if (f.flags === '0') return have === 0;
  let m = flagMasks.get(f);
  if (m === undefined) {
    m = [bitsOf(f.flags, TCP_BITS), bitsOf(f.mask, TCP_BITS)];
    flagMasks.set(f, m);
  }
  return testBits(have, m[0], f.modifier, m[1]);
}

function fragbitsMatch(f: FragbitsOption, p: DecodedPacket): boolean {
  if (p.ipFlagsFrag < 0) return false;
  return testBits(p.ipFlagsFrag & 0xe000, bitsOf(f.bits, FRAG_BITS), f.modifier, 0);
}

function icmpField(p: DecodedPacket, at: number): number {
  const d = p.frame.data;
  const o = p.l4Offset;
  if (o < 0 || o + at + 2 > d.length) return -1;
  return (d[o + at]! << 8) | d[o + at + 1]!;
}

function numericValue(keyword: string, p: DecodedPacket): number {
  switch (keyword) {
    case 'itype':
      return p.icmpType;
    case 'icode':
      return p.icmpCode;
    case 'ttl':
      return p.ttl;
    case 'id':
      return p.addrLen === 4 ? p.ipId : -1;
    case 'tos':
      return p.tos;
    case 'window':
      return p.ipProto === 6 ? p.window : -1;
    case 'seq':
      return p.ipProto === 6 ? p.seq >>> 0 : -1;
    case 'ack':
      return p.ipProto === 6 ? p.ack >>> 0 : -1;
    case 'icmp_id':
      return p.icmpType >= 0 ? icmpField(p, 4) : -1;
    case 'icmp_seq':
      return p.icmpType >= 0 ? icmpField(p, 6) : -1;
    case 'fragoffset':
      return p.ipFlagsFrag < 0 ? -1 : (p.ipFlagsFrag & 0x1fff) * 8;
    default:
      return -1;
  }
}

/** True when every non-payload condition of the rule holds for this packet and flow. */
export function packetConditions(
  c: CompiledRule,
  p: DecodedPacket | null,
  flow: DetectFlow | null,
  toServer: boolean,
  view: 'packet' | 'stream' | 'none',
): boolean {
  const fo = c.flow;
  if (fo !== undefined) {
    if (fo.state === 'established' && (flow === null || !flow.established)) return false;
    if (fo.state === 'not_established' && (flow === null || flow.established)) return false;
    if (fo.direction === 'to_server' && (flow === null || !toServer)) return false;
    if (fo.direction === 'to_client' && (flow === null || toServer)) return false;
    if (fo.stream === 'only_stream' && view === 'packet' && c.kind === 'packet') return false;
    if (fo.stream === 'no_stream' && view === 'stream') return false;
    if (fo.frag === 'only_frag' && (p === null || !p.reassembled)) return false;
    if (fo.frag === 'no_frag' && p !== null && p.reassembled) return false;
  }
  if (p !== null) {
    if (c.flags !== undefined && (p.ipProto !== 6 || !flagsMatch(c.flags, p))) return false;
    if (c.fragbits !== undefined && !fragbitsMatch(c.fragbits, p)) return false;
    if (c.dsize !== undefined) {
      // Suricata's dsize:!N only considers packets that carry payload.
      if (c.dsize.op === '!=' && p.payload.length === 0) return false;
      if (!testNumber(c.dsize, p.payload.length)) return false;
    }
    for (const n of c.numeric) {
      const v = numericValue(n.keyword, p);
      if (v < 0 || !testNumber(n.test, v)) return false;
    }
    if (c.ipProtoTest !== undefined && !testNumber(c.ipProtoTest, p.ipProto)) return false;
    if (c.ipopts !== undefined) {
      const want = c.ipopts === 'any' ? 0 : (OPT_BITS[c.ipopts] ?? 0);
      if (want === 0 ? p.ipOptions === 0 : (p.ipOptions & want) === 0) return false;
    }
    if (c.sameip) {
      for (let i = 0; i < p.addrLen; i++) if (p.src[i] !== p.dst[i]) return false;
    }
  } else if (c.flags !== undefined || c.dsize !== undefined || c.numeric.length > 0) return false;
  for (const a of c.appLayer) {
    const have =
      a.direction === undefined ? flow?.appProto : flow?.dirProto[a.direction === 'to_server' ? 0 : 1];
    // Undecided yet: neither the protocol nor its negation holds.
    if (have === undefined && a.protocol !== 'unknown') return false;
    let is: boolean;
    if (a.protocol === 'failed') is = have === null;
    else if (a.protocol === 'unknown') is = have === undefined || have === null;
    else is = appProtoMatches(a.protocol, have);
    if (is === a.negated) return false;
  }
  if (c.streamSize !== undefined) {
    if (flow === null || flow.ipProto !== 6) return false;
    const t = c.streamSize.test;
    const client = flow.bytes[0];
    const server = flow.bytes[1];
    switch (c.streamSize.side) {
      case 'server':
        if (!testNumber(t, server)) return false;
        break;
      case 'client':
        if (!testNumber(t, client)) return false;
        break;
      case 'both':
        if (!(testNumber(t, client) && testNumber(t, server))) return false;
        break;
      case 'either':
        if (!(testNumber(t, client) || testNumber(t, server))) return false;
        break;
    }
  }
  return true;
}
