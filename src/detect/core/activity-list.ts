/**
 * Entries in activity order, oldest first: a doubly linked list threaded
 * through the entries themselves. Used instead of a Map's insertion order,
 * because re-inserting into a Map on every touch leaves holes that each scan
 * from its start must skip, so expiry cost grew with the table.
 */

/** The two links an entry carries. */
export interface ActivityNode<T> {
  older: T | undefined;
  younger: T | undefined;
}

/**
 * @example
 * const list = new ActivityList<Entry>();
 * list.append(e); list.touch(e);
 * while (list.oldest && list.oldest.last < cutoff) drop(list.oldest);
 */
export class ActivityList<T extends ActivityNode<T>> {
  oldest: T | undefined = undefined;
  youngest: T | undefined = undefined;

  /** Takes `n` out of the list. */
  unlink(n: T): void {
    if (n.older) n.older.younger = n.younger;
    else this.oldest = n.younger;
    if (n.younger) n.younger.older = n.older;
    else this.youngest = n.older;
    n.older = undefined;
    n.younger = undefined;
  }

  /** Puts `n` (not in the list) at the young end. */
  append(n: T): void {
    n.older = this.youngest;
    n.younger = undefined;
    if (this.youngest) this.youngest.younger = n;
    else this.oldest = n;
    this.youngest = n;
  }

  /** Moves `n` (in the list) to the young end. */
  touch(n: T): void {
    if (n === this.youngest) return;
    this.unlink(n);
    this.append(n);
  }
}
