/**
 * Per-key detector state with a memory budget and expiry by inactivity, in
 * event time. Keys are touched in arrival order; a Map keeps them oldest
 * first, so expiry and eviction walk from the front. When the budget is
 * reached the least recently active state is handed to `onExpire` with the
 * reason 'budget' (so a detector can still report what it held) and counted.
 */

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
  state: S;
  last: number;
  bytes: number;
}

/**
 * @example
 * const t = createStateTable<{ n: number }>({ idleSeconds: 600, budgetBytes: 1 << 20,
 *   sizeOf: () => 16, onExpire: (k, s) => console.log(k, s.n) });
 * t.get('10.0.0.1', 1000, () => ({ n: 0 })).n++;
 */
export function createStateTable<S>(opts: StateTableOptions<S>): StateTable<S> {
  const map = new Map<string, Entry<S>>();
  let bytes = 0;
  let peakBytes = 0;
  let evicted = 0;
  let expired = 0;
  let watermark = Number.NEGATIVE_INFINITY;

  const remove = (key: string, e: Entry<S>, reason: ExpireReason) => {
    map.delete(key);
    bytes -= e.bytes;
    if (reason === 'budget') evicted++;
    else if (reason === 'idle') expired++;
    opts.onExpire(key, e.state, reason);
  };

  const enforceBudget = (keep: string) => {
    if (bytes <= opts.budgetBytes) return;
    for (const [k, e] of map) {
      if (bytes <= opts.budgetBytes) break;
      if (k === keep) continue;
      remove(k, e, 'budget');
    }
  };

  const table: StateTable<S> = {
    get(key, ts, make) {
      if (ts > watermark) watermark = ts;
      let e = map.get(key);
      if (e) {
        // Move to the back: Map order is activity order.
        map.delete(key);
        map.set(key, e);
        if (ts > e.last) e.last = ts;
        return e.state;
      }
      const state = make();
      e = { state, last: ts, bytes: ENTRY_OVERHEAD + key.length * 2 + opts.sizeOf(state) };
      map.set(key, e);
      bytes += e.bytes;
      enforceBudget(key);
      if (bytes > peakBytes) peakBytes = bytes;
      return state;
    },
    touched(key) {
      const e = map.get(key);
      if (!e) return;
      const now = ENTRY_OVERHEAD + key.length * 2 + opts.sizeOf(e.state);
      bytes += now - e.bytes;
      e.bytes = now;
      enforceBudget(key);
      if (bytes > peakBytes) peakBytes = bytes;
    },
    advance(now) {
      if (now > watermark) watermark = now;
      const cutoff = watermark - opts.idleSeconds;
      for (const [k, e] of map) {
        // Activity order is only approximate when inputs are not time-sorted: stop at the first live entry.
        if (e.last >= cutoff) break;
        remove(k, e, 'idle');
      }
    },
    drain() {
      for (const [k, e] of map) remove(k, e, 'end');
    },
    entries: function* () {
      for (const [k, e] of map) yield [k, e.state] as [string, S];
    },
    stats: () => ({ held: map.size, bytes, evicted, expired, peakBytes }),
  };
  return table;
}
