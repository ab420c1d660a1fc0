/**
 * Per-packet tests of the packet fingerprinter: which probe a packet is and
 * which tool's packet template it matches. Pure functions over the decoder's
 * reused DecodedPacket; nothing here allocates.
 *
 * The signatures, from the tools' own sources and checked on captures:
 * - masscan builds each SYN from a template (window 1024, TTL 255, no options
 *   or MSS 1460 only) and derives the IPv4 ID from the target and its SYN
 *   cookie: id = (dst ^ dport ^ seq) & 0xffff. A random ID matches that one
 *   time in 65,536, so a few matches are decisive.
 * - ZMap's packet builder writes IP ID 54321, TTL 255 and window 65535;
 *   3.x builds take a random IP ID and add Windows/Linux-like options.
 * - Nmap's raw SYN probes carry window 1024, 2048, 3072 or 4096 and one MSS
 *   1460 option, keep the source port and sequence number of a scan, and draw
 *   a fresh TTL per probe; its OS-detection SYNs carry TSval 0xFFFFFFFF.
 * - hping3 sends window 512 without options, the source port counting up
 *   by one per packet from a random base.
 */
import type { DecodedPacket } from '../../schema/packet.js';
import { IpProto, TcpFlag } from '../../schema/packet.js';

/** What a packet is, for the fingerprinter; NONE means "not a probe, skip it". */
export const Probe = { NONE: 0, SYN: 1, NULL: 2, FIN: 3, XMAS: 4, ECHO: 5, UDP_EMPTY: 6 } as const;

const XMAS = TcpFlag.FIN | TcpFlag.PSH | TcpFlag.URG;
const CORE = TcpFlag.FIN | TcpFlag.SYN | TcpFlag.RST | TcpFlag.PSH | TcpFlag.ACK | TcpFlag.URG;

/**
 * The probe class of a packet: a SYN without ACK, a NULL, FIN or Xmas TCP
 * packet, an ICMP echo request, or an empty UDP datagram; else NONE.
 * @example probeOf(pkt) === Probe.SYN
 */
export function probeOf(p: DecodedPacket): number {
  if (p.addrLen === 0 || p.fragment) return Probe.NONE;
  const proto = p.ipProto;
  if (proto === IpProto.TCP) {
    const f = p.tcpFlags & CORE;
    if (f === TcpFlag.SYN) return Probe.SYN;
    if (f === 0) return Probe.NULL;
    if (f === TcpFlag.FIN) return Probe.FIN;
    if (f === XMAS) return Probe.XMAS;
    return Probe.NONE;
  }
  if (proto === IpProto.ICMP) return p.icmpType === 8 ? Probe.ECHO : Probe.NONE;
  if (proto === IpProto.ICMPV6) return p.icmpType === 128 ? Probe.ECHO : Probe.NONE;
  if (proto === IpProto.UDP) return p.payload.length === 0 ? Probe.UDP_EMPTY : Probe.NONE;
  return Probe.NONE;
}

/** Bytes of TCP options (header length minus 20), or -1 when the header is not in the frame. */
export function tcpOptionBytes(p: DecodedPacket): number {
  const off = p.l4Offset;
  const data = p.frame.data;
  if (off < 0 || off + 13 > data.length) return -1;
  return ((data[off + 12]! >> 4) << 2) - 20;
}

/** The initial TTL a packet most likely left its sender with (32, 64, 128 or 255). */
export function initialTtl(ttl: number): number {
  if (ttl <= 32) return 32;
  if (ttl <= 64) return 64;
  if (ttl <= 128) return 128;
  return 255;
}

/** True when the IPv4 ID equals (destination ^ destination port ^ sequence) & 0xffff: masscan's mark. */
export function hasMasscanIpId(p: DecodedPacket): boolean {
  if (p.addrLen !== 4 || p.ipId < 0) return false;
  const d = p.dst;
  // Only the low 16 bits matter: the address's last two bytes.
  const low = (d[2]! << 8) | d[3]!;
  return ((low ^ p.dstPort ^ (p.seq & 0xffff)) & 0xffff) === p.ipId;
}

/** Window values of Nmap's raw TCP scan probes. */
export function isNmapWindow(w: number): boolean {
  return w === 1024 || w === 2048 || w === 3072 || w === 4096;
}

/** Only one option and it is MSS: 4 option bytes with the MSS set and nothing else. */
export function isMssOnly(p: DecodedPacket, optBytes: number): boolean {
  return optBytes === 4 && p.mss >= 0;
}

/** The options of ZMap 3.x's "windows" or "smallest" probes: MSS, maybe window scale and SACK, no timestamp, at most 12 bytes. */
export function isZmapOptions(p: DecodedPacket, optBytes: number): boolean {
  if (optBytes === 0) return true;
  return optBytes <= 12 && p.mss >= 0 && p.tsVal < 0;
}

/** An operating system's own SYN: a timestamp option (raw scanners leave it out). */
export function isStackSyn(p: DecodedPacket): boolean {
  return p.tsVal >= 0 && p.tsVal !== 0xffffffff;
}
