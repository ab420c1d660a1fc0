/**
 * Runs a rule's pcre over a Latin-1 string of the buffer from a start
 * offset, under the time and length bounds of regex-run.ts. The subject is
 * cut at the start, as Suricata hands PCRE the buffer from the previous match
 * on, so `^` anchors there. A regex that hits its bound three times is not run
 * again in this process (every later run counts as bounded): hostile traffic
 * cannot make each packet pay for a worker restart.
 */
import type { PcreMatch } from '../ast.js';
import { compileRuleRegex, type RuleRegex } from './regex-run.js';

const compiled = new WeakMap<PcreMatch, RuleRegex | null>();
/** Times each regex ran out of its bound; past BREAKER it is not run again (each bound costs a worker restart). */
const boundedCount = new WeakMap<PcreMatch, number>();
const BREAKER = 3;

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
  const hits = boundedCount.get(m) ?? 0;
  if (hits >= BREAKER) return 'bounded';
  const s = from > 0 ? subject.slice(from) : subject;
  const r = re.exec(s, 0, false, false);
  if (r === 'bounded') boundedCount.set(m, hits + 1);
  if (r === null || r === 'bounded') return r;
  return { start: from + r.start, end: from + r.end };
}
