/**
 * The rule engine's first stage: per buffer, one multi-pattern matcher over
 * every rule's fast pattern. `scan` returns the rules worth evaluating fully
 * (each once, with where its fast pattern first ended); rules without an
 * eligible content are listed per buffer in `alwaysEvaluate`.
 */
import type { PayloadMatch, Rule } from '../ast.js';
import {
  buildMatcher,
  FOLD,
  MAX_MATCHER_PATTERN,
  type Matcher,
  type MatcherOptions,
} from './prefilter-automaton.js';
import { MatcherScanner } from './prefilter-scan.js';
import { bufferKeyOf, type FastPatternChoice, selectFastPattern } from './prefilter-select.js';

export interface PrefilterOptions extends MatcherOptions {
  /** Fast patterns longer than this are cut to their first bytes (a superset of hits). Default 32, max 255. */
  maxPatternLength?: number;
  /** Include rules whose `enabled` is false (default: skip them). */
  includeDisabled?: boolean;
}

export interface BufferStats {
  rules: number;
  patterns: number;
  nocasePatterns: number;
  truncatedPatterns: number;
  states: number;
  memoryBytes: number;
  alwaysEvaluate: number;
}

export interface PrefilterStats {
  rules: number;
  /** Rules with a fast pattern in some buffer. */
  withFastPattern: number;
  /** Rules with payload matches but no eligible content (all negated, or pcre/byte tests only). */
  alwaysEvaluate: number;
  /** Rules without any payload match: header fields, flow, flowbits ... only. */
  headerOnly: number;
  buffers: Record<string, BufferStats>;
  memoryBytes: number;
  buildMs: number;
}

export interface Prefilter {
  /** Buffer keys with a matcher: a buffer name, plus `|transforms` when the content is transformed. */
  readonly buffers: readonly string[];
  /** Longest pattern any matcher holds (fast patterns are cut to it): no match spans more bytes. */
  readonly maxPatternLength: number;
  /**
   * Rule indices (into the array given to buildPrefilter) found by the last
   * scan: `candidates[0..n)`, each rule once. Reused: copy before the next scan.
   */
  readonly candidates: Int32Array;
  /** End offset (exclusive) of the first match of each candidate's fast pattern. */
  readonly positions: Int32Array;
  /**
   * Scans one buffer's bytes; returns the number of candidates. An unknown
   * buffer key returns 0.
   * @example const n = pf.scan('http.uri', uri); for (let i = 0; i < n; i++) evaluate(pf.candidates[i]!);
   */
  scan(buffer: string, bytes: Uint8Array): number;
  /** The fast pattern chosen for a rule, if any. */
  fastPatternOf(ruleIndex: number): FastPatternChoice | undefined;
  /** Rules to evaluate whenever this buffer is present, though no pattern selected them. */
  alwaysEvaluate: ReadonlyMap<string, Int32Array>;
  /** Rules with no payload match at all. */
  headerOnly: Int32Array;
  stats: PrefilterStats;
}

interface BufferMatcher {
  matcher: Matcher;
  scanner: MatcherScanner;
  /** Rules of pattern p: patRules[patRuleStart[p] .. patRuleStart[p+1]). */
  patRuleStart: Int32Array;
  patRules: Int32Array;
  /** The last small buffer scanned and its answer (a transaction's header buffers are scanned at each step). */
  memo: ScanMemo | undefined;
}

/** Buffers up to this size are remembered with their answer. */
const MEMO_BYTES = 2048;

interface ScanMemo {
  bytes: Uint8Array;
  len: number;
  n: number;
  candidates: Int32Array;
  positions: Int32Array;
}

/**
 * Chooses each rule's fast pattern and compiles one matcher per buffer.
 * @example
 * const pf = buildPrefilter(loadRules(['rules/']).rules);
 * const n = pf.scan('pkt', payload);
 */
