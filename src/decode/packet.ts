/**
 * The reused DecodedPacket: one allocation per Decoder, reset per frame.
 */
import type { DecodedPacket, Frame } from '../schema/packet.js';
import { L3 } from '../schema/packet.js';

const EMPTY = new Uint8Array(0);
const NO_FRAME: Frame = {
  index: -1,
  offset: -1,
  tsSec: 0,
  tsNsec: 0,
  linkType: -1,
  interfaceId: 0,
  capLen: 0,
  origLen: 0,
  data: EMPTY,
};

/** The decoder's packet; an alias kept so the decoders name what they fill. */
export type ReusedPacket = DecodedPacket;

/**
 * Points the packet's payload at buf[start, end). The view costs one small
 * allocation per packet; a lazy accessor was measured 3x slower overall
 * (accessor properties push V8 off the fast path for every field).
 */
export function setPayload(p: ReusedPacket, buf: Uint8Array, start: number, end: number): void {
  p.payload = buf.subarray(start, end);
}

/**
 * A DecodedPacket with neutral values, for decoders and for tests of later
 * stages that need a packet to fill by hand.
 *
 * @example
 * const p = createDecodedPacket(); p.l3 = L3.IPV4; p.addrLen = 4;
 */
export function createDecodedPacket(): ReusedPacket {
  const p: ReusedPacket = {
    frame: NO_FRAME,
    ts: 0,
    vlan: -1,
    innerVlan: -1,
    l3: L3.NONE,
    addrLen: 0,
    src: new Uint8Array(16),
    dst: new Uint8Array(16),
    ttl: -1,
    ipId: -1,
    ipLen: -1,
    ipProto: -1,
    fragment: false,
    reassembled: false,
    srcPort: -1,
    dstPort: -1,
    tcpFlags: 0,
    seq: -1,
    ack: -1,
    window: -1,
    mss: -1,
    wscale: -1,
    sackPermitted: false,
    tsVal: -1,
    tsEcr: -1,
    icmpType: -1,
    icmpCode: -1,
    icmpInnerProto: -1,
    icmpInnerSrcPort: -1,
    icmpInnerDstPort: -1,
    icmpInnerAddrLen: 0,
    icmpInnerDst: new Uint8Array(16),
    arpOp: -1,
    l3Offset: -1,
    l4Offset: -1,
    ipOptions: 0,
    ipFlagsFrag: -1,
    tos: -1,
    payload: EMPTY,
    error: '',
  };
  return p;
}

/** Puts every field back to its neutral value (address buffers are kept, addrLen says what is valid). */
export function resetPacket(p: ReusedPacket, frame: Frame): void {
  p.frame = frame;
  p.ts = frame.tsSec + Math.floor(frame.tsNsec / 1000) / 1e6;
  p.vlan = -1;
  p.innerVlan = -1;
  p.l3 = L3.NONE;
  p.addrLen = 0;
  p.ttl = -1;
  p.ipId = -1;
  p.ipLen = -1;
  p.ipProto = -1;
  p.fragment = false;
  p.reassembled = false;
  p.srcPort = -1;
  p.dstPort = -1;
  p.tcpFlags = 0;
  p.seq = -1;
  p.ack = -1;
  p.window = -1;
  p.mss = -1;
  p.wscale = -1;
  p.sackPermitted = false;
  p.tsVal = -1;
  p.tsEcr = -1;
  p.icmpType = -1;
  p.icmpCode = -1;
  p.icmpInnerProto = -1;
  p.icmpInnerSrcPort = -1;
  p.icmpInnerDstPort = -1;
  p.icmpInnerAddrLen = 0;
  p.l3Offset = -1;
  p.l4Offset = -1;
  p.ipOptions = 0;
  p.ipFlagsFrag = -1;
  p.tos = -1;
  p.arpOp = -1;
  p.payload = EMPTY;
  p.error = '';
}
