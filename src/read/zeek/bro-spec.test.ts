/**
 * logstash-patterns-core's Zeek/Bro cases (bro_spec.rb), read at test time
 * from the shared data: each header-less line is read with the default layout
 * of the log the pattern names (BRO_CONN → conn …), normalized, and compared
 * field for field with the ECS values the spec expects. files.log cases are
 * outside the logs Picket maps and are listed apart; so are the spec's own
 * "wrong but backwards compatible" legacy expectations.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { zeekToEvent } from '../../normalize/zeek.js';
import type { Event } from '../../schema/event.js';
import { defaultLineContext, isProblem } from '../syslog/types.js';
import { parseSpecCases, type RubyValue } from '../testing/ruby-spec.js';
import { zeekFileState, zeekReader } from './index.js';
import type { ZeekRecord, ZeekValue } from './record.js';

type View = { rec: ZeekRecord; ev: Event | null };
const f = (name: string) => (v: View) => v.rec.fields[name];

/** ECS path → where our record or event keeps it. */
const mapping: Record<string, (v: View) => unknown> = {
  timestamp: (v) => v.rec.ts,
  'zeek.session_id': f('uid'),
  'source.ip': (v) => v.ev?.src,
  'source.port': (v) => v.ev?.srcPort,
  'destination.ip': (v) => v.ev?.dst,
  'destination.port': (v) => v.ev?.dstPort,
  'network.transport': (v) => v.ev?.proto,
  'network.protocol': f('service'),
  'source.packets': f('orig_pkts'),
  'source.bytes': f('orig_ip_bytes'),
  'destination.packets': f('resp_pkts'),
  'destination.bytes': f('resp_ip_bytes'),
  'source.mac': f('orig_l2_addr'),
  'destination.mac': f('resp_l2_addr'),
  'zeek.connection.state': f('conn_state'),
  'http.request.method': (v) => v.ev?.http?.method,
  'http.request.referrer': (v) => v.ev?.http?.referrer,
  'http.version': (v) => v.ev?.http?.version,
  'http.response.status_code': (v) => v.ev?.http?.status,
  'http.response.body.bytes': (v) => v.ev?.http?.bytes,
  'http.request.body.bytes': f('request_body_len'),
  'http.request.mime_type': f('orig_mime_types'),
  'http.response.mime_type': f('resp_mime_types'),
  'url.domain': (v) => v.ev?.http?.host,
  'url.original': (v) => v.ev?.http?.uri,
  'url.username': (v) => v.ev?.user,
  'user_agent.original': (v) => v.ev?.http?.userAgent,
  'dns.id': f('trans_id'),
  'dns.question.name': f('query'),
  'dns.question.type': f('qtype_name'),
  'dns.response_code': f('rcode_name'),
};

/** zeek.<log>.<field> → the Zeek field itself. */
function lookup(key: string): ((v: View) => unknown) | undefined {
  if (mapping[key]) return mapping[key];
  const m = /^zeek\.(http|dns|connection)\.(\w+)$/.exec(key);
  return m ? f(m[2]!) : undefined;
}

function same(ours: unknown, expected: string | number): boolean {
  if (ours === undefined) return false;
  if (Array.isArray(ours)) {
    const want = String(expected).split(',');
    return ours.length === want.length && ours.every((o: ZeekValue, i) => same(o, want[i]!));
  }
  if (typeof ours === 'boolean') return (ours ? 'T' : 'F') === expected;
  if (typeof ours === 'number') return ours === Number(expected);
  return ours === String(expected);
}

const logOf: Record<string, string> = { HTTP: 'http', DNS: 'dns', CONN: 'conn', FILES: 'files' };
/** The spec's legacy-mode expectations it calls wrong itself (grok's GREEDYDATA swallowing columns). */
const knownWrong = new Set(['domain', 'source', 'ts', 'fuid']);

const d = sharedData('logs/logstash-patterns-core/spec/patterns/bro_spec.rb');
test('logstash-patterns-core bro_spec.rb: header-less Zeek lines match field for field', {
  skip: d.skip,
}, () => {
  const cases = parseSpecCases(readFileSync(d.path, 'utf8'));
  let fields = 0;
  let matched = 0;
  let casesWith = 0;
  let casesOk = 0;
  const misses: string[] = [];
  const apart: string[] = [];
  for (const c of cases) {
    const kind = /^(?:BRO|ZEEK)_(\w+)/.exec(c.name)?.[1] ?? '';
    const path = logOf[kind];
    const entries = [...c.expected].filter(([k]) => k !== 'message');
    if (entries.length === 0 || c.message === undefined || path === undefined) continue;
    if (path === 'files') {
      apart.push(`${c.name}: files.log (not one of the logs Picket maps), ${entries.length} fields`);
      continue;
    }
    const ctx = defaultLineContext({ file: `spec-${path}`, line: c.line });
    zeekFileState(ctx).path = path;
    const r = zeekReader.parseLine(c.message, ctx);
    const view: View | undefined =
      r && !isProblem(r) ? { rec: r, ev: zeekToEvent(r, { line: c.line }) } : undefined;
    let ok = true;
    let counted = 0;
    for (const [key, expected] of entries) {
      if (knownWrong.has(key)) {
        apart.push(`${c.name}: ${key}=${JSON.stringify(expected)} (legacy grok result the spec marks wrong)`);
        continue;
      }
      const get = lookup(key);
      if (!get || (typeof expected !== 'string' && typeof expected !== 'number')) {
        apart.push(`${c.name}: ${key}=${JSON.stringify(expected as RubyValue)} not modelled`);
        continue;
      }
      counted++;
      fields++;
      const ours = view ? get(view) : undefined;
      if (same(ours, expected)) matched++;
      else {
        ok = false;
        misses.push(
          `${c.name}: ${key} expected ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}` +
            (view ? '' : ` (not read: ${r && isProblem(r) ? r.message : 'null'})`),
        );
      }
    }
    if (counted > 0) {
      casesWith++;
      if (ok) casesOk++;
    }
  }
  const rate = fields ? matched / fields : 0;
  console.log(
    `bro_spec.rb: ${matched}/${fields} fields (${(100 * rate).toFixed(1)}%), ${casesOk}/${casesWith} cases field for field\n` +
      `  misses:\n    ${misses.join('\n    ') || '(none)'}\n  apart:\n    ${apart.join('\n    ') || '(none)'}`,
  );
  assert.ok(fields >= 100, `only ${fields} fields compared`);
  assert.ok(rate >= 0.95, `field match rate ${(100 * rate).toFixed(1)}% below 95%`);
});
