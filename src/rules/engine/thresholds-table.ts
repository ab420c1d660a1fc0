/**
 * A bounded map with least-recently-used eviction, for threshold trackers
 * and xbits hosts: attacker traffic chooses the keys (addresses, flows), so
 * the table never grows past its limit and counts what it pushed out.
 */

export interface LruTable<V> {
  /** The value for key, marked as most recently used; undefined when absent. */
  get(key: string): V | undefined;
  /** Inserts or replaces; evicts the least recently used entry when full. */
  set(key: string, value: V): void;
  delete(key: string): boolean;
  readonly size: number;
  /** Entries pushed out by the limit so far. */
  readonly evictions: number;
  readonly max: number;
  /** Iterates oldest first (for sweeps); do not modify while iterating. */
  entries(): IterableIterator<[string, V]>;
}

/**
 * @example
 * const t = createLruTable<number>(2); t.set('a', 1); t.set('b', 2); t.get('a'); t.set('c', 3);
 * // 'b' was evicted: t.get('b') === undefined, t.evictions === 1
 */
export function createLruTable<V>(max: number): LruTable<V> {
  if (!Number.isInteger(max) || max < 1)
    throw new Error(`LRU table limit must be a positive integer, got ${max}`);
  // A Map iterates in insertion order; re-inserting on use keeps the oldest first.
  const map = new Map<string, V>();
  let evictions = 0;
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, value) {
      if (map.has(key)) map.delete(key);
      else if (map.size >= max) {
        const oldest = map.keys().next().value as string;
        map.delete(oldest);
        evictions++;
      }
      map.set(key, value);
    },
    delete: (key) => map.delete(key),
    get size() {
      return map.size;
    },
    get evictions() {
      return evictions;
    },
    max,
    entries: () => map.entries(),
  };
}
