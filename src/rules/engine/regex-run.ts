/**
 * Runs rule pcre with a bound on every call, since the subject is attacker
 * data. Each pattern is classified once (regex-run-classify.ts):
 * - linear patterns run in this thread;
 * - others run on V8's linear-time engine when it takes them (no back
 *   references, no lookaround; end assertions that end the match are written
 *   without lookahead for it, see pcre-emit.ts trimEnd);
 * - quadratic ones run in this thread up to maxQuadraticInThread characters
 *   after `from` (2 KiB: a worst case of a few ms), in the worker beyond;
 * - unsafe ones always run in the worker thread, under timeoutMs (50 ms).
 * A call bound for the worker first runs the pattern's prescreen
 * (regex-prescreen.ts), a loosened form on the linear-time engine: when that
 * finds nothing, neither would the worker.
 * A call that times out terminates the worker (a fresh one starts on the
 * next call) and returns 'bounded'; so does a subject longer than
 * maxSubjectLength. Suricata's analogue is pcre match-limit /
 * match-limit-recursion (3500 / 1500 by default in suricata.yaml): past the
 * limit the pcre does not match and the event is counted.
 */

import { setFlagsFromString } from 'node:v8';
import type { PcreMatch } from '../ast.js';
import { firstChars, nullable } from '../keywords/pcre-ast.js';
import { type CharSet, has } from '../keywords/pcre-charset.js';
import { REMAP_BASE, remapHighBytes } from '../keywords/pcre-emit.js';
import { analyzePcre, pcreModeFlags } from '../keywords/pcre-translate.js';
import { type Prescreen, prescreenOf } from './regex-prescreen.js';
import { anchoredAtStart, classifyRegex, type RegexSafety } from './regex-run-classify.js';
import { callRegexWorker, regexThreadStats } from './regex-run-thread.js';

export interface RegexHit {
  start: number;
  end: number;
  /** PCRE groups 1..n ('' for a group that did not take part); absent when the pattern has none. */
  groups?: string[];
}

export interface RuleRegex {
  readonly source: string;
  readonly flags: string;
  readonly safety: RegexSafety;
  /** Why it got that safety class. */
  readonly reason: string;
  /**
   * Where calls run: 'backtracking' in this thread, V8's 'linear' engine in this thread, or 'worker'
   * (quadratic patterns only past maxQuadraticInThread characters, unsafe ones always).
   */
  readonly engine: 'backtracking' | 'linear' | 'worker';
  /** The loosened pattern tried before each worker call (undefined when none could be built). */
  readonly prescreen: string | undefined;
  /**
   * Searches subject (which the pattern sees whole: `^` is index 0, as for
   * pcre_exec; pass the rest of the buffer for a relative pcre, as Suricata
   * does) from index `from`; with anchoredAtFrom (or the rule's /A flag)
   * the match must start at `from`. `groups` false leaves RegexHit.groups out.
   */
  exec(subject: string, from: number, anchoredAtFrom: boolean, groups?: boolean): RegexHit | null | 'bounded';
}

export interface RegexRunOptions {
  /** Per worker call, in ms. */
  timeoutMs?: number;
  maxSubjectLength?: number;
  maxQuadraticInThread?: number;
}

export const REGEX_RUN_DEFAULTS: Required<RegexRunOptions> = {
  timeoutMs: 50,
  maxSubjectLength: 1 << 20,
  maxQuadraticInThread: 2048,
};

/** Process-wide counts; 'bounded' calls are boundedByTime + boundedByLength. */
export const regexRunCounters = {
  inThread: 0,
  inWorker: 0,
  /**
   * Calls answered without running the pattern: the one place a match could
   * start holds a character no match starts with, or (before a worker call)
   * the prescreen found nothing.
   */
  screenedOut: 0,
  bounded: 0,
  boundedByTime: 0,
  boundedByLength: 0,
  /** The first worker, and one more after each timeout. */
  get workerStarts(): number {
    return regexThreadStats.starts;
  },
};

/**
 * Compiles a rule's pcre once. Patterns are re-read from the PCRE source
 * (for the safety class and group numbering); a hand-made PcreMatch whose
 * source does not translate runs its `js` as given, as unsafe.
 * @example
 * const r = compileRuleRegex(match);
 * r.exec('GET /x HTTP/1.1', 0, false) // { start: 0, end: 4 } or null or 'bounded'
 */
