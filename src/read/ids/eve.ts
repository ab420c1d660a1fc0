/**
 * The Suricata EVE JSON reader: one JSON object per line. alert, flow,
 * netflow, http, ssh, dns, tls, fileinfo and anomaly get their typed
 * section; any other event type (stats, smb, drop...) keeps the common part.
 */
import { type LineContext, type LineResult, type LogReader, lineProblem } from '../syslog/types.js';
import { canonicalAddress, transportName } from './address.js';
import { parseEveDns } from './eve-dns.js';
import {
  parseEveAlert,
  parseEveAnomaly,
  parseEveFile,
  parseEveFlow,
  parseEveHttp,
  parseEveSsh,
  parseEveTls,
  timeField,
} from './eve-sections.js';
import { int, type JsonObject, obj, parseJsonObject, port, str, text } from './json.js';
import type { EveRecord } from './record.js';

const flowIdText = /"flow_id"\s*:\s*(\d{1,20})[,}\s]/;

/**
 * One EVE line as a record, a problem (bad JSON, no event_type, bad timestamp,
 * an address that is none, an alert without a signature id), or null for blank lines.
 *
 * @example parseEveLine('{"timestamp":"2024-01-02T03:04:05.000000+0000","event_type":"stats"}', ctx)?.eventType // 'stats'
 */
export function parseEveLine(line: string, ctx: LineContext): LineResult<EveRecord> {
  const start = firstNonSpace(line);
  if (start === line.length) return null;
  if (line.charCodeAt(start) !== 123 /* { */)
    return lineProblem(ctx, 'eve.not-json', 'line is not a JSON object; skipped');
  const o = parseJsonObject(line);
  if (typeof o === 'string')
    return lineProblem(ctx, 'eve.bad-json', `invalid JSON (${o.slice(0, 120)}); skipped`);
  const eventType = str(o, 'event_type');
  if (eventType === undefined || eventType === '' || eventType.length > 64)
    return lineProblem(ctx, 'eve.missing-field', 'no event_type string; skipped');
  const ts = timeField(o, 'timestamp', ctx.tzOffsetSeconds);
  if (ts === undefined)
    return lineProblem(ctx, 'eve.bad-timestamp', 'missing or malformed timestamp; skipped');
  const r: EveRecord = { reader: 'ids', format: 'suricata-eve', eventType, ts, raw: line };
  if (!readTuple(o, r))
    return lineProblem(ctx, 'eve.bad-address', 'src_ip or dest_ip is not an IP address; skipped');
  readCommon(o, line, r);
  switch (eventType) {
    case 'alert': {
      const a = obj(o, 'alert');
      const alert = a === undefined ? undefined : parseEveAlert(a);
      if (alert === undefined)
        return lineProblem(
          ctx,
          'eve.bad-alert',
          'alert record without an alert object with a signature_id; skipped',
        );
      r.alert = alert;
      break;
    }
    case 'flow':
    case 'netflow': {
      const f = obj(o, eventType);
      if (f !== undefined) r.flow = parseEveFlow(f, obj(o, 'tcp'), ctx.tzOffsetSeconds);
      break;
    }
    case 'fileinfo': {
      const f = obj(o, 'fileinfo');
      if (f !== undefined) r.fileinfo = parseEveFile(f);
      break;
    }
    case 'anomaly': {
      const a = obj(o, 'anomaly');
      if (a !== undefined) r.anomaly = parseEveAnomaly(a);
      break;
    }
  }
  // Application sections also ride along on alerts (and http on fileinfo): read them wherever present.
  const http = obj(o, 'http');
  if (http !== undefined) r.http = parseEveHttp(http);
  const ssh = obj(o, 'ssh');
  if (ssh !== undefined) r.ssh = parseEveSsh(ssh);
  const dns = obj(o, 'dns');
  if (dns !== undefined) r.dns = parseEveDns(dns);
  const tls = obj(o, 'tls');
  if (tls !== undefined) r.tls = parseEveTls(tls);
  if (r.flow === undefined && eventType === 'alert') {
    // Alerts carry the flow's counters so far (Suricata 6+).
    const f = obj(o, 'flow');
    if (f !== undefined) r.flow = parseEveFlow(f, undefined, ctx.tzOffsetSeconds);
  }
  return r;
}

/** False when an address field is present but is no address. */
function readTuple(o: JsonObject, r: EveRecord): boolean {
  const srcText = o.src_ip;
  const dstText = o.dest_ip;
  if (Object.hasOwn(o, 'src_ip')) {
    const a = typeof srcText === 'string' ? canonicalAddress(srcText) : undefined;
    if (a === undefined) return false;
    r.src = a;
  }
  if (Object.hasOwn(o, 'dest_ip')) {
    const a = typeof dstText === 'string' ? canonicalAddress(dstText) : undefined;
    if (a === undefined) return false;
    r.dst = a;
  }
  const sp = port(o, 'src_port');
  const dp = port(o, 'dest_port');
  if (sp !== undefined) r.srcPort = sp;
  if (dp !== undefined) r.dstPort = dp;
  const proto = transportName(text(o, 'proto'));
  if (proto !== undefined) r.proto = proto;
  return true;
}

function readCommon(o: JsonObject, line: string, r: EveRecord): void {
  // The 64-bit flow id loses its low bits as a JSON number: take its digits from the text,
  // checked against the parsed value so a nested "flow_id" is never taken for the top-level one.
  const fid = o.flow_id;
  if (typeof fid === 'number' && Number.isFinite(fid) && fid >= 0) {
    const m = flowIdText.exec(line);
    r.flowId = m !== null && Number(m[1]) === fid ? m[1]! : String(fid);
  }
  const pcapCnt = int(o, 'pcap_cnt');
  if (pcapCnt !== undefined) r.pcapCnt = pcapCnt;
  const txId = int(o, 'tx_id');
  if (txId !== undefined) r.txId = txId;
  const appProto = str(o, 'app_proto');
  if (appProto !== undefined) r.appProto = appProto.slice(0, 32);
  const cid = str(o, 'community_id');
  if (cid !== undefined) r.communityId = cid.slice(0, 64);
  const iface = str(o, 'in_iface');
  if (iface !== undefined) r.inIface = iface.slice(0, 64);
  const dir = str(o, 'direction');
  if (dir !== undefined) r.direction = dir.slice(0, 16);
  const host = str(o, 'host');
  if (host !== undefined) r.host = host.slice(0, 256);
  const icmpType = int(o, 'icmp_type');
  if (icmpType !== undefined && icmpType <= 255) r.icmpType = icmpType;
  const icmpCode = int(o, 'icmp_code');
  if (icmpCode !== undefined && icmpCode <= 255) r.icmpCode = icmpCode;
}

function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** An EVE line begins with `{` and names `event_type` and `timestamp` (checked on the text, so a cut line still counts). */
export function looksLikeEve(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith('{') && /"event_type"\s*:\s*"/.test(t) && /"timestamp"\s*:\s*"/.test(t);
}

/**
 * @example eveReader.parseLine('{"timestamp":"2024-01-02T03:04:05.1+0000","event_type":"alert",...}', ctx)
 */
export const eveReader: LogReader<EveRecord> = {
  name: 'suricata-eve',
  description:
    'Suricata EVE JSON (eve.json): alert, flow, netflow, http, ssh, dns (log formats 1 to 3), tls, fileinfo, anomaly; other event types kept as generic records',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    for (const l of lines) {
      if (l.trim() === '') continue;
      n++;
      if (looksLikeEve(l)) hits++;
    }
    return n === 0 ? 0 : hits / n;
  },
  parseLine: parseEveLine,
};
