/**
 * The type-specific objects of an EVE record (`alert`, `flow`, `http`, `ssh`,
 * `tls`, `fileinfo`, `anomaly`), each read field by field with its type
 * checked. A field of the wrong type is left out, never guessed.
 */
import { isoToEpoch } from '../syslog/time.js';
import { canonicalAddress } from './address.js';
import { bool, int, type JsonObject, obj, port, str, text } from './json.js';
import type {
  EveAnomalyInfo,
  EveFileInfo,
  EveFlowInfo,
  EveHttpInfo,
  EveRecord,
  EveSshInfo,
  EveTlsInfo,
} from './record.js';

type EveAlert = NonNullable<EveRecord['alert']>;

/**
 * The `alert` object; undefined when it has no usable signature id.
 * @example parseEveAlert({ signature_id: 1, signature: 'x', gid: 1, rev: 2 })?.sid // 1
 */
export function parseEveAlert(a: JsonObject): EveAlert | undefined {
  const sid = int(a, 'signature_id');
  if (sid === undefined) return undefined;
  const out: EveAlert = {
    gid: int(a, 'gid') ?? 1,
    sid,
    rev: int(a, 'rev') ?? 0,
    msg: str(a, 'signature') ?? '',
  };
  const category = str(a, 'category');
  if (category !== undefined && category !== '') out.category = category;
  const severity = int(a, 'severity');
  if (severity !== undefined) out.priority = severity;
  const action = str(a, 'action');
  if (action !== undefined) out.action = action.slice(0, 32);
  // `target` keyword: which end is attacked (Suricata 5+).
  const source = obj(a, 'source');
  const target = obj(a, 'target');
  const sourceIp = canonicalAddress(str(source, 'ip'));
  const targetIp = canonicalAddress(str(target, 'ip'));
  if (sourceIp !== undefined && targetIp !== undefined) {
    out.sourceIp = sourceIp;
    out.targetIp = targetIp;
    const sp = port(source, 'port');
    const tp = port(target, 'port');
    if (sp !== undefined) out.sourcePort = sp;
    if (tp !== undefined) out.targetPort = tp;
  }
  return out;
}

/** `flow` (or `netflow`) counters and state; `tcp` adds the flags each side sent. */
export function parseEveFlow(
  f: JsonObject,
  tcp: JsonObject | undefined,
  tzOffsetSeconds: number,
): EveFlowInfo {
  const out: EveFlowInfo = {};
  // netflow records count one direction as pkts/bytes.
  const pts = int(f, 'pkts_toserver') ?? int(f, 'pkts');
  const ptc = int(f, 'pkts_toclient');
  const bts = int(f, 'bytes_toserver') ?? int(f, 'bytes');
  const btc = int(f, 'bytes_toclient');
  if (pts !== undefined) out.pktsToServer = pts;
  if (ptc !== undefined) out.pktsToClient = ptc;
  if (bts !== undefined) out.bytesToServer = bts;
  if (btc !== undefined) out.bytesToClient = btc;
  const start = timeField(f, 'start', tzOffsetSeconds);
  const end = timeField(f, 'end', tzOffsetSeconds);
  if (start !== undefined) out.start = start;
  if (end !== undefined) out.end = end;
  const age = int(f, 'age');
  if (age !== undefined) out.age = age;
  const state = str(f, 'state');
  if (state !== undefined) out.state = state.slice(0, 32);
  const reason = str(f, 'reason');
  if (reason !== undefined) out.reason = reason.slice(0, 32);
  const alerted = bool(f, 'alerted');
  if (alerted !== undefined) out.alerted = alerted;
  const action = str(f, 'action');
  if (action !== undefined) out.action = action.slice(0, 32);
  if (tcp !== undefined) {
    const ts = hexByte(str(tcp, 'tcp_flags_ts'));
    const tc = hexByte(str(tcp, 'tcp_flags_tc'));
    if (ts !== undefined) out.tcpFlagsToServer = ts;
    if (tc !== undefined) out.tcpFlagsToClient = tc;
    const tcpState = str(tcp, 'state');
    if (tcpState !== undefined) out.tcpState = tcpState.slice(0, 32);
  }
  return out;
}

