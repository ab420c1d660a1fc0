/**
 * The Snort 3 `alert_json` reader: one JSON object per alert with the fields
 * the sensor was configured to write (default: timestamp, pkt_num, proto,
 * pkt_gen, pkt_len, dir, src_ap, dst_ap, rule, action). Snort writes keys
 * with spaces around the colon (`"sid" : 1`); JSON does not care.
 */
import { type LineContext, type LineResult, type LogReader, lineProblem } from '../syslog/types.js';
import { canonicalAddress, type Endpoint, parseEndpoint } from './address.js';
import { int, type JsonObject, parseJsonObject, port, str } from './json.js';
import type { IdsSignature, SnortAlertRecord } from './record.js';
import { snortProto } from './snort-proto.js';
import { snortTimeToEpoch } from './snort-time.js';

/** Scalar fields kept in `extra` as logged (strings cut to 128 characters). */
const extraFields = [
  'pkt_gen',
  'pkt_len',
  'ttl',
  'tos',
  'ip_id',
  'ip_len',
  'tcp_flags',
  'tcp_seq',
  'tcp_ack',
  'tcp_win',
  'tcp_len',
  'udp_len',
  'icmp_type',
  'icmp_code',
  'icmp_id',
  'icmp_seq',
  'iface',
  'vlan',
  'mpls',
  'eth_src',
  'eth_dst',
  'eth_type',
  'eth_len',
  'target',
  'client_bytes',
  'client_pkts',
  'server_bytes',
  'server_pkts',
  'flowstart_time',
  'geneve_vni',
  'sgt',
] as const;

const ruleText = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/;

/**
 * One alert_json line as a record; a problem for bad JSON, no rule identity
 * (neither `sid` nor `rule`), no time (neither `timestamp` nor `seconds`), or a malformed address.
 *
 * @example parseSnort3JsonLine('{ "timestamp" : "24/01/02-03:04:05.000001", "rule" : "1:1000001:1", ... }', ctx)
 */
export function parseSnort3JsonLine(line: string, ctx: LineContext): LineResult<SnortAlertRecord> {
  const t = line.trimStart();
  if (t === '') return null;
  if (!t.startsWith('{')) return lineProblem(ctx, 'snort3.not-json', 'line is not a JSON object; skipped');
  const o = parseJsonObject(line);
  if (typeof o === 'string')
    return lineProblem(ctx, 'snort3.bad-json', `invalid JSON (${o.slice(0, 120)}); skipped`);
  const alert = signature(o);
  if (alert === undefined)
    return lineProblem(ctx, 'snort3.missing-field', 'no rule identity (sid or rule "gid:sid:rev"); skipped');
  const ts = timeOf(o, ctx);
  if (ts === undefined)
    return lineProblem(ctx, 'snort3.bad-timestamp', 'missing or malformed timestamp; skipped');
  const r: SnortAlertRecord = { reader: 'ids', format: 'snort3-json', ts, raw: line, alert, extra: {} };
  const protoWord = str(o, 'proto');
  const proto = snortProto(protoWord);
  if (proto !== undefined) r.proto = proto;
  else if (protoWord !== undefined && protoWord !== '') r.pktType = protoWord.slice(0, 16);
  const hasPorts = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  const src = endpoint(o, 'src_addr', 'src_port', 'src_ap', hasPorts);
  const dst = endpoint(o, 'dst_addr', 'dst_port', 'dst_ap', hasPorts);
  if (src === null || dst === null)
    return lineProblem(ctx, 'snort3.bad-address', 'src or dst is not an IP address; skipped');
  if (src !== undefined) {
    r.src = src.addr;
    if (src.port !== undefined) r.srcPort = src.port;
  }
  if (dst !== undefined) {
    r.dst = dst.addr;
    if (dst.port !== undefined) r.dstPort = dst.port;
  }
  const pktNum = int(o, 'pkt_num');
  if (pktNum !== undefined) r.pktNum = pktNum;
  const dir = str(o, 'dir');
  if (dir !== undefined) r.dir = dir.slice(0, 8);
  const service = str(o, 'service');
  if (service !== undefined && service !== 'unknown') r.service = service.slice(0, 64);
  for (const k of extraFields) {
    const v = o[k];
    if (!Object.hasOwn(o, k)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) r.extra[k] = v;
    else if (typeof v === 'string') r.extra[k] = v.slice(0, 128);
  }
  return r;
}

