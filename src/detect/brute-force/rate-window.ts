/**
 * "N events within S seconds", for two windows at once, in a fixed ring of
 * the latest event times: N events fit in S seconds exactly when the newest
 * and the N-th newest are at most S apart. Memory is one Float64Array of the
 * larger N, whatever the attack's length.
 */
import type { RateWindow } from './config.js';

export interface WindowCrossing {
  /** Event time at which the window's count was first reached, NaN if never. */
  at: number;
  /** Seconds the first `count` events of that crossing took. */
  took: number;
}

export interface RateTracker {
  /** Records one event at `ts` (event time, seconds). */
  add(ts: number): void;
  /** Per window (in the order given): when it was first crossed. */
  readonly crossings: readonly WindowCrossing[];
  /** Events recorded. */
  readonly total: number;
  readonly bytes: number;
}

/**
 * @example
 * const r = createRateTracker([{ count: 5, seconds: 600 }, { count: 10, seconds: 10800 }]);
 * for (let i = 0; i < 5; i++) r.add(1000 + i);
 * r.crossings[0].at // 1004
 */
export function createRateTracker(windows: readonly RateWindow[]): RateTracker {
  let size = 1;
  for (const w of windows) if (w.count > size) size = w.count;
  const ring = new Float64Array(size);
  const crossings: WindowCrossing[] = windows.map(() => ({ at: Number.NaN, took: Number.NaN }));
  let total = 0;
  return {
    add(ts) {
      ring[total % size] = ts;
      total++;
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        const c = crossings[i]!;
        if (!Number.isNaN(c.at) || total < w.count) continue;
        const oldest = ring[(total - w.count) % size]!;
        // Inputs are only roughly time-ordered: the distance counts, not its sign.
        const span = Math.abs(ts - oldest);
        if (span <= w.seconds) {
          c.at = ts;
          c.took = span;
        }
      }
    },
    crossings,
    get total() {
      return total;
    },
    bytes: 64 + size * 8 + windows.length * 48,
  };
}
