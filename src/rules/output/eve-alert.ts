/**
 * Suricata EVE JSON `alert` records from Picket alerts, so tools that read
 * Suricata's eve.json (SIEM pipelines, jq recipes, dashboards) read ours.
 * Attacker bytes are rendered as Suricata renders them and never evaluated.
 */
import type { Alert } from '../engine/alert.js';
import { eveDns, eveFile, eveHttp, eveSsh, eveTls } from './eve-app.js';
import { eveProto, eveTimestamp, printablePayload } from './eve-text.js';

export interface EveOptions {
  /** Written as `host`, as Suricata writes its sensor-name. */
  sensorName?: string;
  /** Adds `payload` (base64), `payload_printable` and `payload_length`. */
  includePayload?: boolean;
  /**
   * classtype → description (loadRules().classifications) for `alert.category`.
   * Without it the classtype's short name is used; with no classtype, ''.
   */
  classifications?: ReadonlyMap<string, { description: string }>;
  /** Minutes east of UTC for `timestamp`; default: this machine's local offset, as Suricata does. */
  utcOffsetMinutes?: number;
}

/** Suricata's priority when neither the rule nor its classtype gives one. */
const DEFAULT_SEVERITY = 3;

const ICMP = 1;
const ICMPV6 = 58;

/** Protocols whose alerts carry ports (as Suricata logs them). */
function hasPorts(ipProto: number): boolean {
  return ipProto === 6 || ipProto === 17 || ipProto === 132 || ipProto === 136;
}

/**
 * One EVE `event_type: "alert"` record for an alert.
 * @example
 * JSON.stringify(toEveAlert(alert, { sensorName: 'edge-1', includePayload: true }))
 * // {"timestamp":"2024-01-02T03:04:05.123456+0000","flow_id":...,"event_type":"alert",...}
 */
export function toEveAlert(a: Alert, opts: EveOptions = {}): Record<string, unknown> {
  const r = a.rule;
  const o: Record<string, unknown> = { timestamp: eveTimestamp(a.ts, opts.utcOffsetMinutes) };
  if (a.flowId !== undefined) o.flow_id = a.flowId;
  if (a.frame >= 0) o.pcap_cnt = a.frame + 1;
  o.event_type = 'alert';
  if (a.capture !== undefined) o.pcap_filename = a.capture;
  const ip = a.ipProto >= 0;
  if (ip) {
    o.src_ip = a.src;
    if (hasPorts(a.ipProto)) o.src_port = a.srcPort;
    o.dest_ip = a.dst;
    if (hasPorts(a.ipProto)) o.dest_port = a.dstPort;
    o.proto = eveProto(a.ipProto);
    // Picket keys ICMP flows Zeek-style: the source "port" is the message type.
    if (a.ipProto === ICMP || a.ipProto === ICMPV6) o.icmp_type = a.srcPort;
  }
  if (a.communityId !== undefined) o.community_id = a.communityId;
  if (a.txId !== undefined) o.tx_id = a.txId;

  const alert: Record<string, unknown> = {
    action: a.action,
    gid: r.gid,
    signature_id: r.sid,
    rev: r.rev,
    signature: r.msg,
    category: r.classtype ? (opts.classifications?.get(r.classtype)?.description ?? r.classtype) : '',
    severity: r.priority ?? DEFAULT_SEVERITY,
  };
  if (r.target && ip) {
    const src = { ip: a.src, ...(hasPorts(a.ipProto) ? { port: a.srcPort } : {}) };
    const dst = { ip: a.dst, ...(hasPorts(a.ipProto) ? { port: a.dstPort } : {}) };
    alert.source = r.target === 'dest_ip' ? src : dst;
    alert.target = r.target === 'dest_ip' ? dst : src;
  }
  const meta = Object.entries(r.metadata).filter(([, v]) => v.length > 0);
  if (meta.length > 0) alert.metadata = Object.fromEntries(meta.map(([k, v]) => [k, [...v]]));
  o.alert = alert;

  if (a.http) o.http = eveHttp(a.http);
  if (a.dns) o.dns = eveDns(a.dns);
  if (a.tls) o.tls = eveTls(a.tls);
  if (a.ssh) o.ssh = eveSsh(a.ssh);
  if (a.file) o.files = [eveFile(a.file, a.txId)];
  if (a.appProto !== undefined && a.appProto !== '')
    o.app_proto = a.appProto === 'http1' ? 'http' : a.appProto;
  if (a.flowStats !== undefined) {
    const f = a.flowStats;
    o.flow = {
      pkts_toserver: f.pktsToServer,
      pkts_toclient: f.pktsToClient,
      bytes_toserver: f.bytesToServer,
      bytes_toclient: f.bytesToClient,
      start: eveTimestamp(f.start, opts.utcOffsetMinutes),
    };
  }
  const traffic = trafficOf(a.flowbits);
  if (traffic !== undefined) o.traffic = traffic;
  if (a.flowUid !== undefined) o.direction = a.toServer ? 'to_server' : 'to_client';
  if (opts.includePayload && a.payload) {
    o.payload = Buffer.from(a.payload.buffer, a.payload.byteOffset, a.payload.byteLength).toString('base64');
    o.payload_printable = printablePayload(a.payload);
    o.payload_length = a.payload.length;
  }
  if (opts.sensorName !== undefined) o.host = opts.sensorName;
  return o;
}

/** Flowbits named traffic/id/X or traffic/label/X tag the flow, as Suricata reports them. */
function trafficOf(bits: readonly string[] | undefined): { id?: string[]; label?: string[] } | undefined {
  if (bits === undefined) return undefined;
  const id: string[] = [];
  const label: string[] = [];
  for (const b of bits) {
    if (b.startsWith('traffic/id/') && b.length > 11) id.push(b.slice(11));
    else if (b.startsWith('traffic/label/') && b.length > 14) label.push(b.slice(14));
  }
  if (id.length === 0 && label.length === 0) return undefined;
  return { ...(id.length ? { id } : {}), ...(label.length ? { label } : {}) };
}
