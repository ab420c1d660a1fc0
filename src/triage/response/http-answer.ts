/**
 * What the web server answered to the alerted request, from the best
 * evidence there is: the capture's HTTP transaction on the alert's own
 * connection (status, Server, content type, body), else the server's access
 * log line for the same client and URI, else Suricata's EVE http record
 * (or the status the EVE alert itself carries).
 */
import type { Rule } from '../../rules/ast.js';
import type { EvidenceRef } from '../../schema/alarm.js';
import type { Event, SourceKind } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction } from '../../schema/session.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';

/** One answer, whatever recorded it. Strings are attacker/server data: shown escaped, never evaluated. */
export interface HttpAnswer {
  basis: 'http' | 'weblog' | 'eve';
  /** -1 when the request got no response. */
  status: number;
  server?: string;
  contentType?: string;
  bodyBytes?: number;
  /** First bytes of the body (capture only), to tell a binary file from a page. */
  bodyPrefix?: string;
  uri?: string;
  evidence: EvidenceRef;
}

/** Access-log lines have whole seconds; accept this much either side of the alert. */
const LOG_SLACK_SECONDS = 2;
const EVENT_LIMIT = 2000;

const header = (t: HttpTransaction, name: string) =>
  t.responseHeaders.find(([k]) => k.toLowerCase() === name)?.[1];

function fromTx(t: HttpTransaction): HttpAnswer {
  const a: HttpAnswer = {
    basis: 'http',
    status: t.statusCode,
    bodyBytes: t.responseBodyLen,
    bodyPrefix: t.responseBodyPrefix,
    uri: t.uri,
    evidence: {
      kind: 'http',
      ref: `${t.uid}#${t.transDepth}`,
      note:
        t.statusCode < 0
          ? `${inert(t.method, 16)} with no response seen`
          : `HTTP ${t.statusCode} ${inert(t.responseContentType, 60) || 'no content type'} ${t.responseBodyLen} bytes`,
      sourceKind: 'pcap',
    },
  };
  const server = t.server || header(t, 'server');
  if (server) a.server = server;
  const type = t.responseContentType || header(t, 'content-type');
  if (type) a.contentType = type;
  return a;
}

/** The transaction of one alert on its connection: by URI, else the alert's transaction id, else the one before it. */
function pickTx(txs: HttpTransaction[], alert: Event): HttpTransaction | undefined {
  if (txs.length === 0) return undefined;
  const uri = alert.http?.uri;
  if (uri !== undefined) {
    const byUri = txs.find((t) => t.uri === uri);
    if (byUri) return byUri;
  }
  const txId = alert.attrs?.txId;
  if (typeof txId === 'number') {
    const byId = txs.find((t) => t.transDepth === txId);
    if (byId) return byId;
  }
  if (txs.length === 1) return txs[0];
  let best: HttpTransaction | undefined;
  for (const t of txs) if (t.ts <= alert.ts + 0.001 && (best === undefined || t.ts > best.ts)) best = t;
  return best ?? txs[0];
}

function logRef(e: Event): string {
  const s = e.source;
  return s.file !== undefined && s.line !== undefined ? `${s.file}:${s.line}` : e.uid;
}

function fromEvent(e: Event, basis: 'weblog' | 'eve', how: string): HttpAnswer {
  const status = e.http?.status ?? -1;
  const a: HttpAnswer = {
    basis,
    status,
    uri: e.http?.uri ?? '',
    evidence: {
      kind: basis === 'weblog' ? 'log-line' : 'event',
      ref: logRef(e),
      note: `HTTP ${status < 0 ? '?' : status}${e.http?.bytes !== undefined ? ` ${e.http.bytes} bytes` : ''} (${how})`,
      sourceKind: e.source.kind as SourceKind,
    },
  };
  if (e.http?.bytes !== undefined) a.bodyBytes = e.http.bytes;
  const type = e.attrs?.contentType;
  if (typeof type === 'string') a.contentType = type;
  return a;
}

/**
 * Whether a logged User-Agent holds the rule's User-Agent contents, so two
 * requests for the same URI in the same second are told apart. Lines without
 * a User-Agent (common log format) cannot be checked and fit.
 */
