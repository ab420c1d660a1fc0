/**
 * The budgeted state table as the scan detectors use it: per-key state in
 * event time that is reported when it leaves (idle, budget, end of input) or
 * when it has been open longer than `maxSpanSeconds` (then it is reported
 * and started afresh, so a source that never pauses is still reported now
 * and then and its counts stay within a window).
 */
import type { DetectorStats } from '../core/detector.js';
import { createStateTable, type ExpireReason } from '../core/state-table.js';

export type CloseReason = ExpireReason | 'span';

export interface ScanTableOptions<S> {
  idleSeconds: number;
  maxSpanSeconds: number;
  budgetBytes: number;
  make(): S;
  sizeOf(state: S): number;
  /** Called once for every state that closes, with why. */
  onClose(key: string, state: S, reason: CloseReason): void;
}

export interface ScanTable<S> {
  /** The state for `key` at event time `ts` (created, or restarted when its span ran out). Call `touched` after changing it. */
  get(key: string, ts: number): S;
  touched(key: string): void;
  advance(now: number): void;
  finish(): void;
  /** Detector stats; `findings` is filled in by the caller. */
  stats(findings: number): DetectorStats;
}

/** Bytes charged for the slot object that lets a state be restarted in place. */
const SLOT_BYTES = 32;

interface Slot<S> {
  state: S;
  first: number;
}

/** @example const t = createScanTable({ idleSeconds: 900, maxSpanSeconds: 3600, budgetBytes, make, sizeOf, onClose }); */
export function createScanTable<S>(opts: ScanTableOptions<S>): ScanTable<S> {
  const table = createStateTable<Slot<S>>({
    idleSeconds: opts.idleSeconds,
    budgetBytes: opts.budgetBytes,
    sizeOf: (slot) => SLOT_BYTES + opts.sizeOf(slot.state),
    onExpire: (key, slot, reason) => {
      if (slot === lastSlot) lastSlot = undefined;
      opts.onClose(key, slot.state, reason);
    },
  });
  let lastAdvance = Number.NEGATIVE_INFINITY;
  // The key asked for last: a burst of one source's contacts skips the table's LRU move while
  // its activity time would move by less than a second.
  let lastKey = '';
  let lastSlot: Slot<S> | undefined;
  let lastTs = Number.NEGATIVE_INFINITY;
  const make = (): Slot<S> => ({ state: opts.make(), first: Number.NaN });

  return {
    get(key, ts) {
      // Expiry runs against the data's clock; once a second of event time is enough.
      if (ts > lastAdvance + 1) {
        lastAdvance = ts;
        table.advance(ts);
      }
      let slot: Slot<S>;
      if (lastSlot && key === lastKey && ts >= lastTs && ts - lastTs < 1) slot = lastSlot;
      else {
        slot = table.get(key, ts, make);
        lastKey = key;
        lastSlot = slot;
        lastTs = ts;
      }
      if (Number.isNaN(slot.first)) slot.first = ts;
      else if (ts - slot.first >= opts.maxSpanSeconds) {
        opts.onClose(key, slot.state, 'span');
        slot.state = opts.make();
        slot.first = ts;
      } else if (ts < slot.first) slot.first = ts;
      return slot.state;
    },
    touched: (key) => table.touched(key),
    advance(now) {
      if (now > lastAdvance) lastAdvance = now;
      table.advance(now);
    },
    finish() {
      table.drain();
    },
    stats(findings) {
      const s = table.stats();
      return { held: s.held, bytes: s.bytes, peakBytes: s.peakBytes, evicted: s.evicted, findings };
    },
  };
}
