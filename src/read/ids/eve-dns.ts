/**
 * EVE `dns` objects of every Suricata version, folded into one shape:
 * version 1 (flat: one line per query and per answer, before Suricata 5),
 * version 2 (5 to 7: flat queries, answers in `answers` or `grouped`; alerts
 * carry `query: [...]` and `answer: {...}`), version 3 (8 on: `request` /
 * `response` with `queries`, `answers`, `grouped` in events and alerts alike).
 */
import { arr, int, type JsonObject, obj, str, text } from './json.js';
import type { DnsAnswer, DnsQuestion, EveDnsInfo } from './record.js';

/** Most questions or answers kept from one record; the rest are only counted (`dropped`). */
export const maxDnsItems = 32;

/**
 * @example parseEveDns({ type: 'query', id: 7, rrname: 'a.example', rrtype: 'A' })
 * // { version: 1, type: 'query', id: 7, queries: [{ rrname: 'a.example', rrtype: 'A' }], answers: [] }
 */
export function parseEveDns(d: JsonObject): EveDnsInfo {
  const logged = int(d, 'version');
  const out: EveDnsInfo = { version: logged ?? 1, type: 'query', queries: [], answers: [] };
  const typeText = str(d, 'type');
  // Version 2 alerts: the transaction's queries and its answer as nested objects.
  const nestedQueries = arr(d, 'query');
  const nestedAnswer = obj(d, 'answer');
  if (nestedQueries !== undefined || nestedAnswer !== undefined) {
    out.version = logged ?? 2;
    for (const q of nestedQueries ?? []) if (isObject(q)) addFlatQuestion(out, q);
    if (nestedAnswer !== undefined) {
      addAnswers(out, nestedAnswer);
      copyHeader(out, nestedAnswer);
    }
    out.type = nestedAnswer !== undefined ? 'answer' : 'query';
    if (out.id === undefined) out.id = int(nestedQueries?.find(isObject) as JsonObject | undefined, 'id');
    return out;
  }
  copyHeader(out, d);
  out.type = typeName(typeText);
  const queries = arr(d, 'queries');
  if (queries !== undefined) {
    if (logged === undefined) out.version = 3;
    for (const q of queries) if (isObject(q)) addFlatQuestion(out, q);
  } else if (str(d, 'rrname') !== undefined && out.type === 'query') addFlatQuestion(out, d);
  const hasAnswerLists = arr(d, 'answers') !== undefined || obj(d, 'grouped') !== undefined;
  if (hasAnswerLists) {
    if (logged === undefined && queries === undefined) out.version = 2;
    addAnswers(out, d);
  } else if (out.type === 'answer' && queries === undefined) {
    // Version 1: one answer per line, its fields flat (an NXDOMAIN answer names only the query).
    const a = flatAnswer(d);
    if (a !== undefined) out.answers.push(a);
  }
  if (typeText === 'request' || typeText === 'response') out.version = logged ?? 3;
  return out;
}

function typeName(t: string | undefined): string {
  if (t === undefined || t === 'request' || t === 'query') return 'query';
  if (t === 'response' || t === 'answer') return 'answer';
  return t.slice(0, 32);
}

function copyHeader(out: EveDnsInfo, d: JsonObject): void {
  const id = int(d, 'id');
  if (id !== undefined) out.id = id;
  const rcode = str(d, 'rcode');
  if (rcode !== undefined) out.rcode = rcode.slice(0, 32);
  const flags = text(d, 'flags');
  if (flags !== undefined) out.flags = flags.slice(0, 16);
}

function addFlatQuestion(out: EveDnsInfo, q: JsonObject): void {
  if (out.queries.length >= maxDnsItems) {
    out.dropped = (out.dropped ?? 0) + 1;
    return;
  }
  const rrname = str(q, 'rrname');
  if (rrname === undefined) return;
  const question: DnsQuestion = { rrname };
  const rrtype = str(q, 'rrtype');
  if (rrtype !== undefined) question.rrtype = rrtype.slice(0, 32);
  out.queries.push(question);
  if (out.id === undefined) {
    const id = int(q, 'id');
    if (id !== undefined) out.id = id;
  }
}

function addAnswers(out: EveDnsInfo, d: JsonObject): void {
  for (const a of arr(d, 'answers') ?? []) {
    if (!isObject(a)) continue;
    if (out.answers.length >= maxDnsItems) {
      out.dropped = (out.dropped ?? 0) + 1;
      continue;
    }
    const ans = flatAnswer(a);
    if (ans !== undefined) out.answers.push(ans);
  }
  const grouped = obj(d, 'grouped');
  if (grouped === undefined) return;
  for (const rrtype of Object.keys(grouped)) {
    const values = arr(grouped, rrtype);
    if (values === undefined) continue;
    for (const v of values) {
      if (typeof v !== 'string') continue;
      if (out.answers.length >= maxDnsItems) out.dropped = (out.dropped ?? 0) + 1;
      else out.answers.push({ rrtype: rrtype.slice(0, 32), rdata: v.slice(0, 1024) });
    }
  }
}

function flatAnswer(a: JsonObject): DnsAnswer | undefined {
  const ans: DnsAnswer = {};
  const rrname = str(a, 'rrname');
  if (rrname !== undefined) ans.rrname = rrname;
  const rrtype = str(a, 'rrtype');
  if (rrtype !== undefined) ans.rrtype = rrtype.slice(0, 32);
  const rdata = str(a, 'rdata');
  if (rdata !== undefined) ans.rdata = rdata.slice(0, 1024);
  const ttl = int(a, 'ttl');
  if (ttl !== undefined) ans.ttl = ttl;
  return Object.keys(ans).length > 0 ? ans : undefined;
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
