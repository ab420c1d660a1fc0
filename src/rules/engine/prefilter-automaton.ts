/**
 * The byte automaton behind the prefilter: an Aho-Corasick machine over
 * ASCII-folded bytes, guarded by a start filter so that most positions cost a
 * hash and two bit tests and never touch the automaton.
 *
 * Start filter: F(j) says "some pattern may start at j". Patterns of 4+ bytes
 * set a bit for the hash of their first 4 bytes; 2–3 byte patterns set a bit
 * for their first 2 bytes in a 64 Ki-bit table; 1-byte patterns set their
 * whole 256-entry row there (nocase patterns: every case spelling, so the
 * filter reads raw bytes). While the automaton sits at the root, a
 * position with F(j) = 0 is skipped. Once running, the automaton drops back
 * to the root as soon as every start it is still tracking (the last `depth`
 * positions) had F = 0, since none of them can begin a match. Each byte is
 * looked at once by the filter and at most once by the automaton (failure
 * links amortise), so the scan is linear in the input whatever it contains.
 *
 * Case: the machine runs on folded bytes (A–Z → a–z); a case-sensitive
 * pattern is re-checked against the exact bytes when it is reported.
 */

/** ASCII lower-casing table: the machine's alphabet. */
export const FOLD: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;
  return t;
})();

export interface MatcherPattern {
  bytes: Uint8Array;
  nocase: boolean;
}

export interface MatcherOptions {
  /** States at or above this depth get full 256-entry rows (default 1: root and depth-1). */
  denseDepth?: number;
  /** Upper bound on dense rows (each 1 KiB); beyond it states stay sparse. */
  maxDenseRows?: number;
  /** false: no start filter (every position runs the machine); for measurements only. */
  startFilter?: boolean;
}

/** Compiled machine: plain typed arrays, no objects per state. */
export interface Matcher {
  patternCount: number;
  stateCount: number;
  /** log2 of the 4-byte filter's size in bits. */
  filterBits: number;
  filter4: Uint32Array;
  filter2: Uint32Array;
  depth: Uint8Array;
  fail: Int32Array;
  /** Dense row index per state, or -1. */
  denseRow: Int32Array;
  dense: Int32Array;
  edgeStart: Int32Array;
  edgeByte: Uint8Array;
  edgeNext: Int32Array;
  /** First state on the output chain of this state (itself or a dictionary suffix), or -1. */
  outAny: Int32Array;
  /** Next state with output along the failure chain, or -1. */
  dictLink: Int32Array;
  /** Patterns ending at a state: outStart[s]..outStart[s+1] into outList. */
  outStart: Int32Array;
  outList: Int32Array;
  /** Per pattern: 1 when it needs an exact-case check. */
  caseSensitive: Uint8Array;
  /** Per pattern: its exact bytes, for the case check. */
  exact: Uint8Array[];
  memoryBytes: number;
}

export const HASH_MUL = 0x9e3779b1 | 0;

/** Longest pattern the machine takes (depths are bytes); callers truncate. */
export const MAX_MATCHER_PATTERN = 255;

/**
 * Builds the machine. Empty patterns are ignored; patterns past 255 bytes are a
 * programmer error (the prefilter truncates them first).
 * @example const m = buildMatcher([{ bytes: Buffer.from('abc'), nocase: true }]);
 */
