/**
 * ICMP and ICMPv6. Like Zeek's conn.log, srcPort carries the ICMP type and
 * dstPort the code, so flows of ICMP messages have a 5-tuple. Error messages
 * (destination unreachable, time exceeded, ...) quote the offending packet's
 * IP header and first 8 bytes; its protocol, ports and destination go to the
 * icmpInner* fields, so "port unreachable for which port" can be answered.
 */
import { IpProto } from '../schema/packet.js';
import { type DecodeContext, fail } from './context.js';
import { extensionLength, isIPv6Extension } from './ipv6.js';
import { setPayload } from './packet.js';

/** Decodes the ICMP (v6 when `v6`) message at `off`; payload is what follows the 8-byte header. */
export function decodeIcmp(
  ctx: DecodeContext,
  data: Uint8Array,
  off: number,
  end: number,
  v6: boolean,
): void {
  const pkt = ctx.pkt;
  if (end - off < 4) {
    fail(ctx, 'icmp.truncated-header', 'ICMP message shorter than 4 bytes');
    return;
  }
  const type = data[off]!;
  const code = data[off + 1]!;
  pkt.icmpType = type;
  pkt.icmpCode = code;
  pkt.srcPort = type;
  pkt.dstPort = code;
  setPayload(pkt, data, end - off >= 8 ? off + 8 : end, end);
  if (v6 ? type < 128 : type === 3 || type === 4 || type === 5 || type === 11 || type === 12) {
    if (end - off < 8) return;
    if (v6) quotedIPv6(ctx, data, off + 8, end);
    else quotedIPv4(ctx, data, off + 8, end);
  }
}

/** The quoted IPv4 header inside an ICMP error; quotes are often cut short, so absence is not an error. */
function quotedIPv4(ctx: DecodeContext, data: Uint8Array, o: number, end: number): void {
  const pkt = ctx.pkt;
  if (end - o < 20) return;
  if (data[o]! >> 4 !== 4) {
    fail(ctx, 'icmp.bad-quoted-header', 'ICMP error quotes something that is not IPv4');
    return;
  }
  const ihl = (data[o]! & 0x0f) * 4;
  pkt.icmpInnerProto = data[o + 9]!;
  pkt.icmpInnerAddrLen = 4;
  for (let i = 0; i < 4; i++) pkt.icmpInnerDst[i] = data[o + 16 + i]!;
  // Only the first fragment carries ports.
  const fragOffset = ((data[o + 6]! << 8) | data[o + 7]!) & 0x1fff;
  if (ihl >= 20 && fragOffset === 0) quotedPorts(ctx, data, o + ihl, end);
}

function quotedIPv6(ctx: DecodeContext, data: Uint8Array, o: number, end: number): void {
  const pkt = ctx.pkt;
  if (end - o < 40) return;
  if (data[o]! >> 4 !== 6) {
    fail(ctx, 'icmp.bad-quoted-header', 'ICMPv6 error quotes something that is not IPv6');
    return;
  }
  pkt.icmpInnerAddrLen = 16;
  for (let i = 0; i < 16; i++) pkt.icmpInnerDst[i] = data[o + 24 + i]!;
  let nh = data[o + 6]!;
  let p = o + 40;
  for (let n = 0; n < 16; n++) {
    if (nh === 44) {
      if (p + 8 > end) break;
      const nonFirst = (((data[p + 2]! << 8) | data[p + 3]!) & 0xfff8) !== 0;
      nh = data[p]!;
      p += 8;
      if (nonFirst) {
        pkt.icmpInnerProto = nh;
        return;
      }
      continue;
    }
    if (!isIPv6Extension(nh) || p + 2 > end) break;
    const len = extensionLength(nh, data, p);
    nh = data[p]!;
    p += len;
  }
  pkt.icmpInnerProto = nh;
  if (!isIPv6Extension(nh)) quotedPorts(ctx, data, p, end);
}

function quotedPorts(ctx: DecodeContext, data: Uint8Array, p: number, end: number): void {
  const pkt = ctx.pkt;
  const proto = pkt.icmpInnerProto;
  if (proto !== IpProto.TCP && proto !== IpProto.UDP && proto !== IpProto.SCTP) return;
  if (p + 4 > end) return;
  pkt.icmpInnerSrcPort = (data[p]! << 8) | data[p + 1]!;
  pkt.icmpInnerDstPort = (data[p + 2]! << 8) | data[p + 3]!;
}
