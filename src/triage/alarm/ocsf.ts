/**
 * An Alarm as an OCSF Detection Finding (class 2004, OCSF 1.3 names). What
 * OCSF has an attribute or enum for is mapped there; Picket's own verdicts
 * (disposition, the five steps' tri-states, snippets) go under `unmapped`,
 * so nothing is lost and nothing is forced into an enum that means
 * something else.
 */
import type { Alarm, Disposition, EvidenceRef, Priority } from '../../schema/alarm.js';

type Json = Record<string, unknown>;

const DETECTION_FINDING = 2004;
const CREATE = 1;

/** OCSF severity_id: 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY: Record<Priority, [number, string]> = {
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

/**
 * OCSF finding status_id: 1 New (an analyst should look), 3 Suppressed
 * (reviewed and judged harmless; here by triage, said in status_detail).
 */
const STATUS: Record<Disposition, [number, string]> = {
  'needs-investigation': [1, 'New'],
  'likely-compromise': [1, 'New'],
  blocked: [3, 'Suppressed'],
  'failed-attempt': [3, 'Suppressed'],
  'not-applicable': [3, 'Suppressed'],
  'no-action': [3, 'Suppressed'],
};

function endpoint(ip: string, port?: number): Json {
  const e: Json = /^[0-9a-fA-F.:]+$/.test(ip) && /[.:]/.test(ip) ? { ip } : { hostname: ip };
  if (port !== undefined) e.port = port;
  return e;
}

const MAX_EVIDENCES = 64;

function evidenceOf(step: string, e: EvidenceRef): Json {
  const data: Json = { step, kind: e.kind, ref: e.ref };
  if (e.note !== undefined) data.note = e.note;
  if (e.sourceKind !== undefined) data.source_kind = e.sourceKind;
  return { data };
}

/** The alarm's connection as the first evidence artifact, then every step's evidence references. */
function evidences(a: Alarm): Json[] {
  const conn: Json = {
    src_endpoint: endpoint(a.src),
    dst_endpoint: endpoint(a.dst, a.dstPort),
  };
  if (a.proto !== undefined) conn.connection_info = { protocol_name: a.proto };
  const http = a.response.http;
  if (http?.status !== undefined) {
    const resp: Json = { code: http.status };
    if (http.contentType !== undefined) resp.content_type = http.contentType;
    if (http.bodyBytes !== undefined) resp.length = http.bodyBytes;
    if (http.server !== undefined) resp.http_headers = [{ name: 'Server', value: http.server }];
    conn.http_response = resp;
  }
  const out: Json[] = [conn];
  const steps: [string, readonly EvidenceRef[]][] = [
    ['connection', a.connection.evidence],
    ['rule', a.rule.evidence],
    ['response', a.response.evidence],
    ['relevance', a.relevance.evidence],
  ];
  for (const [step, refs] of steps) {
    for (const e of refs) {
      if (out.length >= MAX_EVIDENCES) return out;
      out.push(evidenceOf(step, e));
    }
  }
  return out;
}

/**
 * @example
 * alarmToOcsf(alarm).type_uid // 200401
 * alarmToOcsf(alarm).finding_info.uid === alarm.uid
 */
export function alarmToOcsf(a: Alarm): Json {
  const [severityId, severity] = SEVERITY[a.priority];
  const [statusId, status] = STATUS[a.disposition];
  const blocked = a.disposition === 'blocked';
  const analytic: Json = { name: a.msg, type_id: 1, type: 'Rule' };
  if (a.sid !== undefined) analytic.uid = String(a.sid);
  const o: Json = {
    class_uid: DETECTION_FINDING,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: CREATE,
    activity_name: 'Create',
    type_uid: DETECTION_FINDING * 100 + CREATE,
    time: Math.round(a.ts * 1000),
    start_time: Math.round(a.ts * 1000),
    end_time: Math.round(a.lastSeen * 1000),
    count: a.count,
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    status_detail: `triage: ${a.disposition}`,
    // Security control profile: an IPS/firewall stop is Blocked/Denied; otherwise the sensor only detected.
    action_id: blocked ? 2 : 1,
    action: blocked ? 'Denied' : 'Allowed',
    disposition_id: blocked ? 2 : 15,
    disposition: blocked ? 'Blocked' : 'Detected',
    is_alert: statusId === 1,
    message: a.conclusion,
    metadata: {
      uid: a.uid,
      version: '1.3.0',
      product: { name: 'Picket', vendor_name: 'Picket' },
      labels: a.alertSources.map((k) => `alerts:${k}`),
    },
    finding_info: {
      uid: a.uid,
      title: a.title,
      desc: a.conclusion,
      types: [a.rule.family, a.disposition],
      first_seen_time: Math.round(a.ts * 1000),
      last_seen_time: Math.round(a.lastSeen * 1000),
      analytic,
      related_events: a.alertUids.map((uid) => ({ uid })),
    },
    src_endpoint: endpoint(a.src),
    dst_endpoint: endpoint(a.dst, a.dstPort),
    evidences: evidences(a),
    remediation: a.actions.length
      ? {
          desc: a.actions.map((x) => x.reason).join(' '),
          references: a.rule.references.flatMap((r) => (r.url ? [r.url] : [])),
        }
      : undefined,
    unmapped: {
      picket: {
        disposition: a.disposition,
        priority: a.priority,
        incident: a.incident,
        connection: {
          established: a.connection.established,
          data_exchanged: a.connection.dataExchanged,
          blocked: a.connection.blocked,
          packets_to_server: a.connection.packetsToServer,
          packets_to_client: a.connection.packetsToClient,
          bytes_to_server: a.connection.bytesToServer,
          bytes_to_client: a.connection.bytesToClient,
          summary: a.connection.summary,
        },
        rule: {
          sid: a.rule.sid,
          gid: a.rule.gid,
          rev: a.rule.rev,
          classtype: a.rule.classtype,
          family: a.rule.family,
          explanation: a.rule.explanation,
          references: a.rule.references,
          metadata: a.rule.metadata,
          matched: a.rule.matched,
        },
        response: {
          answered: a.response.answered,
          attempt_failed: a.response.attemptFailed,
          login_succeeded: a.response.loginSucceeded,
          basis: a.response.basis,
          meaning: a.response.meaning,
        },
        relevance: {
          applicable: a.relevance.applicable,
          targets: a.relevance.targets,
          asset: a.relevance.asset,
          reason: a.relevance.reason,
        },
        actions: a.actions,
      },
    },
  };
  return prune(o) as Json;
}

/**
 * The alarms as JSON lines (one Detection Finding per line), for `--out DIR/alarms.jsonl`.
 *
 * @example writeFileSync(join(out, 'alarms.jsonl'), alarmsJsonl(alarms));
 */
export function alarmsJsonl(alarms: Iterable<Alarm>): string {
  let s = '';
  for (const a of alarms) s += `${JSON.stringify(alarmToOcsf(a))}\n`;
  return s;
}

/** Drops undefined fields (and objects left empty) so the JSON stays small. */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const p = prune(x);
    if (p !== null && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}