export function buildMatcher(patterns: readonly MatcherPattern[], opts: MatcherOptions = {}): Matcher {
  const denseDepth = opts.denseDepth ?? 1;
  const maxDenseRows = opts.maxDenseRows ?? 4096;
  // Trie over folded bytes; children in a map keyed by state * 256 + byte.
  const child = new Map<number, number>();
  const parents: number[] = [-1];
  const depths: number[] = [0];
  const ends: number[][] = [[]];
  let long4 = 0;
  for (let p = 0; p < patterns.length; p++) {
    const b = patterns[p]!.bytes;
    if (b.length === 0) continue;
    if (b.length > MAX_MATCHER_PATTERN)
      throw new Error(`buildMatcher: pattern ${p} is ${b.length} bytes (max ${MAX_MATCHER_PATTERN})`);
    if (b.length >= 4) long4++;
    let s = 0;
    for (let i = 0; i < b.length; i++) {
      const key = s * 256 + FOLD[b[i]!]!;
      let n = child.get(key);
      if (n === undefined) {
        n = parents.length;
        parents.push(s);
        depths.push(i + 1);
        ends.push([]);
        child.set(key, n);
      }
      s = n;
    }
    ends[s]!.push(p);
  }
  const states = parents.length;

  // Children as compressed rows, sorted by byte.
  const edgeStart = new Int32Array(states + 1);
  for (const key of child.keys()) edgeStart[Math.floor(key / 256) + 1]!++;
  for (let s = 0; s < states; s++) edgeStart[s + 1]! += edgeStart[s]!;
  const edgeByte = new Uint8Array(child.size);
  const edgeNext = new Int32Array(child.size);
  const fill = edgeStart.slice(0, states);
  for (const [key, n] of [...child].sort((a, b) => a[0] - b[0])) {
    const s = Math.floor(key / 256);
    const at = fill[s]!++;
    edgeByte[at] = key % 256;
    edgeNext[at] = n;
  }

  // Breadth-first: failure links, dense rows, output chains.
  const depth = Uint8Array.from(depths);
  const fail = new Int32Array(states);
  const denseRow = new Int32Array(states).fill(-1);
  const rows: Int32Array[] = [];
  const outAny = new Int32Array(states).fill(-1);
  const dictLink = new Int32Array(states).fill(-1);
  const order = new Int32Array(states);
  let head = 0;
  let tail = 1;
  order[0] = 0;
  const goto = (s: number, c: number): number => {
    for (;;) {
      const r = denseRow[s]!;
      if (r >= 0) return rows[r]![c]!;
      const e = findEdge(edgeStart, edgeByte, s, c);
      if (e >= 0) return edgeNext[e]!;
      s = fail[s]!;
    }
  };
  while (head < tail) {
    const s = order[head++]!;
    for (let e = edgeStart[s]!; e < edgeStart[s + 1]!; e++) {
      const n = edgeNext[e]!;
      fail[n] = s === 0 ? 0 : goto(fail[s]!, edgeByte[e]!);
      order[tail++] = n;
    }
    if (s !== 0) {
      const f = fail[s]!;
      dictLink[s] = ends[f]!.length > 0 ? f : dictLink[f]!;
    }
    outAny[s] = ends[s]!.length > 0 ? s : dictLink[s]!;
    if (depth[s]! <= denseDepth && rows.length < maxDenseRows) {
      // Parents come first in BFS order, so fail[s]'s row (if dense) exists.
      const row = new Int32Array(256);
      for (let c = 0; c < 256; c++) {
        const e = findEdge(edgeStart, edgeByte, s, c);
        row[c] = e >= 0 ? edgeNext[e]! : s === 0 ? 0 : goto(fail[s]!, c);
      }
      // Upper-case input bytes follow their lower-case edge.
      for (let c = 0x41; c <= 0x5a; c++) row[c] = row[c + 0x20]!;
      denseRow[s] = rows.length;
      rows.push(row);
    }
  }
  const dense = new Int32Array(rows.length * 256);
  for (let r = 0; r < rows.length; r++) dense.set(rows[r]!, r * 256);
  for (let s = 0; s < states; s++) if (denseRow[s]! >= 0) denseRow[s] = denseRow[s]! * 256;

  const outStart = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) outStart[s + 1] = outStart[s]! + ends[s]!.length;
  const outList = new Int32Array(outStart[states]!);
  for (let s = 0; s < states; s++) outList.set(ends[s]!, outStart[s]!);

  // Start filter.
  const filterBits = Math.max(12, Math.min(21, Math.ceil(Math.log2(Math.max(1, long4) * 32))));
  const filter4 = new Uint32Array((1 << filterBits) >>> 5);
  const filter2 = new Uint32Array(2048);
  const caseSensitive = new Uint8Array(patterns.length);
  const exact: Uint8Array[] = [];
  for (let p = 0; p < patterns.length; p++) {
    const { bytes: b, nocase } = patterns[p]!;
    exact.push(b);
    caseSensitive[p] = !nocase && hasLetters(b) ? 1 : 0;
    // The filter reads raw bytes (no fold per byte while skipping), so a nocase
    // prefix sets a bit for each of its case variants (at most 16).
    if (b.length >= 4) {
      for (const w of caseVariants(b, 4, nocase)) {
        const h = Math.imul(w, HASH_MUL) >>> (32 - filterBits);
        filter4[h >>> 5]! |= 1 << (h & 31);
      }
    } else if (b.length >= 2) {
      for (const k of caseVariants(b, 2, nocase)) filter2[k >>> 5]! |= 1 << (k & 31);
    } else if (b.length === 1) {
      // Any second byte: the whole row of this first byte.
      for (const k of caseVariants(b, 1, nocase)) filter2.fill(0xffffffff, k << 3, (k + 1) << 3);
    }
  }
  if (opts.startFilter === false) filter2.fill(0xffffffff);

  const arrays = [filter4, filter2, depth, fail, denseRow, dense, edgeStart, edgeByte, edgeNext];
  let memoryBytes = 0;
  for (const a of [...arrays, outAny, dictLink, outStart, outList, caseSensitive])
    memoryBytes += a.byteLength;
  return {
    patternCount: patterns.length,
    stateCount: states,
    filterBits,
    filter4,
    filter2,
    depth,
    fail,
    denseRow,
    dense,
    edgeStart,
    edgeByte,
    edgeNext,
    outAny,
    dictLink,
    outStart,
    outList,
    caseSensitive,
    exact,
    memoryBytes,
  };
}

/** The first `n` bytes as a big-endian int, in every ASCII case spelling when nocase. */
function caseVariants(b: Uint8Array, n: number, nocase: boolean): number[] {
  let keys = [0];
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    const lower = FOLD[c]!;
    const isLetter = lower >= 0x61 && lower <= 0x7a;
    const spellings = nocase && isLetter ? [lower, lower - 0x20] : [c];
    keys = keys.flatMap((k) => spellings.map((x) => (k << 8) | x | 0));
  }
  return keys;
}

function hasLetters(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++)
    if (FOLD[b[i]!] !== b[i]! || (b[i]! >= 0x61 && b[i]! <= 0x7a)) return true;
  return false;
}

function findEdge(edgeStart: Int32Array, edgeByte: Uint8Array, s: number, c: number): number {
  const end = edgeStart[s + 1]!;
  for (let e = edgeStart[s]!; e < end; e++) if (edgeByte[e] === c) return e;
  return -1;
}
