/**
 * Runs a rule's pcre over a Latin-1 string of the buffer from a start
 * offset. The subject is cut at the start, as Suricata hands PCRE the buffer
 * from the previous match on, so `^` anchors there.
 */
import type { PcreMatch } from '../ast.js';

const compiled = new WeakMap<PcreMatch, RegExp | null>();

function regexOf(m: PcreMatch): RegExp | null {
  let re = compiled.get(m);
  if (re === undefined) {
    try {
      re = new RegExp(m.js.source, m.js.flags.replace(/[gy]/g, ''));
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
  const r = re.exec(s);
  if (r === null) return null;
  return { start: from + r.index, end: from + r.index + r[0].length };
}