/** `http`: hostname, url, method, status (number or text in old versions), agent, referrer. */
export function parseEveHttp(h: JsonObject): EveHttpInfo {
  const out: EveHttpInfo = {};
  const set = <K extends keyof EveHttpInfo>(k: K, v: EveHttpInfo[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('hostname', str(h, 'hostname'));
  set('url', str(h, 'url'));
  set('method', str(h, 'http_method')?.slice(0, 64));
  set('protocol', str(h, 'protocol')?.slice(0, 32));
  const status = int(h, 'status');
  if (status !== undefined && status <= 999) out.status = status;
  set('length', int(h, 'length'));
  set('userAgent', str(h, 'http_user_agent'));
  set('referrer', str(h, 'http_refer'));
  set('contentType', str(h, 'http_content_type')?.slice(0, 256));
  set('port', port(h, 'http_port'));
  return out;
}

/** `ssh`: each side's protocol and software version, and HASSH when logged. */
export function parseEveSsh(s: JsonObject): EveSshInfo {
  const out: EveSshInfo = {};
  const client = obj(s, 'client');
  const server = obj(s, 'server');
  const cv = text(client, 'proto_version');
  const cs = str(client, 'software_version');
  const sv = text(server, 'proto_version');
  const ss = str(server, 'software_version');
  const ch = str(obj(client, 'hassh'), 'hash');
  const sh = str(obj(server, 'hassh'), 'hash');
  if (cv !== undefined) out.clientVersion = cv.slice(0, 32);
  if (cs !== undefined) out.clientSoftware = cs.slice(0, 256);
  if (sv !== undefined) out.serverVersion = sv.slice(0, 32);
  if (ss !== undefined) out.serverSoftware = ss.slice(0, 256);
  if (ch !== undefined) out.clientHassh = ch.slice(0, 64);
  if (sh !== undefined) out.serverHassh = sh.slice(0, 64);
  return out;
}

/** `tls`: SNI, certificate subject/issuer, version and fingerprints (JA3 as object or text). */
export function parseEveTls(t: JsonObject): EveTlsInfo {
  const out: EveTlsInfo = {};
  const sni = str(t, 'sni');
  if (sni !== undefined) out.sni = sni.slice(0, 512);
  const subject = str(t, 'subject');
  if (subject !== undefined) out.subject = subject.slice(0, 1024);
  const issuer = str(t, 'issuerdn') ?? str(t, 'issuer');
  if (issuer !== undefined) out.issuer = issuer.slice(0, 1024);
  const version = str(t, 'version');
  if (version !== undefined) out.version = version.slice(0, 32);
  const fp = str(t, 'fingerprint');
  if (fp !== undefined) out.fingerprint = fp.slice(0, 128);
  const ja3 = str(obj(t, 'ja3'), 'hash') ?? str(t, 'ja3');
  if (ja3 !== undefined) out.ja3 = ja3.slice(0, 64);
  const ja3s = str(obj(t, 'ja3s'), 'hash') ?? str(t, 'ja3s');
  if (ja3s !== undefined) out.ja3s = ja3s.slice(0, 64);
  const ja4 = str(t, 'ja4');
  if (ja4 !== undefined) out.ja4 = ja4.slice(0, 64);
  const resumed = bool(t, 'session_resumed');
  if (resumed !== undefined) out.sessionResumed = resumed;
  return out;
}

/** `fileinfo`: name, size, state and hashes. */
export function parseEveFile(f: JsonObject): EveFileInfo {
  const out: EveFileInfo = {};
  const filename = str(f, 'filename');
  if (filename !== undefined) out.filename = filename.slice(0, 1024);
  const size = int(f, 'size');
  if (size !== undefined) out.size = size;
  const state = str(f, 'state');
  if (state !== undefined) out.state = state.slice(0, 32);
  const stored = bool(f, 'stored');
  if (stored !== undefined) out.stored = stored;
  const md5 = str(f, 'md5');
  if (md5 !== undefined) out.md5 = md5.slice(0, 64);
  const sha256 = str(f, 'sha256');
  if (sha256 !== undefined) out.sha256 = sha256.slice(0, 128);
  const magic = str(f, 'magic');
  if (magic !== undefined) out.magic = magic.slice(0, 256);
  return out;
}

/** `anomaly`: decode / stream / applayer event names. */
export function parseEveAnomaly(a: JsonObject): EveAnomalyInfo {
  const out: EveAnomalyInfo = {};
  const type = str(a, 'type');
  if (type !== undefined) out.type = type.slice(0, 32);
  const event = str(a, 'event');
  if (event !== undefined) out.event = event.slice(0, 256);
  const layer = str(a, 'layer');
  if (layer !== undefined) out.layer = layer.slice(0, 32);
  const code = int(a, 'code');
  if (code !== undefined) out.code = code;
  return out;
}

/** An EVE timestamp field as epoch seconds, or undefined when absent or malformed. */
export function timeField(o: JsonObject, key: string, tzOffsetSeconds: number): number | undefined {
  const s = str(o, key);
  if (s === undefined || s.length > 40) return undefined;
  const t = isoToEpoch(s, tzOffsetSeconds);
  return Number.isFinite(t) ? t : undefined;
}

function hexByte(s: string | undefined): number | undefined {
  if (s === undefined || !/^[0-9a-fA-F]{1,4}$/.test(s)) return undefined;
  return Number.parseInt(s, 16);
}
