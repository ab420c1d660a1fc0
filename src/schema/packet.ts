/**
 * Packet-level types shared by read/, decode/ and flow/. These are hot-path
 * structures: readers and decoders fill one reused object per packet instead
 * of allocating, so a consumer must copy whatever it keeps past its callback.
 */

/** Link-layer header types (tcpdump.org LINKTYPE_* values) that Picket decodes. */
export const LinkType = {
  NULL: 0, // BSD loopback, host byte order family
  ETHERNET: 1,
  RAW: 101, // raw IPv4 or IPv6 (version nibble decides)
  LOOP: 108, // OpenBSD loopback, network byte order family
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** One captured frame as a reader hands it out; reused between calls. */
export interface Frame {
  /** 0-based index of the frame in its file. */
  index: number;
  /** Byte offset of the record header in the file. */
  offset: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second (0..999,999,999). */
  tsNsec: number;
  linkType: number;
  /** Interface index (pcapng) or 0 (pcap). */
  interfaceId: number;
  /** Bytes captured, equals data.length. */
  capLen: number;
  /** Length on the wire. */
  origLen: number;
  /** Frame bytes; valid until the reader's next call. */
  data: Uint8Array;
}

/** Protocol numbers at layer 3 as DecodedPacket.l3 reports them. */
export const L3 = { NONE: 0, IPV4: 4, IPV6: 6, ARP: 0x0806, OTHER: 0xffff } as const;

/** Bits of DecodedPacket.ipOptions by IPv4 option. */
export const IpOptionBit = {
  EOL: 1,
  NOP: 2,
  RR: 4,
  TS: 8,
  SEC: 16,
  ESEC: 32,
  LSRR: 64,
  LSRRE: 128,
  SSRR: 256,
  SATID: 512,
  OTHER: 1024,
} as const;

/** IP protocol numbers Picket decodes at layer 4. */
export const IpProto = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 } as const;

/** TCP flag bits as in the TCP header's flags byte (plus NS in bit 8). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
  NS: 0x100,
} as const;

/**
 * The decoder's view of one packet. Filled in place for every frame; fields of
 * layers the packet does not have keep neutral values (0, -1, false).
 */
export interface DecodedPacket {
  frame: Frame;
  /** Seconds since the epoch as a double (microsecond precision), for flow timing. */
  ts: number;

  /** Outer and inner 802.1Q VLAN ids, -1 when absent. */
  vlan: number;
  innerVlan: number;

  /** L3 value: NONE, IPV4, IPV6, ARP or OTHER. */
  l3: number;
  /** 4 or 16 when the packet has IP addresses, else 0. */
  addrLen: number;
  /** Source and destination address bytes (first addrLen bytes are valid). */
  src: Uint8Array;
  dst: Uint8Array;
  ttl: number;
  /** IPv4 identification (or IPv6 fragment id low 32 bits), -1 when none. */
  ipId: number;
  /** IP total length as the header states it (IPv6: 40 + payload length incl. ext headers). */
  ipLen: number;
  /** Transport protocol after IPv6 extension headers, -1 when none. */
  ipProto: number;
  /** True when this packet is a fragment that was not (or not yet) reassembled. */
  fragment: boolean;
  /** True when this packet is the result of reassembling fragments. */
  reassembled: boolean;

  srcPort: number;
  dstPort: number;
  /** TCP flags including NS in bit 8; 0 for non-TCP. */
  tcpFlags: number;
  seq: number;
  ack: number;
  window: number;
  /** TCP options; -1 when the option is absent. */
  mss: number;
  wscale: number;
  sackPermitted: boolean;
  tsVal: number;
  tsEcr: number;
  /** ICMP/ICMPv6 type and code, -1 when not ICMP. */
  icmpType: number;
  icmpCode: number;
  /**
   * For ICMP error messages (unreachable, time exceeded, ...): the quoted
   * packet's protocol and ports (-1 when absent) and its destination address
   * (first icmpInnerAddrLen bytes of icmpInnerDst; 0 when none).
   */
  icmpInnerProto: number;
  icmpInnerSrcPort: number;
  icmpInnerDstPort: number;
  icmpInnerAddrLen: number;
  icmpInnerDst: Uint8Array;

  /** ARP operation (1 request, 2 reply), -1 when not ARP; sender/target IPv4 in src/dst. */
  arpOp: number;

  /**
   * Offsets in frame.data of the (innermost) IP header and of the transport
   * header, -1 when absent; l4Offset is -1 too when the transport header lies
   * in a reassembled datagram rather than in the frame. The rule engine's
   * ipv4.hdr / tcp.hdr buffers read them.
   */
  l3Offset: number;
  l4Offset: number;
  /** IPv4 options present, one bit per option kind (see IpOptionBit); 0 when none. */
  ipOptions: number;
  /** IPv4 flags and fragment offset word (bits: 0x8000 reserved, 0x4000 DF, 0x2000 MF), -1 when not IPv4. */
  ipFlagsFrag: number;
  /** IPv4 type-of-service byte (IPv6 traffic class), -1 when none. */
  tos: number;

  /** Transport payload: frame.data.subarray(payloadOffset, payloadOffset + payloadLength), or the reassembled buffer. */
  payload: Uint8Array;

  /** Problem code when the packet could not be fully decoded, else ''. */
  error: string;
}
