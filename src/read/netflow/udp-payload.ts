/**
 * A minimal UDP-payload extractor for captures of export traffic. read/ may
 * not import decode/ (one-way flow), so this knows only what reaching a UDP
 * payload needs: Ethernet (+ VLAN tags), Linux cooked v1/v2, BSD loopback and
 * raw IP; IPv4 (unfragmented) and IPv6 (common extension headers).
 */

/** The extracted datagram; one object reused per extractor. */
export interface UdpDatagram {
  srcAddr: string;
  srcPort: number;
  dstPort: number;
  /** Offset of the UDP payload in the frame. */
  offset: number;
  length: number;
}

export type ExtractResult = 'ok' | 'not-udp' | 'fragment' | 'truncated';

const LINK_NULL = 0;
const LINK_ETHERNET = 1;
const LINK_RAW = 101;
const LINK_RAW_ALT = 12;
const LINK_LOOP = 108;
const LINK_SLL = 113;
const LINK_SLL2 = 276;
const LINK_IPV4 = 228;
const LINK_IPV6 = 229;

/**
 * Finds the UDP payload of one frame; fills `out` and says why when there is none.
 * @example extractUdp(frame.data, frame.linkType, dg) === 'ok' && session.datagram(frame.data.subarray(dg.offset, dg.offset + dg.length), ...)
 */
export function extractUdp(b: Uint8Array, linkType: number, out: UdpDatagram): ExtractResult {
  let o: number;
  let ethertype = -1;
  switch (linkType) {
    case LINK_ETHERNET: {
      if (b.length < 14) return 'truncated';
      ethertype = (b[12]! << 8) | b[13]!;
      o = 14;
      while (ethertype === 0x8100 || ethertype === 0x88a8) {
        if (b.length < o + 4) return 'truncated';
        ethertype = (b[o + 2]! << 8) | b[o + 3]!;
        o += 4;
      }
      break;
    }
    case LINK_SLL:
      if (b.length < 16) return 'truncated';
      ethertype = (b[14]! << 8) | b[15]!;
      o = 16;
      break;
    case LINK_SLL2:
      if (b.length < 20) return 'truncated';
      ethertype = (b[0]! << 8) | b[1]!;
      o = 20;
      break;
    case LINK_NULL:
    case LINK_LOOP:
      o = 4;
      break;
    case LINK_RAW:
    case LINK_RAW_ALT:
    case LINK_IPV4:
    case LINK_IPV6:
      o = 0;
      break;
    default:
      return 'not-udp';
  }
  if (b.length < o + 1) return 'truncated';
  const ipVersion = b[o]! >> 4;
  if (ethertype !== -1 && ethertype !== 0x0800 && ethertype !== 0x86dd) return 'not-udp';
  if (ipVersion === 4) return ipv4(b, o, out);
  if (ipVersion === 6) return ipv6(b, o, out);
  return 'not-udp';
}

function ipv4(b: Uint8Array, o: number, out: UdpDatagram): ExtractResult {
  if (b.length < o + 20) return 'truncated';
  const ihl = (b[o]! & 0x0f) * 4;
  const total = (b[o + 2]! << 8) | b[o + 3]!;
  const frag = ((b[o + 6]! << 8) | b[o + 7]!) & 0x3fff; // MF flag + offset
  if (b[o + 9] !== 17) return 'not-udp';
  if (frag !== 0) return 'fragment';
  if (ihl < 20) return 'truncated';
  out.srcAddr = `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  const end = Math.min(b.length, o + (total >= ihl ? total : b.length - o));
  return udp(b, o + ihl, end, out);
}

function ipv6(b: Uint8Array, o: number, out: UdpDatagram): ExtractResult {
  if (b.length < o + 40) return 'truncated';
  const payloadLen = (b[o + 4]! << 8) | b[o + 5]!;
  let next = b[o + 6]!;
  const src = o + 8;
  const end = Math.min(b.length, o + 40 + payloadLen);
  let p = o + 40;
  // Hop-by-hop, routing, destination options: skip; a fragment header means no whole datagram.
  for (let hops = 0; hops < 8 && (next === 0 || next === 43 || next === 60 || next === 44); hops++) {
    if (next === 44) return 'fragment';
    if (p + 2 > end) return 'truncated';
    next = b[p]!;
    p += (b[p + 1]! + 1) * 8;
  }
  if (next !== 17) return 'not-udp';
  let s = '';
  for (let i = 0; i < 16; i += 2)
    s += `${i ? ':' : ''}${((b[src + i]! << 8) | b[src + i + 1]!).toString(16)}`;
  out.srcAddr = `[${compress(s)}]`;
  return udp(b, p, end, out);
}

/** Shortest form of a full 8-group address (longest zero run → ::). */
function compress(full: string): string {
  const m = full.match(/(^|:)0(:0)+(:|$)/g);
  if (!m) return full;
  const longest = m.reduce((a, c) => (c.length > a.length ? c : a));
  return full.replace(longest, '::');
}

function udp(b: Uint8Array, o: number, end: number, out: UdpDatagram): ExtractResult {
  if (end < o + 8) return 'truncated';
  out.srcPort = (b[o]! << 8) | b[o + 1]!;
  out.dstPort = (b[o + 2]! << 8) | b[o + 3]!;
  const ulen = (b[o + 4]! << 8) | b[o + 5]!;
  out.offset = o + 8;
  // A UDP length below 8 (e.g. 0 from offloaded checksums) means "to the end of the IP payload".
  out.length = ulen >= 8 ? Math.min(ulen - 8, end - o - 8) : end - o - 8;
  return 'ok';
}
