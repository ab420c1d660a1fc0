/**
 * Link layers: Ethernet II / 802.3 with 802.1Q and QinQ tags, Linux cooked
 * capture (SLL, SLL2), raw IP and BSD/OpenBSD loopback. Each finds where the
 * network header starts and hands over to the L3 decoder for its type.
 */
import { L3, LinkType } from '../schema/packet.js';
import { decodeArp } from './arp.js';
import { type DecodeContext, fail } from './context.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';

const ETH_IPV4 = 0x0800;
const ETH_ARP = 0x0806;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100;
const ETH_QINQ = 0x88a8;
const ETH_QINQ_OLD = 0x9100;
/** Tags beyond this many are malformed or hostile; two is the normal maximum. */
const MAX_VLAN_TAGS = 8;

/** Decodes the frame's link layer and everything above it into ctx.pkt. */
export function decodeLink(ctx: DecodeContext, data: Uint8Array, linkType: number): void {
  const end = data.length;
  switch (linkType) {
    case LinkType.ETHERNET:
      decodeEthernet(ctx, data, end);
      return;
    case LinkType.RAW:
    case 12: // DLT_RAW on some BSDs when a file kept the DLT value
    case 14:
      decodeRawIp(ctx, data, 0, end);
      return;
    case LinkType.IPV4:
      decodeIPv4(ctx, data, 0, end);
      return;
    case LinkType.IPV6:
      decodeIPv6(ctx, data, 0, end);
      return;
    case LinkType.NULL:
      decodeLoopback(ctx, data, end, false);
      return;
    case LinkType.LOOP:
      decodeLoopback(ctx, data, end, true);
      return;
    case LinkType.LINUX_SLL:
      decodeSll(ctx, data, end);
      return;
    case LinkType.LINUX_SLL2:
      decodeSll2(ctx, data, end);
      return;
    default:
      ctx.pkt.l3 = L3.OTHER;
      fail(ctx, 'link.unsupported', 'link-layer type is not one Picket decodes; frame counted as other');
  }
}

function decodeEthernet(ctx: DecodeContext, data: Uint8Array, end: number): void {
  if (end < 14) {
    ctx.pkt.l3 = L3.OTHER;
    fail(ctx, 'ethernet.truncated', 'Ethernet frame shorter than its 14-byte header');
    return;
  }
  decodeEtherType(ctx, data, 14, end, (data[12]! << 8) | data[13]!);
}

/**
 * Dispatches on an EtherType at `off`, unwrapping VLAN tags first. Values up
 * to 1500 are 802.3 length fields (LLC/SNAP follows), reported as OTHER.
 */
function decodeEtherType(ctx: DecodeContext, data: Uint8Array, off: number, end: number, type: number): void {
  const pkt = ctx.pkt;
  let tags = 0;
  while (type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) {
    if (off + 4 > end) {
      pkt.l3 = L3.OTHER;
      fail(ctx, 'vlan.truncated', 'VLAN tag cut short');
      return;
    }
    if (++tags > MAX_VLAN_TAGS) {
      pkt.l3 = L3.OTHER;
      fail(ctx, 'vlan.too-many-tags', 'more than 8 stacked VLAN tags; frame not decoded further');
      return;
    }
    const id = ((data[off]! << 8) | data[off + 1]!) & 0x0fff;
    if (pkt.vlan < 0) pkt.vlan = id;
    else if (pkt.innerVlan < 0) pkt.innerVlan = id;
    type = (data[off + 2]! << 8) | data[off + 3]!;
    off += 4;
  }
  switch (type) {
    case ETH_IPV4:
      decodeIPv4(ctx, data, off, end);
      return;
    case ETH_IPV6:
      decodeIPv6(ctx, data, off, end);
      return;
    case ETH_ARP:
      decodeArp(ctx, data, off, end);
      return;
    default:
      pkt.l3 = L3.OTHER;
  }
}

/** Raw IP: the version nibble says IPv4 or IPv6. */
function decodeRawIp(ctx: DecodeContext, data: Uint8Array, off: number, end: number): void {
  if (off >= end) {
    ctx.pkt.l3 = L3.OTHER;
    fail(ctx, 'raw.empty', 'raw IP frame has no bytes');
    return;
  }
  const version = data[off]! >> 4;
  if (version === 4) {
    decodeIPv4(ctx, data, off, end);
    return;
  }
  if (version === 6) {
    decodeIPv6(ctx, data, off, end);
    return;
  }
  ctx.pkt.l3 = L3.OTHER;
  fail(ctx, 'raw.bad-version', 'raw IP frame with an IP version other than 4 or 6');
}

/**
 * BSD loopback: a 4-byte address family, in the capturing host's byte order
 * for NULL (so both orders are tried) and network order for LOOP. IPv6 has
 * different AF_INET6 values per OS (24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS).
 */
function decodeLoopback(ctx: DecodeContext, data: Uint8Array, end: number, networkOrder: boolean): void {
  if (end < 4) {
    ctx.pkt.l3 = L3.OTHER;
    fail(ctx, 'loopback.truncated', 'loopback frame shorter than its 4-byte family');
    return;
  }
  const be = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
  const le = ((data[3]! << 24) | (data[2]! << 16) | (data[1]! << 8) | data[0]!) >>> 0;
  // A family is a small number, so the order in which it reads small is the right one.
  const family = networkOrder || be <= 0xffff ? be : le;
  if (family === 2) {
    decodeIPv4(ctx, data, 4, end);
    return;
  }
  if (family === 24 || family === 28 || family === 30) {
    decodeIPv6(ctx, data, 4, end);
    return;
  }
  ctx.pkt.l3 = L3.OTHER;
}

/** Linux cooked capture v1: 16-byte header, protocol (an EtherType for most devices) at 14. */
function decodeSll(ctx: DecodeContext, data: Uint8Array, end: number): void {
  if (end < 16) {
    ctx.pkt.l3 = L3.OTHER;
    fail(ctx, 'sll.truncated', 'Linux cooked (SLL) frame shorter than its 16-byte header');
    return;
  }
  decodeCookedProtocol(ctx, data, 16, end, (data[2]! << 8) | data[3]!, (data[14]! << 8) | data[15]!);
}

/** Linux cooked capture v2: 20-byte header, protocol first, ARPHRD type at 8. */
function decodeSll2(ctx: DecodeContext, data: Uint8Array, end: number): void {
  if (end < 20) {
    ctx.pkt.l3 = L3.OTHER;
    fail(ctx, 'sll2.truncated', 'Linux cooked (SLL2) frame shorter than its 20-byte header');
    return;
  }
  decodeCookedProtocol(ctx, data, 20, end, (data[8]! << 8) | data[9]!, (data[0]! << 8) | data[1]!);
}

const ARPHRD_NETLINK = 824;

function decodeCookedProtocol(
  ctx: DecodeContext,
  data: Uint8Array,
  off: number,
  end: number,
  arphrd: number,
  protocol: number,
): void {
  // Netlink captures carry a netlink family here, not an EtherType.
  if (arphrd === ARPHRD_NETLINK) {
    ctx.pkt.l3 = L3.OTHER;
    return;
  }
  decodeEtherType(ctx, data, off, end, protocol);
}
