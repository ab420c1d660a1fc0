/**
 * IPv4: header and options validated with bounds, lengths reconciled with the
 * captured bytes, fragments flagged and (optionally) reassembled. Checksums
 * are not validated: hosts with checksum offload capture outgoing packets
 * before the NIC fills them in, so most local captures would look broken
 * (tshark does not validate by default either).
 */
import { IpOptionBit, L3 } from '../schema/packet.js';
import { type DecodeContext, fail, snapTruncated } from './context.js';
import { MAX_DATAGRAM } from './fragments.js';
import { setPayload } from './packet.js';
import { decodeTransport } from './transport.js';

/** Decodes the IPv4 header at `off` (frame bytes up to `end`) and the transport above it. */
export function decodeIPv4(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  const pkt = ctx.pkt;
  pkt.l3 = L3.IPV4;
  ctx.stats.byL3.ipv4++;
  if (end - off < 20) {
    fail(ctx, 'ipv4.truncated-header', 'IPv4 header shorter than 20 bytes');
    return;
  }
  const b0 = data[off]!;
  if (b0 >> 4 !== 4) {
    fail(ctx, 'ipv4.bad-version', 'IPv4 header with a version other than 4');
    return;
  }
  const ihl = (b0 & 0x0f) * 4;
  const totalLen = (data[off + 2]! << 8) | data[off + 3]!;
  pkt.addrLen = 4;
  const src = pkt.src;
  const dst = pkt.dst;
  src[0] = data[off + 12]!;
  src[1] = data[off + 13]!;
  src[2] = data[off + 14]!;
  src[3] = data[off + 15]!;
  dst[0] = data[off + 16]!;
  dst[1] = data[off + 17]!;
  dst[2] = data[off + 18]!;
  dst[3] = data[off + 19]!;
  pkt.ttl = data[off + 8]!;
  pkt.tos = data[off + 1]!;
  pkt.l3Offset = data === ctx.frame.data ? off : -1;
  pkt.ipFlagsFrag = (data[off + 6]! << 8) | data[off + 7]!;
  pkt.ipId = (data[off + 4]! << 8) | data[off + 5]!;
  pkt.ipLen = totalLen;
  const proto = data[off + 9]!;
  pkt.ipProto = proto;
  if (ihl < 20) {
    fail(ctx, 'ipv4.bad-header-length', 'IPv4 header length field below 20 bytes');
    return;
  }
  if (off + ihl > end) {
    fail(ctx, 'ipv4.truncated-header', 'IPv4 header (with options) cut short');
    return;
  }
  if (ihl > 20) checkOptions(ctx, data, off + 20, off + ihl);

  // The IP length decides where the datagram ends (Ethernet pads short frames);
  // zero is what TCP segmentation offload leaves in locally captured packets.
  let ipEnd = end;
  if (totalLen !== 0) {
    if (totalLen < ihl) {
      fail(ctx, 'ipv4.bad-total-length', 'IPv4 total length smaller than its header');
      return;
    }
    if (off + totalLen <= end) ipEnd = off + totalLen;
    else if (!snapTruncated(ctx)) fail(ctx, 'ipv4.truncated', 'IPv4 total length exceeds the captured bytes');
  }
  const start = off + ihl;

  const flagsFrag = (data[off + 6]! << 8) | data[off + 7]!;
  const more = (flagsFrag & 0x2000) !== 0;
  const fragOffset = (flagsFrag & 0x1fff) * 8;
  if (!more && fragOffset === 0) {
    decodeTransport(ctx, proto, data, start, ipEnd);
    return;
  }

  ctx.stats.fragments.seen++;
  pkt.fragment = true;
  if (fragOffset + (ipEnd - start) + ihl > MAX_DATAGRAM) {
    fail(ctx, 'ipv4.fragment-too-large', 'IPv4 fragment reaches past 65,535 bytes; dropped');
    return;
  }
  const frags = ctx.frags;
  if (frags !== null) {
    const whole = frags.addV4(data, off, pkt.ipId, proto, fragOffset, more, start, ipEnd, pkt.ts);
    if (whole !== null) {
      pkt.fragment = false;
      pkt.reassembled = true;
      pkt.ipLen = ihl + whole.length;
      decodeTransport(ctx, proto, whole, 0, whole.length);
      return;
    }
  }
  if (fragOffset === 0) {
    decodeTransport(ctx, proto, data, start, ipEnd);
    return;
  }
  setPayload(pkt, data, start, ipEnd);
}

/** Walks IPv4 options: EOL ends, NOP is one byte, the rest carry a length of at least 2 inside the header. */
function checkOptions(ctx: DecodeContext, data: Uint8Array, o: number, end: number): void {
  while (o < end) {
    const kind = data[o]!;
    ctx.pkt.ipOptions |= optionBit(kind);
    if (kind === 0) return;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) {
      fail(ctx, 'ipv4.bad-option', 'IPv4 option without its length byte');
      return;
    }
    const len = data[o + 1]!;
    if (len < 2 || o + len > end) {
      fail(ctx, 'ipv4.bad-option', 'IPv4 option length outside the header');
      return;
    }
    o += len;
  }
}

function optionBit(kind: number): number {
  switch (kind) {
    case 0:
      return IpOptionBit.EOL;
    case 1:
      return IpOptionBit.NOP;
    case 7:
      return IpOptionBit.RR;
    case 68:
      return IpOptionBit.TS;
    case 130:
      return IpOptionBit.SEC;
    case 133:
      return IpOptionBit.ESEC;
    case 131:
      return IpOptionBit.LSRR;
    case 137:
      return IpOptionBit.SSRR;
    case 136:
      return IpOptionBit.SATID;
    default:
      return IpOptionBit.OTHER;
  }
}
