/**
 * IPv6: fixed header, extension-header chain walked with bounds, fragment
 * header handled like IPv4 fragments. ipProto is the first protocol that is
 * not an extension header (ESP 50 and no-next-header 59 end the walk too).
 */
import { L3 } from '../schema/packet.js';
import { type DecodeContext, fail, snapTruncated } from './context.js';
import { MAX_DATAGRAM } from './fragments.js';
import { setPayload } from './packet.js';
import { decodeTransport } from './transport.js';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const DEST_OPTS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
/** A longer chain is hostile; real packets carry a handful at most. */
const MAX_EXT_HEADERS = 16;

/** True for extension headers that share the next-header/length layout. */
export function isIPv6Extension(nh: number): boolean {
  return (
    nh === HOP_BY_HOP ||
    nh === ROUTING ||
    nh === DEST_OPTS ||
    nh === AH ||
    nh === MOBILITY ||
    nh === HIP ||
    nh === SHIM6
  );
}

/** Length in bytes of the extension header at `o` (AH counts 4-byte units, the others 8). */
export function extensionLength(nh: number, data: Uint8Array, o: number): number {
  return nh === AH ? (data[o + 1]! + 2) * 4 : (data[o + 1]! + 1) * 8;
}

/** Decodes the IPv6 header at `off` and the extension headers and transport above it. */
export function decodeIPv6(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  const pkt = ctx.pkt;
  pkt.l3 = L3.IPV6;
  ctx.stats.byL3.ipv6++;
  if (end - off < 40) {
    fail(ctx, 'ipv6.truncated-header', 'IPv6 header shorter than 40 bytes');
    return;
  }
  if (data[off]! >> 4 !== 6) {
    fail(ctx, 'ipv6.bad-version', 'IPv6 header with a version other than 6');
    return;
  }
  pkt.addrLen = 16;
  const src = pkt.src;
  const dst = pkt.dst;
  for (let i = 0; i < 16; i++) {
    src[i] = data[off + 8 + i]!;
    dst[i] = data[off + 24 + i]!;
  }
  pkt.ttl = data[off + 7]!;
  pkt.tos = ((data[off]! & 0x0f) << 4) | (data[off + 1]! >> 4);
  pkt.l3Offset = data === ctx.frame.data ? off : -1;
  const payloadLen = (data[off + 4]! << 8) | data[off + 5]!;
  pkt.ipLen = 40 + payloadLen;
  let nh = data[off + 6]!;

  // Payload length 0 with a hop-by-hop header is a jumbogram (or TSO): trust the capture.
  let ipEnd = end;
  if (payloadLen !== 0) {
    if (off + 40 + payloadLen <= end) ipEnd = off + 40 + payloadLen;
    else if (!snapTruncated(ctx))
      fail(ctx, 'ipv6.truncated', 'IPv6 payload length exceeds the captured bytes');
  }

  let o = off + 40;
  for (let n = 0; ; n++) {
    if (n > MAX_EXT_HEADERS) {
      pkt.ipProto = nh;
      fail(ctx, 'ipv6.too-many-extensions', 'more than 16 IPv6 extension headers; not decoded further');
      return;
    }
    if (nh === FRAGMENT) {
      if (o + 8 > ipEnd) {
        pkt.ipProto = nh;
        fail(ctx, 'ipv6.truncated-extension', 'IPv6 fragment header cut short');
        return;
      }
      const fragNext = data[o]!;
      const offFlags = (data[o + 2]! << 8) | data[o + 3]!;
      const fragOffset = offFlags & 0xfff8;
      const more = (offFlags & 1) !== 0;
      const id = ((data[o + 4]! << 24) | (data[o + 5]! << 16) | (data[o + 6]! << 8) | data[o + 7]!) >>> 0;
      pkt.ipId = id;
      o += 8;
      nh = fragNext;
      // An "atomic" fragment (offset 0, no more) is a whole packet: keep walking.
      if (fragOffset === 0 && !more) continue;
      decodeFragment(ctx, data, off, o, ipEnd, id, fragOffset, more, nh);
      return;
    }
    if (!isIPv6Extension(nh)) break;
    if (o + 2 > ipEnd) {
      pkt.ipProto = nh;
      fail(ctx, 'ipv6.truncated-extension', 'IPv6 extension header cut short');
      return;
    }
    const len = extensionLength(nh, data, o);
    if (o + len > ipEnd) {
      pkt.ipProto = nh;
      fail(ctx, 'ipv6.truncated-extension', 'IPv6 extension header reaches past the packet');
      return;
    }
    nh = data[o]!;
    o += len;
  }
  pkt.ipProto = nh;
  decodeTransport(ctx, nh, data, o, ipEnd);
}

function decodeFragment(
  ctx: DecodeContext,
  data: Uint8Array,
  ipOff: number,
  start: number,
  ipEnd: number,
  id: number,
  fragOffset: number,
  more: boolean,
  nh: number,
): void {
  const pkt = ctx.pkt;
  ctx.stats.fragments.seen++;
  pkt.fragment = true;
  pkt.ipProto = nh;
  if (fragOffset + (ipEnd - start) > MAX_DATAGRAM) {
    fail(ctx, 'ipv6.fragment-too-large', 'IPv6 fragment reaches past 65,535 bytes; dropped');
    return;
  }
  const frags = ctx.frags;
  if (frags !== null) {
    const whole = frags.addV6(data, ipOff, id, fragOffset, more, start, ipEnd, pkt.ts);
    if (whole !== null) {
      pkt.fragment = false;
      pkt.reassembled = true;
      // Unfragmentable part (header and extensions before the fragment header) plus the data.
      pkt.ipLen = start - 8 - ipOff + whole.length;
      walkReassembled(ctx, whole, nh);
      return;
    }
  }
  if (fragOffset === 0) {
    walkReassembled(ctx, data.subarray(start, ipEnd), nh);
    return;
  }
  setPayload(pkt, data, start, ipEnd);
}

/** The fragmentable part may start with more extension headers (e.g. destination options). */
function walkReassembled(ctx: DecodeContext, buf: Uint8Array, nh: number): void {
  let o = 0;
  const end = buf.length;
  for (let n = 0; isIPv6Extension(nh); n++) {
    if (n > MAX_EXT_HEADERS || o + 2 > end) break;
    const len = extensionLength(nh, buf, o);
    if (o + len > end) break;
    nh = buf[o]!;
    o += len;
  }
  ctx.pkt.ipProto = nh;
  decodeTransport(ctx, nh, buf, o, end);
}
