/**
 * Interns flowbit/flowint/xbit names to small integers so per-flow state is
 * a few typed arrays instead of string-keyed maps. Names come from the
 * ruleset, so the table is small; the limit still holds if something feeds
 * it names from elsewhere, and refusals are counted.
 */

export interface NameTable {
  /** The index of name, interning it; -1 when the table is full. */
  index(name: string): number;
  readonly size: number;
  readonly refused: number;
}

/**
 * @example
 * const t = createNameTable(2); t.index('a') // 0; t.index('b') // 1; t.index('a') // 0; t.index('c') // -1
 */
export function createNameTable(max: number): NameTable {
  const ids = new Map<string, number>();
  let refused = 0;
  return {
    index(name) {
      const id = ids.get(name);
      if (id !== undefined) return id;
      if (ids.size >= max) {
        refused++;
        return -1;
      }
      ids.set(name, ids.size);
      return ids.size - 1;
    },
    get size() {
      return ids.size;
    },
    get refused() {
      return refused;
    },
  };
}