export function userAgentFits(rule: Rule | undefined, ua: string | undefined): boolean {
  if (rule === undefined || ua === undefined) return true;
  for (const m of rule.matches) {
    if (m.kind !== 'content' || m.buffer !== 'http.user_agent' || m.negated) continue;
    const want = Buffer.from(m.bytes).toString('latin1');
    const found = m.nocase ? ua.toLowerCase().includes(want.toLowerCase()) : ua.includes(want);
    if (!found) return false;
  }
  return true;
}

/** Access-log lines of the group's client for the alerts' URIs (or, for alerts without a URI, their second). */
function matchLogLines(
  g: AlertGroup,
  lines: readonly Event[],
  rule: Rule | undefined,
): { e: Event; how: string }[] {
  const out: { e: Event; how: string }[] = [];
  const seen = new Set<string>();
  for (const a of g.alerts) {
    const uri = a.http?.uri;
    const near = (e: Event) => Math.abs(e.ts - a.ts) <= LOG_SLACK_SECONDS;
    const cands = lines
      .filter(
        (e) => (e.dst === undefined || e.dst === g.dst) && near(e) && userAgentFits(rule, e.http?.userAgent),
      )
      .sort((x, y) => Math.abs(x.ts - a.ts) - Math.abs(y.ts - a.ts));
    const hit = (uri !== undefined ? cands.filter((e) => e.http?.uri === uri) : cands).filter(
      (e) => !seen.has(e.uid),
    );
    const how = uri !== undefined ? 'same client, URI and second' : 'same client and second only';
    const e = hit[0];
    if (e === undefined) continue;
    seen.add(e.uid);
    out.push({ e, how });
  }
  return out;
}

/**
 * Every answer found for the group's alerts, best source first (the first non-empty one).
 *
 * @example
 * const answers = await httpAnswers(group, flows, lookup);
 * answers[0]?.status // 404
 */
export async function httpAnswers(
  g: AlertGroup,
  flows: readonly FlowRecord[],
  lookup: TriageLookup,
  rule?: Rule,
): Promise<HttpAnswer[]> {
  const fromCapture: HttpAnswer[] = [];
  const seen = new Set<string>();
  for (const f of flows) {
    const txs = await lookup.http(f.uid);
    for (const a of g.alerts) {
      const t = pickTx(txs, a);
      if (t === undefined || seen.has(`${t.uid}#${t.transDepth}`)) continue;
      seen.add(`${t.uid}#${t.transDepth}`);
      fromCapture.push(fromTx(t));
    }
  }
  if (fromCapture.length > 0) return fromCapture;

  const window = { since: Math.floor(g.ts) - LOG_SLACK_SECONDS, until: g.lastSeen + LOG_SLACK_SECONDS + 1 };
  const types: Event['type'][] = ['web-access', 'access-denied'];
  const weblog = await lookup.events({
    src: g.src,
    types,
    sourceKinds: ['weblog'],
    ...window,
    limit: EVENT_LIMIT,
  });
  const logged = matchLogLines(g, weblog, rule);
  if (logged.length > 0) return logged.map(({ e, how }) => fromEvent(e, 'weblog', how));

  const eve = await lookup.events({
    src: g.src,
    dst: g.dst,
    types,
    sourceKinds: ['eve'],
    ...window,
    limit: EVENT_LIMIT,
  });
  const out: HttpAnswer[] = [];
  for (const a of g.alerts) {
    const flowId = a.attrs?.flowId;
    const rec =
      eve.find(
        (e) =>
          flowId !== undefined &&
          e.attrs?.flowId === flowId &&
          (a.attrs?.txId === undefined || e.attrs?.txId === a.attrs.txId),
      ) ??
      eve.find(
        (e) =>
          a.http?.uri !== undefined &&
          e.http?.uri === a.http.uri &&
          Math.abs(e.ts - a.ts) <= LOG_SLACK_SECONDS,
      );
    if (rec && !out.some((x) => x.evidence.ref === logRef(rec)))
      out.push(fromEvent(rec, 'eve', 'EVE http record of the same flow'));
    else if (!rec && a.source.kind === 'eve' && a.http?.status !== undefined)
      out.push(fromEvent(a, 'eve', 'status carried by the EVE alert'));
  }
  return out;
}
