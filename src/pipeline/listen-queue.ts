/**
 * The bounded queue between the live collectors and the store. One writer
 * loop takes everything queued and hands it to `store.writeEvents`; while the
 * store is busy the queue fills, and at `max` the collectors are told to hold
 * back (UDP drops and counts, TCP pauses its sockets) until it is half empty.
 */
import type { Event } from '../schema/event.js';
import type { ProblemLog } from '../schema/problem.js';
import type { Store } from '../store/store.js';
import type { QueueStats, StoreWriteStats } from './listen-stats.js';

export interface EventQueueOptions {
  store: Store;
  problems: ProblemLog;
  /** Most events held (waiting or being written); default 10,000. */
  max?: number;
  /** Below this many events the writer waits up to `lingerMs` for more (default 1,000). */
  minBatch?: number;
  /** Longest a small batch waits before it is written (default 200 ms). */
  lingerMs?: number;
}

export interface EventQueue {
  /** True while the queue holds `max` or more events: collectors must hold back. */
  readonly full: boolean;
  push(e: Event): void;
  /** Called whenever the queue falls to half of `max` after having been full. */
  onRoom(f: () => void): void;
  /** Writes everything queued, then waits until the store has committed it. */
  drain(): Promise<void>;
  queueStats(): QueueStats;
  readonly written: StoreWriteStats;
}

/**
 * Creates the queue; it starts writing as soon as events arrive.
 *
 * @example
 * const q = createEventQueue({ store, problems, max: 10_000 });
 * if (!q.full) q.push(event);
 * await q.drain();
 */
export function createEventQueue(opts: EventQueueOptions): EventQueue {
  const max = opts.max ?? 10_000;
  const minBatch = opts.minBatch ?? 1000;
  const lingerMs = opts.lingerMs ?? 200;
  if (!(max >= 1) || !(minBatch >= 1) || !(lingerMs >= 0)) throw new Error('createEventQueue: bad limits');
  const { store, problems } = opts;
  const low = Math.floor(max / 2);
  let pending: Event[] = [];
  let writing = 0;
  let full = false;
  let highWater = 0;
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let draining = false;
  const roomListeners: (() => void)[] = [];
  const written: StoreWriteStats = { batches: 0, events: 0, failed: 0 };

  const depth = () => pending.length + writing;

  function updateFull(): void {
    const d = depth();
    if (d > highWater) highWater = d;
    if (!full && d >= max) full = true;
    else if (full && d <= low) {
      full = false;
      for (const f of roomListeners) f();
    }
  }

  function kick(): void {
    if (loop || pending.length === 0) return;
    if (pending.length >= minBatch || draining) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      loop = writeLoop();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        if (!loop && pending.length > 0) loop = writeLoop();
      }, lingerMs);
    }
  }

  async function writeLoop(): Promise<void> {
    try {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        writing = batch.length;
        try {
          await store.writeEvents(batch);
          written.batches++;
          written.events += batch.length;
        } catch (err) {
          written.failed += batch.length;
          problems.add({
            stage: 'store',
            code: 'store.write-failed',
            message: `the store refused a batch of ${batch.length} events: ${(err as Error).message}`,
          });
        }
        writing = 0;
        updateFull();
        // Under light load, gather a bigger batch before the next write.
        if (!draining && pending.length < minBatch) break;
      }
    } finally {
      loop = undefined;
    }
    kick();
  }

  return {
    get full() {
      return full;
    },
    push(e) {
      pending.push(e);
      updateFull();
      if (!loop && (pending.length >= minBatch || !timer)) kick();
    },
    onRoom(f) {
      roomListeners.push(f);
    },
    async drain() {
      draining = true;
      try {
        for (;;) {
          if (loop) await loop;
          else if (pending.length > 0) kick();
          else break;
        }
        try {
          await store.flush();
        } catch (err) {
          problems.add({
            stage: 'store',
            code: 'store.write-failed',
            message: `the store failed to commit queued events: ${(err as Error).message}`,
          });
        }
      } finally {
        draining = false;
      }
    },
    queueStats: () => ({ depth: depth(), max, highWater }),
    written,
  };
}
