/**
 * Turns a finished Flow into a FlowRecord (a ConnRecord: strings on demand) and a
 * FlowRecord into Zeek's conn.log JSON shape.
 */
import type { FlowRecord } from '../schema/flow.js';
import { IpProto } from '../schema/packet.js';
import { ConnRecord } from './conn-record.js';
import { connStateFor } from './conn-state.js';
import type { Flow } from './flow.js';
import { TcpState } from './tcp-endpoint.js';

function protoName(p: number): FlowRecord['proto'] {
  if (p === IpProto.TCP) return 'tcp';
  if (p === IpProto.UDP) return 'udp';
  if (p === IpProto.ICMP || p === IpProto.ICMPV6) return 'icmp';
  return 'unknown_transport';
}

/** Builds the final record of a flow (its strings are made on first read); `service` comes from its observer. */
export function buildRecord(f: Flow, service: string, source: string | undefined): FlowRecord {
  const tcp = f.tcp;
  const origBytes = tcp ? tcp.orig.size(tcp.resp) : f.origSize;
  const respBytes = tcp ? tcp.resp.size(tcp.orig) : f.respSize;
  const os = tcp ? tcp.orig.state : TcpState.INACTIVE;
  const rs = tcp ? tcp.resp.state : TcpState.INACTIVE;
  const rec = new ConnRecord(f);
  rec.ts = f.startTs;
  rec.proto = protoName(f.ipProto);
  rec.service = service;
  rec.duration = Math.round((f.lastTs - f.startTs) * 1e6) / 1e6;
  rec.origBytes = origBytes;
  rec.respBytes = respBytes;
  rec.connState = connStateFor(f.ipProto, os, rs, f.history, origBytes, respBytes, f.origPkts, f.respPkts);
  rec.missedBytes = f.missedBytes;
  rec.history = f.history;
  rec.origPkts = f.origPkts;
  rec.origIpBytes = f.origIpBytes;
  rec.respPkts = f.respPkts;
  rec.respIpBytes = f.respIpBytes;
  rec.origWireBytes = f.origWire;
  rec.respWireBytes = f.respWire;
  if (tcp) {
    rec.origFlags = f.origFlags;
    rec.respFlags = f.respFlags;
  }
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