export function compileRuleRegex(m: PcreMatch, options: RegexRunOptions = {}): RuleRegex {
  const opts = { ...REGEX_RUN_DEFAULTS, ...options };
  const t = analyzePcre(m.source, pcreModeFlags(m.flags), { trimEnd: true });
  const source = 'error' in t ? m.js.source : t.source;
  const flags = 'error' in t ? m.js.flags : t.flags;
  const groupMap = 'error' in t ? null : t.groupMap;
  const remap = 'error' in t ? false : t.remapHigh;
  const trimGroups = 'error' in t ? [] : t.trimGroups;
  const cls =
    'error' in t ? { safety: 'unsafe' as const, reason: 'not translated here' } : classifyRegex(t.tree);
  const always = m.js.anchored;
  // Characters every match starts with (a pattern that can match empty has no such set), and whether
  // a match can only start at index 0: then a call often needs one character looked at, not a run.
  const first: CharSet | undefined =
    'error' in t || nullable(t.tree.root) ? undefined : firstChars(t.tree.root);
  const startAnchored = !('error' in t) && anchoredAtStart(t.tree.root);
  let search: RegExp | undefined;
  let sticky: RegExp | undefined;
  // Patterns that could backtrack badly run on V8's linear-time engine when it can take them
  // (no backreferences or lookaround): no worker round trip, and no input can make them slow.
  const linear = cls.safety === 'linear' ? undefined : linearPair(source, flags);
  // Calls that may go to the worker first ask a loosened form on the linear engine.
  const prescreen: Prescreen | undefined =
    cls.safety === 'linear' || linear !== undefined || 'error' in t
      ? undefined
      : prescreenOf(t.tree, (src) => linearPair(src, ''));

  const text = (g: string | undefined) => (g === undefined ? '' : remap ? unmapHighBytes(g) : g);
  const hit = (index: number, match: ArrayLike<string | undefined>, groups: boolean): RegexHit => {
    let end = index + match[0]!.length;
    // A trailing newline taken by a rewritten end assertion is not part of the PCRE match.
    for (const g of trimGroups) if (match[g] !== undefined) end--;
    const h: RegexHit = { start: index, end };
    if (!groups) return h;
    if (groupMap === null) {
      if (match.length > 1) h.groups = Array.from(match, text).slice(1);
    } else if (groupMap.length > 1) {
      h.groups = [];
      for (let k = 1; k < groupMap.length; k++) h.groups.push(text(match[groupMap[k]!]));
    }
    return h;
  };

  return {
    source,
    flags,
    safety: cls.safety,
    reason: cls.reason,
    engine: cls.safety === 'linear' ? 'backtracking' : linear !== undefined ? 'linear' : 'worker',
    prescreen: prescreen?.source,
    exec(subject, from, anchoredAtFrom, groups = true) {
      if (subject.length > opts.maxSubjectLength) {
        regexRunCounters.bounded++;
        regexRunCounters.boundedByLength++;
        return 'bounded';
      }
      const anchored = anchoredAtFrom || always;
      // The one index a match could start at, if only one: `from` when anchored, 0 for `^...` patterns.
      const only = anchored ? from : startAnchored ? (from === 0 ? 0 : -1) : -2;
      if (
        only === -1 ||
        (only >= 0 &&
          first !== undefined &&
          (only >= subject.length || !has(first, subject.charCodeAt(only))))
      ) {
        regexRunCounters.screenedOut++;
        return null;
      }
      if (linear !== undefined) {
        regexRunCounters.inThread++;
        const re = anchored ? linear.sticky : linear.search;
        re.lastIndex = from;
        const m = re.exec(remap ? remapHighBytes(subject) : subject);
        return m ? hit(m.index, m, groups) : null;
      }
      const inThread =
        cls.safety === 'linear' ||
        (cls.safety === 'quadratic' && (anchored || subject.length - from <= opts.maxQuadraticInThread));
      if (inThread) {
        regexRunCounters.inThread++;
        if (anchored) sticky ??= new RegExp(source, `${flags}y`);
        else search ??= new RegExp(source, `${flags}g`);
        const re = (anchored ? sticky : search)!;
        re.lastIndex = from;
        const m = re.exec(remap ? remapHighBytes(subject) : subject);
        return m ? hit(m.index, m, groups) : null;
      }
      if (prescreen !== undefined) {
        // The prescreen is written for raw subjects (it has no caseless references, so no remap).
        const re = anchored ? prescreen.sticky : prescreen.search;
        re.lastIndex = from;
        if (!re.test(subject)) {
          regexRunCounters.screenedOut++;
          return null;
        }
      }
      regexRunCounters.inWorker++;
      const s = remap ? remapHighBytes(subject) : subject;
      const r = callRegexWorker({ source, flags, subject: s, from, sticky: anchored }, opts.timeoutMs);
      if (r === 'timeout') {
        regexRunCounters.bounded++;
        regexRunCounters.boundedByTime++;
        return 'bounded';
      }
      return r ? hit(r.index, r.match, groups) : null;
    },
  };
}

let linearEngine: boolean | undefined;

/** Both forms of a pattern on V8's linear-time regexp engine, or undefined when it cannot run it. */
function linearPair(source: string, flags: string): { search: RegExp; sticky: RegExp } | undefined {
  if (linearEngine === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      // The `l` flag exists only with the flag above, so it cannot be a literal.
      const probe = 'l';
      new RegExp('a', probe);
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  if (!linearEngine) return undefined;
  try {
    return { search: new RegExp(source, `${flags}gl`), sticky: new RegExp(source, `${flags}yl`) };
  } catch {
    return undefined;
  }
}

/** Undoes remapHighBytes on captured text. */
function unmapHighBytes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += String.fromCharCode(c >= REMAP_BASE + 0x80 && c <= REMAP_BASE + 0xff ? c - REMAP_BASE : c);
  }
  return out;
}
