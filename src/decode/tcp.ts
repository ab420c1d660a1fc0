/**
 * TCP: ports, sequence numbers, flags (NS in bit 8), window, data offset
 * validated, and the options flows and fingerprints use (MSS, window scale,
 * SACK permitted, timestamps), walked with bounds.
 */

import { type DecodeContext, fail } from './context.js';
import { setPayload } from './packet.js';

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WSCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_TIMESTAMPS = 8;

/** Decodes the TCP header at `off`; payload is the segment data up to `end`. */
export function decodeTcp(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  const pkt = ctx.pkt;
  const avail = end - off;
  if (avail < 20) {
    if (avail >= 4) {
      pkt.srcPort = (data[off]! << 8) | data[off + 1]!;
      pkt.dstPort = (data[off + 2]! << 8) | data[off + 3]!;
    }
    fail(ctx, 'tcp.truncated-header', 'TCP header shorter than 20 bytes');
    return;
  }
  pkt.srcPort = (data[off]! << 8) | data[off + 1]!;
  pkt.dstPort = (data[off + 2]! << 8) | data[off + 3]!;
  pkt.seq = ((data[off + 4]! << 24) | (data[off + 5]! << 16) | (data[off + 6]! << 8) | data[off + 7]!) >>> 0;
  pkt.ack =
    ((data[off + 8]! << 24) | (data[off + 9]! << 16) | (data[off + 10]! << 8) | data[off + 11]!) >>> 0;
  const b12 = data[off + 12]!;
  pkt.tcpFlags = ((b12 & 1) << 8) | data[off + 13]!;
  pkt.window = (data[off + 14]! << 8) | data[off + 15]!;
  const hdrLen = (b12 >> 4) * 4;
  if (hdrLen < 20) {
    fail(ctx, 'tcp.bad-data-offset', 'TCP data offset below 20 bytes');
    return;
  }
  if (hdrLen > avail) {
    fail(ctx, 'tcp.truncated-header', 'TCP options reach past the captured bytes');
    return;
  }
  if (hdrLen > 20) decodeOptions(ctx, data, off + 20, off + hdrLen);
  setPayload(pkt, data, off + hdrLen, end);
}

function decodeOptions(ctx: DecodeContext, data: Uint8Array, o: number, end: number): void {
  const pkt = ctx.pkt;
  while (o < end) {
    const kind = data[o]!;
    if (kind === OPT_EOL) return;
    if (kind === OPT_NOP) {
      o++;
      continue;
    }
    if (o + 1 >= end) {
      fail(ctx, 'tcp.bad-option', 'TCP option without its length byte');
      return;
    }
    const len = data[o + 1]!;
    if (len < 2 || o + len > end) {
      fail(ctx, 'tcp.bad-option', 'TCP option length outside the header');
      return;
    }
    // Known options with a wrong length are skipped, not believed.
    if (kind === OPT_MSS && len === 4) pkt.mss = (data[o + 2]! << 8) | data[o + 3]!;
    else if (kind === OPT_WSCALE && len === 3) pkt.wscale = data[o + 2]!;
    else if (kind === OPT_SACK_PERMITTED && len === 2) pkt.sackPermitted = true;
    else if (kind === OPT_TIMESTAMPS && len === 10) {
      pkt.tsVal = ((data[o + 2]! << 24) | (data[o + 3]! << 16) | (data[o + 4]! << 8) | data[o + 5]!) >>> 0;
      pkt.tsEcr = ((data[o + 6]! << 24) | (data[o + 7]! << 16) | (data[o + 8]! << 8) | data[o + 9]!) >>> 0;
    }
    o += len;
  }
}
