/**
 * Triage step 3: what the server answered in the same session, and what that
 * means for this kind of attack. HTTP from the capture, the access log or
 * EVE; SSH from sshd's log or the shape of the sessions; anything else only
 * from whether the connection got packets back.
 */

import type { Rule } from '../../rules/ast.js';
import type { EvidenceRef, ResponseVerdict, TriState } from '../../schema/alarm.js';
import type { FlowRecord } from '../../schema/flow.js';
import { flowFacts } from '../connection/flow-facts.js';
import { FLOW_QUERY_LIMIT, flowWindow, matchGroupFlows } from '../connection/flow-match.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';
import { type HttpAnswer, httpAnswers } from './http-answer.js';
import { attackKind, httpMeaning } from './http-meaning.js';
import { sshLogin } from './ssh-login.js';

const HTTP_PORTS = new Set([80, 8000, 8008, 8080, 8081, 8888]);
const MAX_EVIDENCE = 20;

function isSsh(g: AlertGroup, flows: readonly FlowRecord[]): boolean {
  return (
    g.alerts.some((a) => a.attrs?.appProto === 'ssh') ||
    flows.some((f) => f.service.split(',').includes('ssh')) ||
    /\bssh\b/i.test(g.msg) ||
    g.dstPort === 22
  );
}

function isHttp(g: AlertGroup, flows: readonly FlowRecord[], rule: Rule | undefined): boolean {
  return (
    g.alerts.some((a) => a.http !== undefined || a.attrs?.appProto === 'http') ||
    flows.some((f) => f.service.split(',').includes('http')) ||
    (rule?.matches.some((m) => 'buffer' in m && String(m.buffer).startsWith('http')) ?? false) ||
    (g.dstPort !== undefined && HTTP_PORTS.has(g.dstPort))
  );
}