function signature(o: JsonObject): IdsSignature | undefined {
  let gid = int(o, 'gid');
  let sid = int(o, 'sid');
  let rev = int(o, 'rev');
  const rule = ruleText.exec(str(o, 'rule') ?? '');
  if (rule) {
    gid ??= Number(rule[1]);
    sid ??= Number(rule[2]);
    rev ??= Number(rule[3]);
  }
  if (sid === undefined) return undefined;
  const s: IdsSignature = { gid: gid ?? 1, sid, rev: rev ?? 0, msg: str(o, 'msg') ?? '' };
  const cls = str(o, 'class');
  if (cls !== undefined && cls !== '' && cls !== 'none') s.classtype = cls.slice(0, 128);
  const priority = int(o, 'priority');
  if (priority !== undefined) s.priority = priority;
  const action = str(o, 'action');
  if (action !== undefined) s.action = action.slice(0, 32);
  return s;
}

/** `seconds` is exact epoch time; `timestamp` adds the microseconds (and is all there is by default). */
function timeOf(o: JsonObject, ctx: LineContext): number | undefined {
  const stamp = str(o, 'timestamp');
  const fromStamp =
    stamp === undefined ? Number.NaN : snortTimeToEpoch(stamp, 3, ctx.tzOffsetSeconds, ctx.referenceTime);
  const seconds = int(o, 'seconds');
  if (seconds !== undefined) {
    const frac = Number.isFinite(fromStamp) ? fromStamp - Math.floor(fromStamp) : 0;
    return seconds + frac;
  }
  return Number.isFinite(fromStamp) ? fromStamp : undefined;
}

/** The endpoint from `*_addr`/`*_port` or `*_ap`; undefined when absent, null when malformed. */
function endpoint(
  o: JsonObject,
  addrKey: string,
  portKey: string,
  apKey: string,
  hasPorts: boolean,
): Endpoint | undefined | null {
  if (Object.hasOwn(o, addrKey)) {
    const addr = canonicalAddress(str(o, addrKey));
    if (addr === undefined) return null;
    const p = port(o, portKey);
    return p === undefined ? { addr } : { addr, port: p };
  }
  const ap = str(o, apKey);
  if (ap === undefined) return undefined;
  // Snort writes ":0" when the packet has no IP (an empty address) or no ports.
  if (ap.startsWith(':')) return undefined;
  const e = parseEndpoint(ap, true);
  if (e === undefined) return null;
  if (!hasPorts) return { addr: e.addr };
  const p = port(o, portKey) ?? e.port;
  return p === undefined ? { addr: e.addr } : { addr: e.addr, port: p };
}

/** Keys only Snort 3's alert_json writes (Suricata's EVE and Zeek's JSON use others). */
const snort3Keys =
  /"(pkt_num|pkt_gen|pkt_len|src_ap|dst_ap|src_addr|dst_addr|rule|gid|sid|rev|msg|class|priority|dir|b64_data|eth_src|tcp_flags|service)"\s*:/g;

/** At least two Snort 3 keys, and none of EVE's `event_type` or Zeek's `uid`/`id.orig_h`. */
export function looksLikeSnort3Json(line: string): boolean {
  const t = line.trimStart();
  if (!t.startsWith('{') || t.includes('"event_type"') || t.includes('"id.orig_h"') || t.includes('"uid"'))
    return false;
  const seen = new Set<string>();
  for (const m of t.slice(0, 4096).matchAll(snort3Keys)) {
    seen.add(m[1]!);
    if (seen.size >= 2) return true;
  }
  return false;
}

/**
 * @example snort3JsonReader.parseLine('{ "timestamp" : "11/23-11:12:20.000001", "sid" : 1000001, "src_ap" : "10.0.0.1:4444", ... }', ctx)
 */
export const snort3JsonReader: LogReader<SnortAlertRecord> = {
  name: 'snort3-json',
  description:
    'Snort 3 alert_json (one JSON object per alert: timestamp, rule or gid/sid/rev, msg, src_ap/dst_ap...)',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    for (const l of lines) {
      if (l.trim() === '') continue;
      n++;
      if (looksLikeSnort3Json(l)) hits++;
    }
    return n === 0 ? 0 : hits / n;
  },
  parseLine: parseSnort3JsonLine,
};
