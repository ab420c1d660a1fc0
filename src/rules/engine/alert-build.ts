/** Builds the Alert record for a match: five-tuple, flow identity and counters, transaction context. */

import { flowUid } from '../../flow/uid.js';
import type { DecodedPacket } from '../../schema/packet.js';
import { communityId } from '../../util/community-id.js';
import { ipv4Word } from '../../util/ip.js';
import type { Alert, MatchSpan } from './alert.js';
import type { AppEvent } from './app-layer.js';
import type { CompiledRule } from './compile.js';
import type { DetectFlow } from './detect-flow.js';

/** The matched packet's side of the story: addresses as bytes and text, ports, time. */
export interface MatchPoint {
  p: DecodedPacket | null;
  flow: DetectFlow | null;
  toServer: boolean;
  tx: AppEvent | undefined;
  src: Uint8Array;
  dst: Uint8Array;
  srcText: string;
  dstText: string;
  sp: number;
  dp: number;
  len: number;
  ts: number;
}

/**
 * @example buildAlert(rule, point, spans, { blocked: false }).communityId // '1:...'
 */
export function buildAlert(
  c: CompiledRule,
  m: MatchPoint,
  spans: MatchSpan[],
  o: { blocked: boolean; capture?: string },
): Alert {
  const { p, flow, src, dst, sp, dp, len } = m;
  const ipProto = p?.ipProto ?? flow?.ipProto ?? -1;
  const portless = sp < 0;
  const a: Alert = {
    ts: m.ts,
    rule: c.rule,
    action: o.blocked ? 'blocked' : 'allowed',
    src: m.srcText,
    srcPort: portless ? 0 : sp,
    dst: m.dstText,
    dstPort: portless ? 0 : dp,
    ipProto: p?.l3 === 0x0806 ? -1 : ipProto,
    toServer: m.toServer,
    frame: p?.frame.index ?? flow?.lastFrame ?? 0,
    spans,
  };
  if (o.capture !== undefined) a.capture = o.capture;
  if (flow !== null && len > 0) {
    a.flowId = flow.id;
    const icmp = ipProto === 1 || ipProto === 58;
    a.communityId = communityId(
      src.subarray(0, len),
      dst.subarray(0, len),
      ipProto,
      icmp && p !== null ? p.icmpType : portless ? 0 : sp,
      icmp && p !== null ? p.icmpCode : portless ? 0 : dp,
    );
    if (flow.appProto) a.appProto = flow.appProto;
    a.flowUid = uidOf(flow, p);
    a.flowStats = {
      pktsToServer: flow.pkts[0],
      pktsToClient: flow.pkts[1],
      bytesToServer: flow.wire[0],
      bytesToClient: flow.wire[1],
      start: flow.firstTs,
    };
    if (flow.bits !== null && flow.bits.size > 0) a.flowbits = [...flow.bits];
  }
  if (p !== null && p.payload.length > 0) a.payload = p.payload.slice(0, 4096);
  const tx = m.tx;
  if (tx !== undefined) {
    a.txId = tx.txId;
    if (tx.http) a.http = tx.http;
    if (tx.dns) a.dns = tx.dns;
    if (tx.tls) a.tls = tx.tls;
    if (tx.ssh) a.ssh = tx.ssh;
    if (tx.file) a.file = tx.file;
  }
  return a;
}

/** The flow's uid as the flow table would name the same connection (client as originator). */
function uidOf(f: DetectFlow, p: DecodedPacket | null): string {
  const c = f.clientAddr;
  const s = f.serverAddr;
  const v6 = c.length === 16;
  return flowUid({
    addrLen: c.length,
    o0: ipv4Word(c, 0),
    o1: v6 ? ipv4Word(c, 4) : 0,
    o2: v6 ? ipv4Word(c, 8) : 0,
    o3: v6 ? ipv4Word(c, 12) : 0,
    r0: ipv4Word(s, 0),
    r1: v6 ? ipv4Word(s, 4) : 0,
    r2: v6 ? ipv4Word(s, 8) : 0,
    r3: v6 ? ipv4Word(s, 12) : 0,
    oPort: f.clientPort,
    rPort: f.serverPort,
    ipProto: f.ipProto,
    vlan: p?.vlan ?? -1,
    innerVlan: p?.innerVlan ?? -1,
    tsSec: f.firstSec,
    tsNsec: f.firstNsec,
  });
}
