/** The header sticky buffers (ipv4.hdr, tcp.hdr ...): raw header bytes of the packet. */
import type { DecodedPacket } from '../../schema/packet.js';

/**
 * @example headerBuffer(p, 'tcp.hdr')?.length // 20..60
 */
export function headerBuffer(p: DecodedPacket, name: string): Uint8Array | undefined {
  const data = p.frame.data;
  switch (name) {
    case 'ipv4.hdr': {
      if (p.l3Offset < 0 || p.addrLen !== 4) return undefined;
      const ihl = (data[p.l3Offset]! & 0x0f) * 4;
      return data.subarray(p.l3Offset, Math.min(data.length, p.l3Offset + ihl));
    }
    case 'ipv6.hdr':
      if (p.l3Offset < 0 || p.addrLen !== 16) return undefined;
      return data.subarray(p.l3Offset, Math.min(data.length, p.l3Offset + 40));
    case 'tcp.hdr': {
      if (p.l4Offset < 0 || p.ipProto !== 6) return undefined;
      const doff = ((data[p.l4Offset + 12] ?? 0x50) >> 4) * 4;
      return data.subarray(p.l4Offset, Math.min(data.length, p.l4Offset + doff));
    }
    case 'udp.hdr':
      if (p.l4Offset < 0 || p.ipProto !== 17) return undefined;
      return data.subarray(p.l4Offset, Math.min(data.length, p.l4Offset + 8));
    case 'icmpv4.hdr':
      if (p.l4Offset < 0 || p.ipProto !== 1) return undefined;
      return data.subarray(p.l4Offset, Math.min(data.length, p.l4Offset + 8));
    case 'icmpv6.hdr':
      if (p.l4Offset < 0 || p.ipProto !== 58) return undefined;
      return data.subarray(p.l4Offset, Math.min(data.length, p.l4Offset + 8));
    default:
      return undefined;
  }
}
