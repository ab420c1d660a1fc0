/**
 * Per-key detector state with a memory budget and expiry by inactivity, in
 * event time. Keys are touched in arrival order; a Map keeps them oldest
 * first, so expiry and eviction walk from the front. When the budget is
 * reached the least recently active state is handed to `onExpire` with the
 * reason 'budget' (so a detector can still report what it held) and counted.
 */

import { ActivityList } from './activity-list.js';

/** Bytes charged per entry for the key, the Map slot and the entry object. */
const ENTRY_OVERHEAD = 160;

export type ExpireReason = 'idle' | 'budget' | 'end';

export interface StateTableOptions<S> {
  /** State idle longer than this (event-time seconds) expires. */
  idleSeconds: number;
  /** Upper bound on the bytes held (entries' `sizeOf` plus overhead). */
  budgetBytes: number;
  /** Approximate heap bytes of one state; called when an entry is touched. */
  sizeOf(state: S): number;
  /** Called once for every state that leaves the table. */
  onExpire(key: string, state: S, reason: ExpireReason): void;
}

export interface StateTableStats {
  /** States held now, and their charged bytes. */
  held: number;
  bytes: number;
  /** States that left because the budget was reached (not by inactivity). */
  evicted: number;
  /** States that expired by inactivity. */
  expired: number;
  /** Highest `bytes` reached. */
  peakBytes: number;
}

export interface StateTable<S> {
  /**
   * The state for `key`, created by `make` when absent; marks it active at
   * `ts`. Call `touched` after changing it so its size is recounted.
   */
  get(key: string, ts: number, make: () => S): S;
  /** Recounts the size of the state last returned by `get` for `key`, then enforces the budget. */
  touched(key: string): void;
  /** Expires every state idle for longer than idleSeconds before `now`. */
  advance(now: number): void;
  /** Hands every state still held to onExpire with reason 'end'. */
  drain(): void;
  /** Iterates the states held (oldest activity first), e.g. for cross-source views. */
  entries(): IterableIterator<[string, S]>;
  stats(): StateTableStats;
}

interface Entry<S> {
  key: string;
  state: S;
  last: number;
  bytes: number;
  /** Activity order (see ActivityList). */
  older: Entry<S> | undefined;
  younger: Entry<S> | undefined;
}

/**
 * @example
 * const t = createStateTable<{ n: number }>({ idleSeconds: 600, budgetBytes: 1 << 20,
 *   sizeOf: () => 16, onExpire: (k, s) => console.log(k, s.n) });
 * t.get('10.0.0.1', 1000, () => ({ n: 0 })).n++;
 */
export function createStateTable<S>(opts: StateTableOptions<S>): StateTable<S> {
  const map = new Map<string, Entry<S>>();
  const order = new ActivityList<Entry<S>>();
  let bytes = 0;
  let peakBytes = 0;
  let evicted = 0;
  let expired = 0;
  let watermark = Number.NEGATIVE_INFINITY;

  const remove = (e: Entry<S>, reason: ExpireReason) => {
    order.unlink(e);
    map.delete(e.key);
    bytes -= e.bytes;
    if (reason === 'budget') evicted++;
    else if (reason === 'idle') expired++;
    opts.onExpire(e.key, e.state, reason);
  };

  const enforceBudget = (keep: Entry<S>) => {
    let e = order.oldest;
    while (bytes > opts.budgetBytes && e) {
      const younger = e.younger;
      if (e !== keep) remove(e, 'budget');
      e = younger;
    }
  };

  const size = (key: string, state: S) => ENTRY_OVERHEAD + key.length * 2 + opts.sizeOf(state);

  return {
    get(key, ts, make) {
      if (ts > watermark) watermark = ts;
      let e = map.get(key);
      if (e) {
        order.touch(e);
        if (ts > e.last) e.last = ts;
        return e.state;
      }
      const state = make();
      e = { key, state, last: ts, bytes: size(key, state), older: undefined, younger: undefined };
      map.set(key, e);
      order.append(e);
      bytes += e.bytes;
      enforceBudget(e);
      if (bytes > peakBytes) peakBytes = bytes;
      return state;
    },
    touched(key) {
      const e = map.get(key);
      if (!e) return;
      const now = size(key, e.state);
      bytes += now - e.bytes;
      e.bytes = now;
      enforceBudget(e);
      if (bytes > peakBytes) peakBytes = bytes;
    },
    advance(now) {
      if (now > watermark) watermark = now;
      const cutoff = watermark - opts.idleSeconds;
      // Activity order is only approximate when inputs are not time-sorted: stop at the first live entry.
      while (order.oldest && order.oldest.last < cutoff) remove(order.oldest, 'idle');
    },
    drain() {
      while (order.oldest) remove(order.oldest, 'end');
    },
    entries: function* () {
      for (let e = order.oldest; e; e = e.younger) yield [e.key, e.state] as [string, S];
    },
    stats: () => ({ held: map.size, bytes, evicted, expired, peakBytes }),
  };
}
