/**
 * Turns a finished Flow into a FlowRecord (strings built once, here) and a
 * FlowRecord into Zeek's conn.log JSON shape.
 */
import type { FlowRecord } from '../schema/flow.js';
import { IpProto } from '../schema/packet.js';
import { communityId } from '../util/community-id.js';
import { formatAddress } from '../util/ip.js';
import { connStateFor } from './conn-state.js';
import type { Flow } from './flow.js';
import { TcpState } from './tcp-endpoint.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function putWords(out: Uint8Array, a: number, b: number, c: number, d: number): void {
  out[0] = a >>> 24;
  out[1] = (a >>> 16) & 0xff;
  out[2] = (a >>> 8) & 0xff;
  out[3] = a & 0xff;
  out[4] = b >>> 24;
  out[5] = (b >>> 16) & 0xff;
  out[6] = (b >>> 8) & 0xff;
  out[7] = b & 0xff;
  out[8] = c >>> 24;
  out[9] = (c >>> 16) & 0xff;
  out[10] = (c >>> 8) & 0xff;
  out[11] = c & 0xff;
  out[12] = d >>> 24;
  out[13] = (d >>> 16) & 0xff;
  out[14] = (d >>> 8) & 0xff;
  out[15] = d & 0xff;
}

function protoName(p: number): FlowRecord['proto'] {
  if (p === IpProto.TCP) return 'tcp';
  if (p === IpProto.UDP) return 'udp';
  if (p === IpProto.ICMP || p === IpProto.ICMPV6) return 'icmp';
  return 'unknown_transport';
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One 32-bit lane of the uid hash over the flow key and start time. */
function uidLane(f: Flow, seed: number): number {
  let h = fmix(seed);
  h = fmix(h ^ f.o0) + f.o1;
  h = fmix(h ^ f.o2) + f.o3;
  h = fmix(h ^ f.r0) + f.r1;
  h = fmix(h ^ f.r2) + f.r3;
  h = fmix(h ^ ((f.oPort << 16) | f.rPort)) + f.ipProto;
  h = fmix(h ^ f.vlan) + f.innerVlan;
  h = fmix(h ^ (f.tsSec >>> 0)) + Math.floor(f.tsSec / 4294967296);
  h = fmix(h ^ f.tsNsec) + f.addrLen;
  return fmix(h) >>> 0;
}

/**
 * Deterministic connection uid: 'C' + 17 base62 characters from a 128-bit
 * hash (four seeded 32-bit lanes) of the key (addresses, ports, protocol,
 * VLANs) and the first packet's time in nanoseconds, so re-analysing the same
 * capture gives the same uids.
 */
export function flowUid(f: Flow): string {
  let o = 1;
  for (let lane = 0; lane < 4; lane++) {
    let v = uidLane(f, 0x9e3779b9 + lane * 0x632be5ab);
    for (let i = lane === 0 ? 5 : 4; i > 0; i--) {
      uidChars[o++] = BASE62.charCodeAt(v % 62);
      v = Math.floor(v / 62);
    }
  }
  return String.fromCharCode.apply(null, uidChars);
}

const uidChars: number[] = [67, ...new Array<number>(17).fill(48)];

const origBuf = new Uint8Array(16);
const respBuf = new Uint8Array(16);

/** Builds the final record of a flow; `service` comes from its observer. */
export function buildRecord(f: Flow, service: string, source: string | undefined): FlowRecord {
  putWords(origBuf, f.o0, f.o1, f.o2, f.o3);
  putWords(respBuf, f.r0, f.r1, f.r2, f.r3);
  const len = f.addrLen;
  const tcp = f.tcp;
  const origBytes = tcp ? tcp.orig.size(tcp.resp) : f.origSize;
  const respBytes = tcp ? tcp.resp.size(tcp.orig) : f.respSize;
  const os = tcp ? tcp.orig.state : TcpState.INACTIVE;
  const rs = tcp ? tcp.resp.state : TcpState.INACTIVE;
  const rec: FlowRecord = {
    ts: f.startTs,
    uid: flowUid(f),
    origH: formatAddress(origBuf, len),
    origP: f.oPort,
    respH: formatAddress(respBuf, len),
    respP: f.rPort,
    proto: protoName(f.ipProto),
    service,
    duration: Math.round((f.lastTs - f.startTs) * 1e6) / 1e6,
    origBytes,
    respBytes,
    connState: connStateFor(f.ipProto, os, rs, f.history, origBytes, respBytes, f.origPkts, f.respPkts),
    missedBytes: f.missedBytes,
    history: f.history,
    origPkts: f.origPkts,
    origIpBytes: f.origIpBytes,
    respPkts: f.respPkts,
    respIpBytes: f.respIpBytes,
    ipProto: f.ipProto,
    origWireBytes: f.origWire,
    respWireBytes: f.respWire,
    communityId: communityId(origBuf.subarray(0, len), respBuf.subarray(0, len), f.ipProto, f.oPort, f.rPort),
  };
  if (f.vlan > 0) rec.vlan = f.vlan;
  if (f.innerVlan > 0) rec.innerVlan = f.innerVlan;
  if (source !== undefined) rec.source = source;
  return rec;
}

/**
 * A FlowRecord as Zeek's JSON conn.log writes it (dotted id names; duration
 * and byte counts omitted when the duration is zero, as Zeek leaves them
 * unset), plus community_id and Picket's wire byte counts.
 *
 * @example
 * toZeekJson(rec)['id.orig_h'] // '10.0.0.1'
 */
export function toZeekJson(flow: FlowRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ts: flow.ts,
    uid: flow.uid,
    'id.orig_h': flow.origH,
    'id.orig_p': flow.origP,
    'id.resp_h': flow.respH,
    'id.resp_p': flow.respP,
    proto: flow.proto,
  };
  if (flow.service) out.service = flow.service;
  if (flow.duration > 0) {
    out.duration = flow.duration;
    out.orig_bytes = flow.origBytes;
    out.resp_bytes = flow.respBytes;
  }
  if (flow.connState) out.conn_state = flow.connState;
  out.missed_bytes = flow.missedBytes;
  if (flow.history) out.history = flow.history;
  out.orig_pkts = flow.origPkts;
  out.orig_ip_bytes = flow.origIpBytes;
  out.resp_pkts = flow.respPkts;
  out.resp_ip_bytes = flow.respIpBytes;
  out.ip_proto = flow.ipProto;
  if (flow.vlan !== undefined) out.vlan = flow.vlan;
  if (flow.innerVlan !== undefined) out.inner_vlan = flow.innerVlan;
  out.community_id = flow.communityId;
  out.orig_wire_bytes = flow.origWireBytes;
  out.resp_wire_bytes = flow.respWireBytes;
  if (flow.source !== undefined) out.source = flow.source;
  return out;
}
