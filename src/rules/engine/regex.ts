/**
 * Runs a rule's pcre over a Latin-1 string of the buffer from a start
 * offset, under the time and length bounds of regex-run.ts. The subject is
 * cut at the start, as Suricata hands PCRE the buffer from the previous match
 * on, so `^` anchors there.
 */
import type { PcreMatch } from '../ast.js';
import { compileRuleRegex, type RuleRegex } from './regex-run.js';

const compiled = new WeakMap<PcreMatch, RuleRegex | null>();

function regexOf(m: PcreMatch): RuleRegex | null {
  let re = compiled.get(m);
  if (re === undefined) {
    try {
      re = compileRuleRegex(m);
    } catch {
      re = null;
    }
    compiled.set(m, re);
  }
  return re;
}

export function runRegex(
  m: PcreMatch,
  subject: string,
  from: number,
): { start: number; end: number } | null | 'bounded' {
  const re = regexOf(m);
  if (re === null) return null;
  const s = from > 0 ? subject.slice(from) : subject;
  const r = re.exec(s, 0, false);
  if (r === null || r === 'bounded') return r;
  return { start: from + r.start, end: from + r.end };
}
