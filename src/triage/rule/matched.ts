/**
 * Which bytes the rule matched: the rule's payload matches are run again,
 * with the engine's own inspection (inspectBuffer: offsets, relative
 * matches, nocase, transforms, bounded pcre), over each recorded source's
 * buffer, and the spans of the positive matches are shown as inert
 * excerpts. Nothing in the data is ever evaluated; the pcre runs under the
 * engine's time and length bounds.
 */
import type { PayloadMatch, Rule } from '../../rules/ast.js';
import {
  type BufferList,
  compileList,
  INSPECT_BUDGET,
  type InspectContext,
  inspectBuffer,
} from '../../rules/engine/inspect.js';
import { runRegex } from '../../rules/engine/regex.js';
import { applyListTransforms } from '../../rules/engine/transform-hook.js';
import type { EvidenceRef, MatchedBytes } from '../../schema/alarm.js';
import { alertSource, httpSource, type PayloadSource, sshSource } from './buffers.js';
import { excerptAround } from './excerpt.js';
import type { AlertPayloads } from './payloads.js';

/** Matched spans shown per alarm. */
export const MAX_MATCHED = 8;
/** Sources tried per buffer list (transactions, banners, alerts). */
export const MAX_SOURCES = 64;

/** The rule's matches grouped per buffer and transform chain, in rule order (as the engine groups them). */
function bufferLists(matches: readonly PayloadMatch[]): BufferList[] {
  const groups = new Map<string, PayloadMatch[]>();
  for (const m of matches) {
    const key = `${m.buffer}\u0000${JSON.stringify(m.transforms)}`;
    const list = groups.get(key) ?? [];
    list.push(m);
    groups.set(key, list);
  }
  return [...groups.values()].map((ms) => compileList(ms[0]!.buffer, ms));
}

/** Rules that inspect the server's answer (flow:to_client / from_server). */
function toServerOf(rule: Rule): boolean {
  for (const c of rule.conditions) {
    if (c.keyword !== 'flow') continue;
    const text = JSON.stringify(c.value);
    if (/to_client|from_server|toClient|fromServer/i.test(text)) return false;
  }
  return true;
}

/** Sources in the order they are tried: the capture's sessions, then what the alerts carry. */
export function payloadSources(p: AlertPayloads): PayloadSource[] {
  return [...p.http.map(httpSource), ...p.ssh.map(sshSource), ...p.alerts.map(alertSource)].slice(
    0,
    MAX_SOURCES,
  );
}

function hasPositive(list: BufferList): boolean {
  return list.matches.some((m) => (m.kind === 'content' || m.kind === 'pcre') && !m.negated);
}

/**
 * @example
 * const { matched } = matchedBytes(rule, payloads);
 * matched[0] // { buffer: 'http.user_agent', excerpt: 'Mozilla/5.0 (compatible; Nessus)', start: 26, end: 32 }
 */
export function matchedBytes(
  rule: Rule,
  p: AlertPayloads,
): { matched: MatchedBytes[]; evidence: EvidenceRef[] } {
  const matched: MatchedBytes[] = [];
  const evidence: EvidenceRef[] = [];
  const sources = payloadSources(p);
  const toServer = toServerOf(rule);
  for (const list of bufferLists(rule.matches)) {
    if (!hasPositive(list) || matched.length >= MAX_MATCHED) continue;
    for (const src of sources) {
      const raw = src.buffer(list.buffer, toServer);
      if (raw === undefined) continue;
      const buf = applyListTransforms(list, raw);
      if (buf === undefined) continue;
      const ctx: InspectContext = {
        vars: new Map(),
        spans: [],
        budget: INSPECT_BUDGET,
        regex: runRegex,
        bounded: 0,
      };
      if (!inspectBuffer(list, buf, ctx)) continue;
      const spans = ctx.spans.filter((s) => s.buffer === list.buffer).sort((a, b) => a.start - b.start);
      for (const s of spans) {
        if (matched.length >= MAX_MATCHED) break;
        const x = excerptAround(buf, s.start, s.end);
        matched.push({ buffer: list.buffer, excerpt: x.excerpt, start: x.start, end: x.end });
      }
      const how = list.transforms.length > 0 ? ` after ${list.transforms.map((t) => t.name).join(', ')}` : '';
      evidence.push({
        ...src.evidence,
        note: `${list.buffer}${how}: the rule's ${list.matches.length === 1 ? 'match holds' : `${list.matches.length} matches hold`} at byte ${spans[0]?.start ?? 0}`,
      });
      break;
    }
  }
  return { matched, evidence };
}
