/**
 * A longest-prefix lookup over CIDR entries: the entries (nested or
 * disjoint, as CIDRs always are) are flattened once into sorted, disjoint
 * segments, each labelled with its innermost entry; a lookup is one binary
 * search over typed arrays, with no allocation for IPv4.
 */
import type { AddressRange } from './cidr.js';

export type IndexedEntry = AddressRange & {
  /** Index of the entry's label. */
  label: number;
  /** Lower wins when two entries cover exactly the same range. */
  rank: number;
};

export interface RangeIndex {
  /** Label index of the innermost entry covering the address, or -1. */
  find4(addr: number): number;
  /** Same over the 16 address bytes at `off`. */
  find6(b: Uint8Array, off?: number): number;
  readonly segments: number;
}

interface Segment<T> {
  start: T;
  end: T;
  label: number;
}

interface Span<T> {
  start: T;
  end: T;
  label: number;
  rank: number;
}

/**
 * Sorted disjoint segments, innermost entry winning (see the file comment).
 * Generic over number (IPv4) and bigint (IPv6); `next` is x + 1.
 */
function flatten<T extends number | bigint>(entries: Span<T>[], next: (x: T) => T): Segment<T>[] {
  const sorted = [...entries].sort((a, b) =>
    a.start !== b.start
      ? a.start < b.start
        ? -1
        : 1
      : a.end !== b.end
        ? a.end > b.end
          ? -1
          : 1
        : a.rank - b.rank,
  );
  const out: Segment<T>[] = [];
  /** Emits [start, end) — `stop` is one past the end — merging with the previous segment when contiguous. */
  const emit = (start: T, stop: T, label: number) => {
    if (start >= stop) return;
    const last = out[out.length - 1];
    if (last && last.label === label && next(last.end) === start) last.end = prev(stop);
    else out.push({ start, end: prev(stop), label });
  };
  // Only ever called on a stop > start, so it never goes below the type's zero.
  const prev = (x: T): T => (typeof x === 'bigint' ? ((x - 1n) as T) : (((x as number) - 1) as T));
  const stack: Span<T>[] = [];
  let cursor: T | undefined;
  for (const e of sorted) {
    while (stack.length > 0 && stack[stack.length - 1]!.end < e.start) {
      const top = stack.pop()!;
      emit(cursor!, next(top.end), top.label);
      cursor = next(top.end);
    }
    const top = stack[stack.length - 1];
    // The same range again (another list, or a duplicate line): the first ranked one stays.
    if (top && top.start === e.start && top.end === e.end) continue;
    if (top) emit(cursor!, e.start, top.label);
    cursor = e.start;
    stack.push(e);
  }
  while (stack.length > 0) {
    const top = stack.pop()!;
    emit(cursor!, next(top.end), top.label);
    cursor = next(top.end);
  }
  return out;
}

/**
 * @example
 * const idx = buildRangeIndex([{ family: 4, start: 0x0a000000, end: 0x0affffff, prefix: 8, label: 0, rank: 0 }]);
 * idx.find4(0x0a000001) // 0
 */
export function buildRangeIndex(entries: IndexedEntry[]): RangeIndex {
  const v4 = flatten(
    entries.flatMap((e) => (e.family === 4 ? [e] : [])),
    (x: number) => x + 1,
  );
  const v6 = flatten(
    entries.flatMap((e) => (e.family === 6 ? [e] : [])),
    (x: bigint) => x + 1n,
  );
  const s4 = new Float64Array(v4.length);
  const e4 = new Float64Array(v4.length);
  const l4 = new Int32Array(v4.length);
  v4.forEach((s, i) => {
    s4[i] = s.start;
    e4[i] = s.end;
    l4[i] = s.label;
  });
  // IPv6 bounds as four 32-bit words each, compared word by word.
  const s6 = new Uint32Array(v6.length * 4);
  const e6 = new Uint32Array(v6.length * 4);
  const l6 = new Int32Array(v6.length);
  const words = (v: bigint, into: Uint32Array, at: number) => {
    for (let w = 0; w < 4; w++) into[at + w] = Number((v >> BigInt(96 - 32 * w)) & 0xffffffffn);
  };
  v6.forEach((s, i) => {
    words(s.start, s6, i * 4);
    words(s.end, e6, i * 4);
    l6[i] = s.label;
  });
  const key = new Uint32Array(4);
  /** -1, 0, 1 as `key` is below, inside, or above words [at, at+4) of `arr`. */
  const cmp = (arr: Uint32Array, at: number) => {
    for (let w = 0; w < 4; w++) {
      const a = key[w]!;
      const b = arr[at + w]!;
      if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
  };
  return {
    find4(addr) {
      let lo = 0;
      let hi = s4.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (addr < s4[mid]!) hi = mid - 1;
        else if (addr > e4[mid]!) lo = mid + 1;
        else return l4[mid]!;
      }
      return -1;
    },
    find6(b, off = 0) {
      for (let w = 0; w < 4; w++)
        key[w] =
          ((b[off + 4 * w]! << 24) |
            (b[off + 4 * w + 1]! << 16) |
            (b[off + 4 * w + 2]! << 8) |
            b[off + 4 * w + 3]!) >>>
          0;
      let lo = 0;
      let hi = l6.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(s6, mid * 4) < 0) hi = mid - 1;
        else if (cmp(e6, mid * 4) > 0) lo = mid + 1;
        else return l6[mid]!;
      }
      return -1;
    },
    get segments() {
      return v4.length + v6.length;
    },
  };
}
