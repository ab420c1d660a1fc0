/**
 * The pcap global header: magic (byte order and time resolution), snap length
 * and link type. See the libpcap file format (draft-ietf-opsawg-pcap).
 */

export const PCAP_HEADER_LEN = 24;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  /** Record header size: 16, or 24 for Alexey Kuznetzov's modified pcap. */
  recordHeaderLen: number;
  versionMajor: number;
  versionMinor: number;
  snapLen: number;
  /** LINKTYPE_* value with the FCS bits of the upper field masked off. */
  linkType: number;
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const MAGIC_MODIFIED = 0xa1b2cd34;

/** Magic kind of the first four bytes in either byte order, or undefined. */
export function pcapMagic(
  head: Uint8Array,
): { littleEndian: boolean; nanosecond: boolean; modified: boolean } | undefined {
  if (head.length < 4) return undefined;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const le = ((head[3]! << 24) | (head[2]! << 16) | (head[1]! << 8) | head[0]!) >>> 0;
  for (const [m, littleEndian] of [
    [be, false],
    [le, true],
  ] as const) {
    if (m === MAGIC_US) return { littleEndian, nanosecond: false, modified: false };
    if (m === MAGIC_NS) return { littleEndian, nanosecond: true, modified: false };
    if (m === MAGIC_MODIFIED) return { littleEndian, nanosecond: false, modified: true };
  }
  return undefined;
}

/**
 * Parses the 24-byte global header at `off`, or undefined when the magic is wrong.
 * @example parsePcapHeader(view, bytes, 0)?.linkType // 1 for Ethernet
 */
export function parsePcapHeader(view: DataView, bytes: Uint8Array, off: number): PcapHeader | undefined {
  const magic = pcapMagic(bytes.subarray(off, off + 4));
  if (!magic) return undefined;
  const le = magic.littleEndian;
  return {
    littleEndian: le,
    nanosecond: magic.nanosecond,
    recordHeaderLen: magic.modified ? 24 : 16,
    versionMajor: view.getUint16(off + 4, le),
    versionMinor: view.getUint16(off + 6, le),
    snapLen: view.getUint32(off + 16, le),
    // Bits 16..31 carry FCS length/flag and reserved bits; the link type is the low 16.
    linkType: view.getUint32(off + 20, le) & 0xffff,
  };
}
