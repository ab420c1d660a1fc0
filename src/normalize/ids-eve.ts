/**
 * EVE records other than signature alerts: flow and netflow → `connection`
 * (or `connection-refused`), http → `web-access` / `access-denied`, ssh → SSH
 * Activity `connection`, drop → `firewall-deny`, anomaly → an informational
 * `ids-alert` (as Zeek's weird.log).
 */
import type { EveFlowInfo, EveRecord } from '../read/ids/record.js';
import {
  type Event,
  FindingActivity,
  HttpActivity,
  NetworkActivity,
  OcsfClass,
  Severity,
} from '../schema/event.js';
import { baseFields, type RecordPosition, shortText } from './common.js';

const TCP_SYN = 0x02;
const TCP_RST = 0x04;

/**
 * The Event of a non-alert EVE record; null for types kept as records only
 * (dns, tls, fileinfo, stats...) and for records without a source address.
 *
 * @example eveActivityToEvent(flowRec, { file: 'eve.json', line: 9 })?.type // 'connection'
 */
export function eveActivityToEvent(r: EveRecord, pos: RecordPosition): Event | null {
  if (r.src === undefined) return null;
  switch (r.eventType) {
    case 'flow':
    case 'netflow':
      return flowEvent(r, r.src, pos);
    case 'http':
      return r.http === undefined ? null : httpEvent(r, r.src, pos);
    case 'ssh':
      return sshEvent(r, r.src, pos);
    case 'drop':
      return shell(r, r.src, pos, {
        type: 'firewall-deny',
        classUid: OcsfClass.networkActivity,
        activityId: NetworkActivity.refuse,
        action: 'denied',
        message: `IPS drop ${r.proto ?? '?'} ${end(r.src, r.srcPort)} -> ${end(r.dst, r.dstPort)}`,
      });
    case 'anomaly':
      return anomalyEvent(r, r.src, pos);
    default:
      return null;
  }
}

type Shape = Pick<Event, 'type' | 'classUid' | 'activityId' | 'message'> & { action?: Event['action'] };

/** The fields every EVE activity event shares. */
function shell(r: EveRecord, src: string, pos: RecordPosition, shape: Shape): Event {
  const base = baseFields(r, pos, 'eve', r.format);
  const attrs = base.attrs;
  attrs.eventType = r.eventType;
  if (r.flowId !== undefined) attrs.flowId = r.flowId;
  if (r.communityId !== undefined) attrs.communityId = r.communityId;
  if (r.appProto !== undefined) attrs.appProto = r.appProto;
  if (r.inIface !== undefined) attrs.inIface = r.inIface;
  const e: Event = {
    ts: base.ts,
    uid: base.uid,
    type: shape.type,
    classUid: shape.classUid,
    activityId: shape.activityId,
    src,
    message: shortText(shape.message),
    source: base.source,
    raw: base.raw,
    attrs,
  };
  if (shape.action !== undefined) e.action = shape.action;
  if (r.srcPort !== undefined) e.srcPort = r.srcPort;
  if (r.dst !== undefined) e.dst = r.dst;
  if (r.dstPort !== undefined) e.dstPort = r.dstPort;
  if (r.proto !== undefined) e.proto = r.proto;
  return e;
}

/**
 * A TCP flow whose responder answered only with RST (no SYN) was refused;
 * an IPS verdict (`flow.action`) gives allowed / denied; a passive sensor decides nothing.
 */
function flowEvent(r: EveRecord, src: string, pos: RecordPosition): Event {
  const f: EveFlowInfo = r.flow ?? {};
  const refused =
    r.proto === 'tcp' &&
    f.tcpFlagsToClient !== undefined &&
    (f.tcpFlagsToClient & TCP_RST) !== 0 &&
    (f.tcpFlagsToClient & TCP_SYN) === 0;
  const verdict = f.action === 'drop' ? 'denied' : f.action === 'pass' ? 'allowed' : undefined;
  const pkts = (f.pktsToServer ?? 0) + (f.pktsToClient ?? 0);
  const bytes = (f.bytesToServer ?? 0) + (f.bytesToClient ?? 0);
  const e = shell(r, src, pos, {
    type: refused ? 'connection-refused' : 'connection',
    classUid: OcsfClass.networkActivity,
    activityId: refused
      ? NetworkActivity.refuse
      : f.state === 'closed'
        ? NetworkActivity.close
        : NetworkActivity.traffic,
    message:
      `${r.eventType} ${r.proto ?? '?'} ${end(r.src, r.srcPort)} -> ${end(r.dst, r.dstPort)}` +
      ` ${pkts} pkts ${bytes} bytes${f.state !== undefined ? ` ${f.state}` : ''}`,
    ...(verdict !== undefined ? { action: verdict } : {}),
  });
  // A flow's time is its first packet; the record's timestamp is when it was logged.
  if (f.start !== undefined) e.ts = f.start;
  if (f.pktsToServer !== undefined || f.pktsToClient !== undefined) e.packets = pkts;
  if (f.bytesToServer !== undefined || f.bytesToClient !== undefined) e.bytes = bytes;
  const attrs = e.attrs!;
  if (f.pktsToServer !== undefined) attrs.pktsToServer = f.pktsToServer;
  if (f.pktsToClient !== undefined) attrs.pktsToClient = f.pktsToClient;
  if (f.bytesToServer !== undefined) attrs.bytesToServer = f.bytesToServer;
  if (f.bytesToClient !== undefined) attrs.bytesToClient = f.bytesToClient;
  if (f.end !== undefined) {
    attrs.end = f.end;
    if (f.start !== undefined) attrs.duration = Math.max(0, f.end - f.start);
  }
  if (f.age !== undefined) attrs.age = f.age;
  if (f.state !== undefined) attrs.state = f.state;
  if (f.reason !== undefined) attrs.reason = f.reason;
  if (f.alerted !== undefined) attrs.alerted = f.alerted ? 1 : 0;
  if (f.action !== undefined) attrs.verdict = f.action;
  if (f.tcpFlagsToServer !== undefined) attrs.tcpFlagsToServer = f.tcpFlagsToServer;
  if (f.tcpFlagsToClient !== undefined) attrs.tcpFlagsToClient = f.tcpFlagsToClient;
  if (f.tcpState !== undefined) attrs.tcpState = f.tcpState;
  return e;
}