export function buildPrefilter(rules: readonly Rule[], opts: PrefilterOptions = {}): Prefilter {
  const t0 = performance.now();
  const maxLen = Math.min(opts.maxPatternLength ?? 32, MAX_MATCHER_PATTERN);
  const choices: Array<FastPatternChoice | undefined> = new Array(rules.length);
  // Per buffer: pattern key -> pattern id, patterns, rules per pattern.
  const groups = new Map<
    string,
    {
      ids: Map<string, number>;
      patterns: { bytes: Uint8Array; nocase: boolean }[];
      rules: number[][];
      truncated: number;
    }
  >();
  const always = new Map<string, number[]>();
  const headerOnly: number[] = [];
  let considered = 0;
  let withFp = 0;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!rule.enabled && !opts.includeDisabled) continue;
    considered++;
    const c = selectFastPattern(rule);
    choices[r] = c;
    if (!c) {
      const first: PayloadMatch | undefined = rule.matches[0];
      if (!first) headerOnly.push(r);
      else push(always, bufferKeyOf(first), r);
      continue;
    }
    withFp++;
    let g = groups.get(c.bufferKey);
    if (!g) {
      g = { ids: new Map(), patterns: [], rules: [], truncated: 0 };
      groups.set(c.bufferKey, g);
    }
    const bytes = c.bytes.length > maxLen ? c.bytes.subarray(0, maxLen) : c.bytes;
    // nocase patterns that differ only in case are one pattern.
    const keyBytes = c.nocase ? bytes.map((b) => FOLD[b]!) : bytes;
    const key = `${c.nocase ? 'i' : 'c'}${Buffer.from(keyBytes.buffer, keyBytes.byteOffset, keyBytes.length).toString('latin1')}`;
    let id = g.ids.get(key);
    if (id === undefined) {
      id = g.patterns.length;
      g.ids.set(key, id);
      g.patterns.push({ bytes, nocase: c.nocase });
      g.rules.push([]);
      if (bytes.length < c.bytes.length) g.truncated++;
    }
    g.rules[id]!.push(r);
  }

  const byBuffer = new Map<string, BufferMatcher>();
  const bufferStats: Record<string, BufferStats> = {};
  let memoryBytes = 0;
  for (const [key, g] of groups) {
    const matcher = buildMatcher(g.patterns, opts);
    const patRuleStart = new Int32Array(g.patterns.length + 1);
    for (let p = 0; p < g.rules.length; p++) patRuleStart[p + 1] = patRuleStart[p]! + g.rules[p]!.length;
    const patRules = new Int32Array(patRuleStart[g.rules.length]!);
    for (let p = 0; p < g.rules.length; p++) patRules.set(g.rules[p]!, patRuleStart[p]!);
    byBuffer.set(key, {
      matcher,
      scanner: new MatcherScanner(matcher),
      patRuleStart,
      patRules,
      memo: undefined,
    });
    const scannerBytes = matcher.patternCount * 12 + matcher.stateCount * 4;
    const mem = matcher.memoryBytes + patRuleStart.byteLength + patRules.byteLength + scannerBytes;
    memoryBytes += mem;
    bufferStats[key] = {
      rules: patRules.length,
      patterns: g.patterns.length,
      nocasePatterns: g.patterns.filter((p) => p.nocase).length,
      truncatedPatterns: g.truncated,
      states: matcher.stateCount,
      memoryBytes: mem,
      alwaysEvaluate: always.get(key)?.length ?? 0,
    };
  }
  const alwaysEvaluate = new Map<string, Int32Array>();
  for (const [key, list] of always) {
    alwaysEvaluate.set(key, Int32Array.from(list));
    bufferStats[key] ??= {
      rules: 0,
      patterns: 0,
      nocasePatterns: 0,
      truncatedPatterns: 0,
      states: 0,
      memoryBytes: 0,
      alwaysEvaluate: list.length,
    };
  }

  const candidates = new Int32Array(rules.length);
  const positions = new Int32Array(rules.length);
  /** Runs b's matcher over bytes; fills candidates/positions, returns their count. */
  const scanBuffer = (b: BufferMatcher, bytes: Uint8Array): number => {
    const hits = b.scanner.scan(bytes);
    const { hitPattern, hitEnd } = b.scanner;
    const { patRuleStart, patRules } = b;
    let n = 0;
    // Each rule has one fast pattern, so distinct patterns give distinct rules.
    for (let h = 0; h < hits; h++) {
      const p = hitPattern[h]!;
      const end = hitEnd[h]!;
      for (let k = patRuleStart[p]!; k < patRuleStart[p + 1]!; k++) {
        candidates[n] = patRules[k]!;
        positions[n] = end;
        n++;
      }
    }
    return n;
  };
  /** Keeps a copy of bytes and the answer n (in candidates/positions) as b's memo. */
  const remember = (b: BufferMatcher, bytes: Uint8Array, n: number): void => {
    let m = b.memo;
    if (m === undefined) {
      const buf = new Uint8Array(MEMO_BYTES);
      m = b.memo = {
        bytes: buf,
        len: 0,
        n: 0,
        candidates: new Int32Array(16),
        positions: new Int32Array(16),
      };
    }
    m.bytes.set(bytes);
    m.len = bytes.length;
    if (m.candidates.length < n) {
      m.candidates = new Int32Array(Math.max(n, m.candidates.length * 2));
      m.positions = new Int32Array(m.candidates.length);
    }
    for (let i = 0; i < n; i++) {
      m.candidates[i] = candidates[i]!;
      m.positions[i] = positions[i]!;
    }
    m.n = n;
  };
  const alwaysCount = [...always.values()].reduce((a, l) => a + l.length, 0);
  return {
    buffers: [...byBuffer.keys()],
    maxPatternLength: maxLen,
    candidates,
    positions,
    scan(buffer: string, bytes: Uint8Array): number {
      const b = byBuffer.get(buffer);
      if (!b) return 0;
      const small = bytes.length <= MEMO_BYTES;
      const memo = b.memo;
      if (small && memo !== undefined && sameBytes(memo, bytes)) {
        for (let i = 0; i < memo.n; i++) {
          candidates[i] = memo.candidates[i]!;
          positions[i] = memo.positions[i]!;
        }
        return memo.n;
      }
      const n = scanBuffer(b, bytes);
      if (small) remember(b, bytes, n);
      return n;
    },
    fastPatternOf: (ruleIndex) => choices[ruleIndex],

    alwaysEvaluate,
    headerOnly: Int32Array.from(headerOnly),
    stats: {
      rules: considered,
      withFastPattern: withFp,
      alwaysEvaluate: alwaysCount,
      headerOnly: headerOnly.length,
      buffers: bufferStats,
      memoryBytes,
      buildMs: performance.now() - t0,
    },
  };
}

function sameBytes(m: ScanMemo, bytes: Uint8Array): boolean {
  if (m.len !== bytes.length) return false;
  const a = m.bytes;
  for (let i = 0; i < bytes.length; i++) if (a[i] !== bytes[i]) return false;
  return true;
}

function push(m: Map<string, number[]>, key: string, v: number): void {
  const l = m.get(key);
  if (l) l.push(v);
  else m.set(key, [v]);
}
