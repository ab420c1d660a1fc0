/**
 * Runs a compiled Matcher over bytes. Allocation-free per scan: hits go into
 * reused arrays, and "already reported" is a generation stamp per pattern
 * and per state rather than a Set.
 */
import { FOLD, HASH_MUL, MAX_MATCHER_PATTERN, type Matcher } from './prefilter-automaton.js';

export class MatcherScanner {
  /** Pattern ids found by the last scan, each once, in order of first match. */
  readonly hitPattern: Int32Array;
  /** End offset (exclusive) of each pattern's first match. */
  readonly hitEnd: Int32Array;
  private readonly patStamp: Uint32Array;
  /** A state whose own patterns and whole output chain were reported this scan. */
  private readonly stateStamp: Uint32Array;
  private readonly chain = new Int32Array(MAX_MATCHER_PATTERN + 2);
  private gen = 0;

  constructor(readonly m: Matcher) {
    this.hitPattern = new Int32Array(m.patternCount);
    this.hitEnd = new Int32Array(m.patternCount);
    this.patStamp = new Uint32Array(m.patternCount);
    this.stateStamp = new Uint32Array(m.stateCount);
  }

  /**
   * Scans `t`; returns how many distinct patterns matched (see hitPattern/hitEnd).
   * @example const n = scanner.scan(payload); for (let i = 0; i < n; i++) use(scanner.hitPattern[i]);
   */
  scan(t: Uint8Array): number {
    if (++this.gen === 0xffffffff) {
      this.patStamp.fill(0);
      this.stateStamp.fill(0);
      this.gen = 1;
    }
    const m = this.m;
    if (m.stateCount === 1) return 0;
    const { filter4: f4, filter2: f2, depth, denseRow, dense, outAny } = m;
    const shift = 32 - m.filterBits;
    const n = t.length;
    const stop = n - 3;
    let hits = 0;
    let s = 0;
    let lastPass = -1;
    let w = 0;
    let i = 0;
    while (i < stop) {
      if (s === 0) {
        // At the root: skip positions where no pattern can start (the hot loop).
        i = skipToCandidate(t, i, stop, f4, f2, shift);
        if (i === stop) break;
        w = (t[i]! << 24) | (t[i + 1]! << 16) | (t[i + 2]! << 8) | t[i + 3]!;
        lastPass = i;
      } else {
        w = (w << 8) | t[i + 3]!;
        const h = Math.imul(w, HASH_MUL) >>> shift;
        if ((((f4[h >>> 5]! >>> h) | (f2[w >>> 21]! >>> (w >>> 16))) & 1) !== 0) lastPass = i;
      }
      const r = denseRow[s]!;
      s = r >= 0 ? dense[r + t[i]!]! : this.sparseStep(s, t[i]!);
      const o = outAny[s]!;
      if (o >= 0) hits = this.report(o, i + 1, t, hits);
      // Every start the machine still tracks failed the filter: back to the root.
      if (lastPass + depth[s]! <= i) s = 0;
      i++;
    }
    // The last three positions have no full 4-byte window: run the machine plainly.
    for (let i = Math.max(stop, 0); i < n; i++) {
      const r = denseRow[s]!;
      s = r >= 0 ? dense[r + t[i]!]! : this.sparseStep(s, t[i]!);
      const o = outAny[s]!;
      if (o >= 0) hits = this.report(o, i + 1, t, hits);
    }
    return hits;
  }

  /** Goto with failure links from a sparse state; ends at a dense row at the latest. */
  private sparseStep(s: number, b: number): number {
    const { denseRow, dense, edgeStart, edgeByte, edgeNext, fail } = this.m;
    const c = FOLD[b]!;
    for (;;) {
      const r = denseRow[s]!;
      if (r >= 0) return dense[r + b]!;
      const end = edgeStart[s + 1]!;
      for (let e = edgeStart[s]!; e < end; e++) if (edgeByte[e] === c) return edgeNext[e]!;
      s = fail[s]!;
    }
  }

  /** Reports the patterns on state o's output chain that end at `end`. */
  private report(o: number, end: number, t: Uint8Array, hits: number): number {
    const { outStart, outList, caseSensitive, exact, dictLink } = this.m;
    const gen = this.gen;
    const patStamp = this.patStamp;
    const stateStamp = this.stateStamp;
    const chain = this.chain;
    let len = 0;
    for (let x = o; x >= 0 && stateStamp[x] !== gen; x = dictLink[x]!) {
      chain[len++] = x;
      const stop = outStart[x + 1]!;
      for (let k = outStart[x]!; k < stop; k++) {
        const p = outList[k]!;
        if (patStamp[p] === gen) continue;
        if (caseSensitive[p] === 1 && !exactAt(t, end, exact[p]!)) continue;
        patStamp[p] = gen;
        this.hitPattern[hits] = p;
        this.hitEnd[hits] = end;
        hits++;
      }
    }
    // Stamp states from the chain's end while everything after them is done,
    // so later visits stop early and output work stays linear.
    for (let q = len - 1; q >= 0; q--) {
      const x = chain[q]!;
      const stop = outStart[x + 1]!;
      for (let k = outStart[x]!; k < stop; k++) if (patStamp[outList[k]!] !== gen) return hits;
      stateStamp[x] = gen;
    }
    return hits;
  }
}

/** First position from i on whose 4-byte window passes the start filter, or stop. */
function skipToCandidate(
  t: Uint8Array,
  i: number,
  stop: number,
  f4: Uint32Array,
  f2: Uint32Array,
  shift: number,
): number {
  let w = (t[i]! << 16) | (t[i + 1]! << 8) | t[i + 2]!;
  for (; i < stop; i++) {
    w = (w << 8) | t[i + 3]!;
    const h = Math.imul(w, HASH_MUL) >>> shift;
    if ((((f4[h >>> 5]! >>> h) | (f2[w >>> 21]! >>> (w >>> 16))) & 1) !== 0) return i;
  }
  return stop;
}

function exactAt(t: Uint8Array, end: number, b: Uint8Array): boolean {
  const start = end - b.length;
  for (let i = 0; i < b.length; i++) if (t[start + i] !== b[i]) return false;
  return true;
}
