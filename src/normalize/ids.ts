/**
 * IDS records → Events: signature alerts (Suricata EVE, Snort fast/full/JSON)
 * become `ids-alert` Detection Findings; EVE's flow, netflow, http, ssh,
 * drop and anomaly records become activity or informational findings
 * (ids-eve.ts). EVE dns, tls, fileinfo, stats and other types are records only
 * (see docs/event-types.md).
 */
import type { EveRecord, IdsRecord, IdsSignature, SnortAlertRecord } from '../read/ids/record.js';
import { type Event, FindingActivity, OcsfClass, Severity } from '../schema/event.js';
import { baseFields, type RecordPosition, shortText } from './common.js';
import { eveActivityToEvent } from './ids-eve.js';

/**
 * The Event of an IDS record, or null when it is kept as a record only
 * (EVE dns/tls/fileinfo/stats..., or no source address).
 *
 * @example idsToEvent(rec, { file: 'eve.json', line: 3 })?.type // 'ids-alert'
 */
export function idsToEvent(r: IdsRecord, pos: RecordPosition): Event | null {
  if (r.format === 'suricata-eve') {
    if (r.eventType === 'alert') return r.alert === undefined ? null : alertToEvent(r, r.alert, pos);
    return eveActivityToEvent(r, pos);
  }
  return alertToEvent(r, r.alert, pos);
}

/**
 * OCSF severity from a rule priority (1 most severe): 1 high, 2 medium, 3 low, 4+ informational.
 * @example severityOfPriority(1) // 4
 */
export function severityOfPriority(priority: number | undefined): number {
  if (priority === undefined) return Severity.unknown;
  if (priority <= 1) return Severity.high;
  if (priority === 2) return Severity.medium;
  if (priority === 3) return Severity.low;
  return Severity.informational;
}

/** Verdict words of Suricata and Snort as allowed / denied / unknown. */
export function actionOfVerdict(word: string | undefined): NonNullable<Event['action']> {
  switch (word?.toLowerCase()) {
    case 'allowed':
    case 'allow':
    case 'pass':
    case 'alert':
    case 'would_drop':
    case 'would_block':
      return 'allowed';
    case 'blocked':
    case 'drop':
    case 'sdrop':
    case 'block':
    case 'reset':
    case 'reject':
      return 'denied';
    default:
      return 'unknown';
  }
}

function alertToEvent(r: IdsRecord, a: IdsSignature, pos: RecordPosition): Event | null {
  const eve = r.format === 'suricata-eve' ? (r as EveRecord) : undefined;
  const target = eve?.alert?.targetIp !== undefined ? eve.alert : undefined;
  // With the `target` keyword the rule says who attacks whom; otherwise the packet's direction stands.
  const src = target?.sourceIp ?? r.src;
  if (src === undefined) return null;
  const at: RecordPosition = { line: (r as SnortAlertRecord).line ?? pos.line };
  if (pos.file !== undefined) at.file = pos.file;
  const base = baseFields(r, at, eve ? 'eve' : 'snort', r.format);
  const attrs = base.attrs;
  attrs.gid = a.gid;
  attrs.sid = a.sid;
  attrs.rev = a.rev;
  attrs.signature = shortText(a.msg, 512);
  if (a.classtype !== undefined) attrs.classtype = a.classtype;
  if (a.category !== undefined) attrs.category = a.category;
  if (a.priority !== undefined) attrs.priority = a.priority;
  if (a.action !== undefined) attrs.verdict = a.action;
  const e: Event = {
    ts: base.ts,
    uid: base.uid,
    type: 'ids-alert',
    classUid: OcsfClass.detectionFinding,
    activityId: FindingActivity.create,
    severityId: severityOfPriority(a.priority),
    src,
    message: shortText(`[${a.gid}:${a.sid}:${a.rev}] ${a.msg}`),
    action: actionOfVerdict(a.action),
    source: base.source,
    raw: base.raw,
    attrs,
  };
  const srcPort = target ? target.sourcePort : r.srcPort;
  const dst = target ? target.targetIp : r.dst;
  const dstPort = target ? target.targetPort : r.dstPort;
  if (srcPort !== undefined) e.srcPort = srcPort;
  if (dst !== undefined) e.dst = dst;
  if (dstPort !== undefined) e.dstPort = dstPort;
  if (r.proto !== undefined) e.proto = r.proto;
  if (target) attrs.target = target.targetIp!;
  if (eve) addEveContext(e, eve);
  else addSnortContext(attrs, r as SnortAlertRecord);
  return e;
}

/** What an EVE alert says besides the signature: flow id, app protocol, HTTP request, flow counters. */
function addEveContext(e: Event, r: EveRecord): void {
  const attrs = e.attrs!;
  if (r.flowId !== undefined) attrs.flowId = r.flowId;
  if (r.communityId !== undefined) attrs.communityId = r.communityId;
  if (r.pcapCnt !== undefined) attrs.pcapCnt = r.pcapCnt;
  if (r.txId !== undefined) attrs.txId = r.txId;
  if (r.appProto !== undefined) attrs.appProto = r.appProto;
  if (r.direction !== undefined) attrs.direction = r.direction;
  if (r.inIface !== undefined) attrs.inIface = r.inIface;
  if (r.http !== undefined) {
    const h = r.http;
    const http: NonNullable<Event['http']> = {};
    if (h.method !== undefined) http.method = h.method;
    if (h.url !== undefined) http.uri = shortText(h.url, 2048);
    if (h.status !== undefined) http.status = h.status;
    if (h.userAgent !== undefined) http.userAgent = shortText(h.userAgent, 512);
    if (h.hostname !== undefined) http.host = shortText(h.hostname, 256);
    if (Object.keys(http).length > 0) e.http = http;
  }
  if (r.flow !== undefined) {
    const f = r.flow;
    const pkts = (f.pktsToServer ?? 0) + (f.pktsToClient ?? 0);
    const bytes = (f.bytesToServer ?? 0) + (f.bytesToClient ?? 0);
    if (f.pktsToServer !== undefined || f.pktsToClient !== undefined) e.packets = pkts;
    if (f.bytesToServer !== undefined || f.bytesToClient !== undefined) e.bytes = bytes;
    if (f.start !== undefined) attrs.flowStart = f.start;
  }
  if (r.dns !== undefined && r.dns.queries.length > 0)
    attrs.dnsQuery = shortText(r.dns.queries[0]!.rrname, 256);
  if (r.tls?.sni !== undefined) attrs.tlsSni = shortText(r.tls.sni, 256);
  if (r.ssh?.clientSoftware !== undefined) attrs.sshClient = shortText(r.ssh.clientSoftware, 256);
}

function addSnortContext(attrs: Record<string, string | number>, r: SnortAlertRecord): void {
  if (r.pktNum !== undefined) attrs.pktNum = r.pktNum;
  if (r.dir !== undefined) attrs.dir = r.dir;
  if (r.service !== undefined) attrs.service = r.service;
  if (r.pktType !== undefined) attrs.pktType = r.pktType;
  for (const k in r.extra) attrs[k] = r.extra[k]!;
}
