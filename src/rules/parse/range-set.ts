/**
 * Set algebra over inclusive bigint ranges, used at load time to compile
 * address and port specs (lists, negation, variables) into disjoint ranges.
 */

export type BigRange = [bigint, bigint];

/** Sorts and merges overlapping or adjacent ranges. */
export function normalize(ranges: BigRange[]): BigRange[] {
  if (ranges.length < 2) return ranges.map((r) => [r[0], r[1]]);
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: BigRange[] = [[sorted[0]![0], sorted[0]![1]]];
  for (let i = 1; i < sorted.length; i++) {
    const r = sorted[i]!;
    const last = out[out.length - 1]!;
    if (r[0] <= last[1] + 1n) {
      if (r[1] > last[1]) last[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}

/** The ranges of `a` with every value in `b` removed; both normalized. */
export function subtract(a: BigRange[], b: BigRange[]): BigRange[] {
  const out: BigRange[] = [];
  for (const r of a) {
    let pieces: BigRange[] = [[r[0], r[1]]];
    for (const s of b) {
      if (s[1] < r[0] || s[0] > r[1]) continue;
      const next: BigRange[] = [];
      for (const p of pieces) {
        if (s[1] < p[0] || s[0] > p[1]) {
          next.push(p);
          continue;
        }
        if (s[0] > p[0]) next.push([p[0], s[0] - 1n]);
        if (s[1] < p[1]) next.push([s[1] + 1n, p[1]]);
      }
      pieces = next;
      if (pieces.length === 0) break;
    }
    out.push(...pieces);
  }
  return out;
}

/** Everything in [0, max] not in `a`. */
export function complement(a: BigRange[], max: bigint): BigRange[] {
  return subtract([[0n, max]], a);
}