function tally(answers: HttpAnswer[]): string {
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s < 0 ? 'none' : s} ×${n}`).join(', ');
}

function httpVerdict(g: AlertGroup, rule: Rule | undefined, answers: HttpAnswer[]): ResponseVerdict {
  const kind = attackKind(
    `${g.msg} ${rule?.msg ?? ''}`,
    g.classtype ?? rule?.classtype,
    g.alerts[0]?.http?.uri ?? answers[0]?.uri,
  );
  const read = answers.map((a) => ({ a, m: httpMeaning(kind, a) }));
  // The most serious answer speaks for the group; an all-failed group failed.
  const top = read.reduce((best, x) => (x.m.weight > best.m.weight ? x : best));
  const attemptFailed: TriState = read.every((x) => x.m.attemptFailed === 'yes')
    ? 'yes'
    : top.m.attemptFailed;
  const answered: TriState = answers.some((a) => a.status >= 0) ? 'yes' : 'no';
  const http: NonNullable<ResponseVerdict['http']> = {};
  if (top.a.status >= 0) http.status = top.a.status;
  if (top.a.server !== undefined) http.server = top.a.server;
  if (top.a.contentType !== undefined) http.contentType = top.a.contentType;
  if (top.a.bodyBytes !== undefined) http.bodyBytes = top.a.bodyBytes;
  const many = answers.length > 1 ? ` (${answers.length} answers: ${tally(answers)})` : '';
  return {
    answered,
    attemptFailed,
    http,
    basis: top.a.basis,
    meaning: `${top.m.meaning}${many}`,
    evidence: answers.slice(0, MAX_EVIDENCE).map((a) => a.evidence),
  };
}

/** Neither HTTP nor SSH evidence: only whether anything came back on the alert's connections. */
function flowOnly(g: AlertGroup, flows: readonly FlowRecord[], what: string): ResponseVerdict {
  if (flows.length === 0)
    return {
      answered: 'unknown',
      attemptFailed: 'unknown',
      basis: 'none',
      meaning: `No record of the ${what} answer and no connection record: what the server answered is unknown.`,
      evidence: [],
    };
  const facts = flows.map((f) => ({ f, x: flowFacts(f, g.src) }));
  const answered: TriState = facts.some(({ x }) => x.answered === 'yes') ? 'yes' : 'no';
  const evidence: EvidenceRef[] = facts
    .slice(0, MAX_EVIDENCE)
    .map(({ f, x }) => ({ kind: 'flow', ref: f.uid, note: `${x.packetsToClient} packets back: ${x.note}` }));
  const refused = facts.every(({ x }) => x.established === 'no');
  // An unanswered SYN failed; silence to a NULL/FIN/Xmas probe can itself mean an open port.
  const synOnly = flows.every((f) => f.proto !== 'tcp' || f.history.includes(f.origH === g.src ? 'S' : 's'));
  return {
    answered,
    attemptFailed: answered === 'no' ? (synOnly ? 'yes' : 'unknown') : refused ? 'yes' : 'unknown',
    basis: 'flow',
    meaning:
      answered === 'no'
        ? synOnly
          ? 'Nothing came back from the target: the attempt got no answer.'
          : 'Nothing came back from the target; for a probe without SYN silence can itself mean an open port.'
        : refused
          ? 'The target answered only to refuse the connection (or the handshake never completed): the attempt failed.'
          : `The target answered on the connection, but no ${what} record says what it answered.`,
    evidence,
  };
}

/**
 * @example
 * const r = await responseVerdict(group, lookup, lookup.rule(group.sid ?? 0));
 * r.http?.status // 404 for the JCE scan against nginx
 */
export async function responseVerdict(
  g: AlertGroup,
  lookup: TriageLookup,
  rule?: Rule,
): Promise<ResponseVerdict> {
  const pair = await lookup.flows({
    a: g.src,
    b: g.dst,
    ...flowWindow(g),
    limit: FLOW_QUERY_LIMIT,
    ...(g.dstPort !== undefined && g.proto !== 'icmp' ? { port: g.dstPort } : {}),
  });
  const { flows } = matchGroupFlows(g, pair);

  if (isSsh(g, flows)) {
    const login = await sshLogin(g, lookup);
    const evidence: EvidenceRef[] = [];
    let banner: string | undefined;
    for (const f of flows.slice(0, 5)) {
      const b = await lookup.ssh(f.uid);
      if (b?.server) {
        banner ??= b.server;
        evidence.push({
          kind: 'flow',
          ref: f.uid,
          note: `server banner "${inert(b.server)}", client "${inert(b.client)}"`,
        });
      }
    }
    const conn = flowOnly(g, flows, 'SSH');
    const answered: TriState = banner !== undefined ? 'yes' : conn.answered;
    // A handshake that never completed (a SYN scan's probe, refused or unanswered) failed whatever sshd logged.
    if (banner === undefined && conn.attemptFailed === 'yes' && login.loginSucceeded !== 'yes')
      return {
        answered,
        attemptFailed: 'yes',
        loginSucceeded: 'no',
        basis: conn.basis,
        meaning: `${conn.meaning} No SSH session formed, so no login was possible on it.`,
        evidence: [...conn.evidence, ...login.evidence].slice(0, MAX_EVIDENCE),
      };
    return {
      answered,
      attemptFailed: login.attemptFailed,
      loginSucceeded: login.loginSucceeded,
      basis: login.basis === 'none' ? conn.basis : login.basis,
      meaning:
        banner !== undefined ? `${login.meaning} The server answered as "${inert(banner)}".` : login.meaning,
      evidence: [...login.evidence, ...evidence].slice(0, MAX_EVIDENCE),
    };
  }
  if (isHttp(g, flows, rule)) {
    const answers = await httpAnswers(g, flows, lookup, rule);
    if (answers.length > 0) return httpVerdict(g, rule, answers);
    return flowOnly(g, flows, 'HTTP');
  }
  return flowOnly(g, flows, 'application');
}