/** As the web-log mapper: 401/403 are `access-denied`, other requests `web-access`. */
function httpEvent(r: EveRecord, src: string, pos: RecordPosition): Event {
  const h = r.http!;
  const method = h.method?.toUpperCase();
  const denied = h.status === 401 || h.status === 403;
  const e = shell(r, src, pos, {
    type: denied ? 'access-denied' : 'web-access',
    classUid: OcsfClass.httpActivity,
    activityId: method !== undefined ? (HttpActivity[method] ?? 99) : 0,
    message: `${h.method ?? '-'} ${h.hostname ?? ''}${h.url ?? '-'} ${h.status ?? '-'}`,
    ...(denied ? { action: 'denied' as const } : {}),
  });
  const http: NonNullable<Event['http']> = {};
  if (h.method !== undefined) http.method = h.method;
  if (h.url !== undefined) http.uri = shortText(h.url, 2048);
  if (h.protocol !== undefined) http.version = h.protocol;
  if (h.status !== undefined) http.status = h.status;
  if (h.length !== undefined) http.bytes = h.length;
  if (h.referrer !== undefined) http.referrer = shortText(h.referrer, 1024);
  if (h.userAgent !== undefined) http.userAgent = shortText(h.userAgent, 512);
  if (h.hostname !== undefined) http.host = shortText(h.hostname, 256);
  e.http = http;
  if (h.length !== undefined) e.bytes = h.length;
  if (h.contentType !== undefined) e.attrs!.contentType = h.contentType;
  if (r.txId !== undefined) e.attrs!.txId = r.txId;
  return e;
}

/** An SSH session Suricata saw (both banners, when exchanged): SSH Activity Open. */
function sshEvent(r: EveRecord, src: string, pos: RecordPosition): Event {
  const s = r.ssh ?? {};
  const e = shell(r, src, pos, {
    type: 'connection',
    classUid: OcsfClass.sshActivity,
    activityId: NetworkActivity.open,
    message: `SSH ${end(r.src, r.srcPort)} -> ${end(r.dst, r.dstPort)} client ${s.clientSoftware ?? '?'} server ${s.serverSoftware ?? '?'}`,
  });
  const attrs = e.attrs!;
  if (s.clientVersion !== undefined) attrs.clientProtoVersion = s.clientVersion;
  if (s.clientSoftware !== undefined) attrs.clientSoftware = s.clientSoftware;
  if (s.serverVersion !== undefined) attrs.serverProtoVersion = s.serverVersion;
  if (s.serverSoftware !== undefined) attrs.serverSoftware = s.serverSoftware;
  if (s.clientHassh !== undefined) attrs.clientHassh = s.clientHassh;
  if (s.serverHassh !== undefined) attrs.serverHassh = s.serverHassh;
  return e;
}

/** A protocol anomaly the sensor saw: a finding of informational severity, not a signature match. */
function anomalyEvent(r: EveRecord, src: string, pos: RecordPosition): Event {
  const a = r.anomaly ?? {};
  const e = shell(r, src, pos, {
    type: 'ids-alert',
    classUid: OcsfClass.detectionFinding,
    activityId: FindingActivity.create,
    message: `anomaly ${a.type ?? '?'} ${a.event ?? (a.code !== undefined ? `code ${a.code}` : '?')}`,
  });
  e.severityId = Severity.informational;
  const attrs = e.attrs!;
  if (a.type !== undefined) attrs.anomalyType = a.type;
  if (a.event !== undefined) attrs.anomalyEvent = a.event;
  if (a.layer !== undefined) attrs.layer = a.layer;
  if (a.code !== undefined) attrs.anomalyCode = a.code;
  if (r.txId !== undefined) attrs.txId = r.txId;
  return e;
}

function end(a: string | undefined, p: number | undefined): string {
  if (a === undefined) return '?';
  if (p === undefined) return a;
  return a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}
