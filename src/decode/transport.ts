/**
 * Dispatch from an IP protocol number to the transport decoders; counts by L4.
 */
import { IpProto } from '../schema/packet.js';
import type { DecodeContext } from './context.js';
import { decodeIcmp } from './icmp.js';
import { setPayload } from './packet.js';
import { decodeTcp } from './tcp.js';
import { decodeSctp, decodeUdp } from './udp.js';

/** Decodes the transport header of protocol `proto` in data[off, end). */
export function decodeTransport(
  ctx: DecodeContext,
  proto: number,
  data: Uint8Array,
  off: number,
  end: number,
): void {
  const byL4 = ctx.stats.byL4;
  ctx.pkt.l4Offset = data === ctx.frame.data ? off : -1;
  switch (proto) {
    case IpProto.TCP:
      byL4.tcp++;
      decodeTcp(ctx, data, off, end);
      return;
    case IpProto.UDP:
      byL4.udp++;
      decodeUdp(ctx, data, off, end);
      return;
    case IpProto.ICMP:
      byL4.icmp++;
      decodeIcmp(ctx, data, off, end, false);
      return;
    case IpProto.ICMPV6:
      byL4.icmpv6++;
      decodeIcmp(ctx, data, off, end, true);
      return;
    case IpProto.SCTP:
      byL4.sctp++;
      decodeSctp(ctx, data, off, end);
      return;
    default:
      byL4.other++;
      setPayload(ctx.pkt, data, off, end);
  }
}
