/**
 * Rule alerts as normalized events (type `ids-alert`, OCSF Detection
 * Finding), so the store, the type summary and later triage see them beside
 * every other source.
 */
import { createHash } from 'node:crypto';
import type { Alert } from '../rules/engine/alert.js';
import { type Event, OcsfClass, Severity } from '../schema/event.js';

const PROTO: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' };

function severityOf(priority: number | undefined): number {
  if (priority === 1) return Severity.high;
  if (priority === 2) return Severity.medium;
  if (priority === 3) return Severity.low;
  return Severity.informational;
}

function text(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : Buffer.from(b).toString('latin1');
}

/**
 * @example alertEvent(alert).type // 'ids-alert'
 */
export function alertEvent(a: Alert): Event {
  const r = a.rule;
  const uid = createHash('sha1')
    .update(`${a.capture ?? ''}|${a.frame}|${r.gid}:${r.sid}|${a.txId ?? ''}`)
    .digest('base64url')
    .slice(0, 20);
  const e: Event = {
    ts: a.ts,
    uid: `A${uid}`,
    type: 'ids-alert',
    classUid: OcsfClass.detectionFinding,
    activityId: 1,
    severityId: severityOf(r.priority),
    src: a.src,
    dst: a.dst,
    message: r.msg,
    action: a.action === 'blocked' ? 'denied' : 'allowed',
    source: { kind: 'pcap', format: 'picket-rules', ...(a.capture !== undefined ? { file: a.capture } : {}) },
    attrs: {
      sid: r.sid,
      gid: r.gid,
      rev: r.rev,
      frame: a.frame,
      ...(r.classtype !== undefined ? { classtype: r.classtype } : {}),
      ...(a.communityId !== undefined ? { communityId: a.communityId } : {}),
      ...(a.appProto !== undefined ? { appProto: a.appProto } : {}),
      direction: a.toServer ? 'to_server' : 'to_client',
    },
  };
  if (a.srcPort > 0) e.srcPort = a.srcPort;
  if (a.dstPort > 0) e.dstPort = a.dstPort;
  const proto = PROTO[a.ipProto];
  if (proto !== undefined) e.proto = proto;
  const h = a.http;
  if (h !== undefined) {
    const status = h.statusCode === undefined ? Number.NaN : Number(text(h.statusCode));
    e.http = {
      ...(h.method ? { method: text(h.method)! } : {}),
      ...(h.uri ? { uri: text(h.uri)!.slice(0, 2048) } : {}),
      ...(h.protocol ? { version: text(h.protocol)! } : {}),
      ...(Number.isInteger(status) ? { status } : {}),
    };
  }
  return e;
}
