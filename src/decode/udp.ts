/**
 * UDP (ports, length field reconciled with the captured bytes) and SCTP
 * (ports only: the common header's first four bytes).
 */

import { type DecodeContext, fail, snapTruncated } from './context.js';
import { setPayload } from './packet.js';

/** Decodes the UDP header at `off`; payload is cut to the UDP length when the frame holds more. */
export function decodeUdp(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  const pkt = ctx.pkt;
  if (end - off < 8) {
    if (end - off >= 4) setPorts(pkt, data, off);
    fail(ctx, 'udp.truncated-header', 'UDP header shorter than 8 bytes');
    return;
  }
  setPorts(pkt, data, off);
  const len = (data[off + 4]! << 8) | data[off + 5]!;
  let stop = end;
  if (len < 8) {
    // Length 0 is legal for IPv6 jumbograms; anything else below 8 is broken.
    if (len !== 0) fail(ctx, 'udp.bad-length', 'UDP length field below 8 bytes');
  } else if (off + len <= end) stop = off + len;
  else if (!snapTruncated(ctx) && !pkt.fragment)
    fail(ctx, 'udp.truncated', 'UDP length exceeds the captured bytes');
  setPayload(pkt, data, off + 8, stop);
}

/** SCTP: the ports are all a flow needs; chunks are left in the payload. */
export function decodeSctp(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  if (end - off < 12) {
    if (end - off >= 4) setPorts(ctx.pkt, data, off);
    fail(ctx, 'sctp.truncated-header', 'SCTP common header shorter than 12 bytes');
    return;
  }
  setPorts(ctx.pkt, data, off);
  setPayload(ctx.pkt, data, off + 12, end);
}

function setPorts(pkt: DecodeContext['pkt'], data: Uint8Array, off: number): void {
  pkt.srcPort = (data[off]! << 8) | data[off + 1]!;
  pkt.dstPort = (data[off + 2]! << 8) | data[off + 3]!;
}
