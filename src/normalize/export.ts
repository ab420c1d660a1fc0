/**
 * Exporters of the Event model: OCSF JSON and Elastic Common Schema (ECS)
 * documents, for sending Picket's events to other tools.
 */
import { type Event, OcsfClass } from '../schema/event.js';

type Json = Record<string, unknown>;

const classNames: Record<number, string> = {
  [OcsfClass.networkActivity]: 'Network Activity',
  [OcsfClass.httpActivity]: 'HTTP Activity',
  [OcsfClass.sshActivity]: 'SSH Activity',
  [OcsfClass.authentication]: 'Authentication',
  [OcsfClass.detectionFinding]: 'Detection Finding',
};

function endpoint(ip: string | undefined, port: number | undefined): Json | undefined {
  if (ip === undefined) return undefined;
  const e: Json = /^[0-9a-fA-F.:]+$/.test(ip) && /[.:]/.test(ip) ? { ip } : { hostname: ip };
  if (port !== undefined) e.port = port;
  return e;
}

/**
 * The event as an OCSF object (time in milliseconds, type_uid = class_uid * 100 + activity_id).
 *
 * @example toOcsf(e).type_uid // 300201 for a login failure
 */
export function toOcsf(e: Event): Json {
  const o: Json = {
    class_uid: e.classUid,
    class_name: classNames[e.classUid],
    category_uid: Math.floor(e.classUid / 1000),
    activity_id: e.activityId,
    type_uid: e.classUid * 100 + e.activityId,
    time: Math.round(e.ts * 1000),
    severity_id: e.severityId ?? 0,
    message: e.message,
    metadata: {
      uid: e.uid,
      product: { name: e.source.format, vendor_name: e.source.kind },
      log_name: e.source.file,
      original_time: undefined,
      version: '1.3.0',
      labels: [e.type],
    },
    src_endpoint: endpoint(e.src, e.srcPort),
    dst_endpoint: endpoint(e.dst, e.dstPort),
    raw_data: e.raw,
    unmapped: e.attrs,
  };
  if (e.proto !== undefined) o.connection_info = { protocol_name: e.proto };
  if (e.action !== undefined) {
    o.action_id = e.action === 'allowed' ? 1 : e.action === 'denied' ? 2 : 0;
    o.disposition_id = e.action === 'allowed' ? 1 : e.action === 'denied' ? 2 : 0;
  }
  if (e.classUid === OcsfClass.authentication) {
    o.status_id =
      e.type === 'login-success' ? 1 : e.type === 'login-failure' || e.type === 'invalid-user' ? 2 : 0;
    if (e.user !== undefined) o.user = { name: e.user };
  }
  if (e.http) {
    o.http_request = {
      http_method: e.http.method,
      url: e.http.uri !== undefined ? { path: e.http.uri, hostname: e.http.host } : undefined,
      version: e.http.version,
      user_agent: e.http.userAgent,
      referrer: e.http.referrer,
    };
    if (e.http.status !== undefined) o.http_response = { code: e.http.status, length: e.http.bytes };
  }
  if (e.bytes !== undefined || e.packets !== undefined) o.traffic = { bytes: e.bytes, packets: e.packets };
  if (e.count !== undefined) o.count = e.count;
  return prune(o) as Json;
}

const ecsCategory: Record<number, string[]> = {
  [OcsfClass.networkActivity]: ['network'],
  [OcsfClass.httpActivity]: ['web', 'network'],
  [OcsfClass.sshActivity]: ['network'],
  [OcsfClass.authentication]: ['authentication'],
  [OcsfClass.detectionFinding]: ['intrusion_detection'],
};

/**
 * The event as an ECS document (`@timestamp`, `event.*`, `source.*`, `destination.*`...).
 *
 * @example toEcs(e)['source'] // { ip: '10.99.1.67', port: 60200 }
 */
export function toEcs(e: Event): Json {
  const outcome =
    e.type === 'login-success' || e.action === 'allowed'
      ? 'success'
      : e.type === 'login-failure' || e.type === 'invalid-user' || e.action === 'denied'
        ? 'failure'
        : 'unknown';
  const types: string[] = [];
  if (e.type === 'firewall-deny' || e.type === 'access-denied') types.push('denied');
  else if (e.type === 'firewall-allow') types.push('allowed');
  else if (e.classUid === OcsfClass.authentication) types.push('start');
  else if (e.type === 'web-error' || e.type === 'ssh-error') types.push('error');
  else types.push('connection');
  const srcIsIp = /^[0-9a-fA-F.:]+$/.test(e.src);
  const doc: Json = {
    '@timestamp': new Date(e.ts * 1000).toISOString(),
    message: e.message,
    event: {
      id: e.uid,
      kind: e.classUid === OcsfClass.detectionFinding ? 'alert' : 'event',
      category: ecsCategory[e.classUid],
      type: types,
      action: e.type,
      outcome,
      severity: e.severityId,
      original: e.raw,
      dataset: `${e.source.kind}.${e.source.format}`,
    },
    source: { ...(srcIsIp ? { ip: e.src } : { address: e.src }), port: e.srcPort },
    destination:
      e.dst !== undefined
        ? { ...(/^[0-9a-fA-F.:]+$/.test(e.dst) ? { ip: e.dst } : { address: e.dst }), port: e.dstPort }
        : undefined,
    network: e.proto !== undefined ? { transport: e.proto } : undefined,
    user: e.user !== undefined ? { name: e.user } : undefined,
    log: { file: { path: e.source.file }, syslog: e.source.host ? { hostname: e.source.host } : undefined },
    host: e.source.host !== undefined ? { hostname: e.source.host } : undefined,
  };
  if (e.http) {
    doc.http = {
      request: { method: e.http.method, referrer: e.http.referrer },
      response: {
        status_code: e.http.status,
        body: e.http.bytes !== undefined ? { bytes: e.http.bytes } : undefined,
      },
      version: e.http.version,
    };
    if (e.http.uri !== undefined) doc.url = { original: e.http.uri };
    if (e.http.userAgent !== undefined) doc.user_agent = { original: e.http.userAgent };
  }
  return prune(doc) as Json;
}

/** Drops undefined values and emptied objects so the JSON stays tidy. */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v as Json)) {
    const p = prune(x);
    if (p === undefined) continue;
    if (typeof p === 'object' && p !== null && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}
