/**
 * Intrusive doubly linked lists over Flow objects: one ordered by last
 * activity (for bounded-table eviction), and one per timer class whose
 * deadlines are appended in non-decreasing order, so expiry only looks at heads.
 */
import type { Flow } from './flow.js';

export class LruList {
  head: Flow | null = null;
  tail: Flow | null = null;

  unlink(f: Flow): void {
    if (f.lruPrev) f.lruPrev.lruNext = f.lruNext;
    else if (this.head === f) this.head = f.lruNext;
    if (f.lruNext) f.lruNext.lruPrev = f.lruPrev;
    else if (this.tail === f) this.tail = f.lruPrev;
    f.lruPrev = f.lruNext = null;
  }

  /** Moves (or adds) `f` to the most-recent end. */
  touch(f: Flow): void {
    if (this.tail === f) return;
    this.unlink(f);
    f.lruPrev = this.tail;
    if (this.tail) this.tail.lruNext = f;
    else this.head = f;
    this.tail = f;
  }
}

export class TimerList {
  head: Flow | null = null;
  tail: Flow | null = null;
  /**
   * The head's deadline (+Infinity when empty), kept here so the per-packet
   * expiry check reads this list object instead of a far-away Flow.
   */
  headDeadline = Number.POSITIVE_INFINITY;

  unlink(f: Flow): void {
    if (f.tPrev) f.tPrev.tNext = f.tNext;
    else if (this.head === f) {
      this.head = f.tNext;
      this.headDeadline = f.tNext ? f.tNext.deadline : Number.POSITIVE_INFINITY;
    }
    if (f.tNext) f.tNext.tPrev = f.tPrev;
    else if (this.tail === f) this.tail = f.tPrev;
    f.tPrev = f.tNext = null;
  }

  /** Adds `f` (its `deadline` already set, not before the tail's) at the end. */
  append(f: Flow): void {
    f.tPrev = this.tail;
    f.tNext = null;
    if (this.tail) this.tail.tNext = f;
    else {
      this.head = f;
      this.headDeadline = f.deadline;
    }
    this.tail = f;
  }
}
