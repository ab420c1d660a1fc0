/**
 * ARP: the operation, and for IPv4-over-anything ARP the sender and target
 * protocol addresses as src and dst (addrLen 4).
 */
import { L3 } from '../schema/packet.js';
import { type DecodeContext, fail } from './context.js';

/** Decodes the ARP message at `off`. */
export function decodeArp(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  const pkt = ctx.pkt;
  pkt.l3 = L3.ARP;
  ctx.stats.byL3.arp++;
  if (end - off < 8) {
    fail(ctx, 'arp.truncated', 'ARP message shorter than its 8-byte fixed part');
    return;
  }
  const ptype = (data[off + 2]! << 8) | data[off + 3]!;
  const hlen = data[off + 4]!;
  const plen = data[off + 5]!;
  pkt.arpOp = (data[off + 6]! << 8) | data[off + 7]!;
  if (off + 8 + 2 * hlen + 2 * plen > end) {
    fail(ctx, 'arp.truncated', 'ARP addresses cut short');
    return;
  }
  // Only IPv4 protocol addresses fit the packet's address model; others keep addrLen 0.
  if (ptype !== 0x0800 || plen !== 4) return;
  const s = off + 8 + hlen;
  const t = s + 4 + hlen;
  pkt.addrLen = 4;
  for (let i = 0; i < 4; i++) {
    pkt.src[i] = data[s + i]!;
    pkt.dst[i] = data[t + i]!;
  }
}
