/**
 * One file's bytes put back in place from writes or reads that may arrive out
 * of order. `tx.data` is always the gap-free prefix from offset 0: bytes after
 * a hole wait until the hole fills (and are given up, marked truncated, if it
 * never does). Memory: one buffer grown on demand up to `maxBytes`, plus at
 * most MAX_EXTENTS remembered ranges past the prefix.
 */
import type { FileTx } from '../../../schema/app-tx.js';

/** Ranges held past the first hole; more pieces than this are dropped and counted. */
const MAX_EXTENTS = 64;
const EMPTY = new Uint8Array(0);

export class FileAssembly {
  readonly tx: FileTx;
  private buf: Uint8Array = EMPTY;
  private prefix = 0;
  /** Known byte ranges past the prefix: flat sorted [start, end) pairs, merged. */
  private readonly extents: number[] = [];
  /** Bytes given up: beyond maxBytes, or pieces that did not fit the extent list. */
  droppedBytes = 0;

  constructor(
    proto: string,
    id: number,
    name: Uint8Array,
    toServer: boolean,
    private readonly maxBytes: number,
  ) {
    this.tx = { proto, id, name, toServer, data: EMPTY, truncated: false, done: false };
  }

  /**
   * Places `bytes` at file offset `offset`. Returns true when the gap-free
   * prefix (tx.data) grew, so the caller can report new data.
   *
   * @example
   * const f = new FileAssembly('smb', 0, name, true, 1 << 20);
   * f.put(4, bytes.subarray(4)); // false: bytes 0..3 still missing
   * f.put(0, bytes.subarray(0, 4)); // true: tx.data now holds all of bytes
   */
  put(offset: number, bytes: Uint8Array): boolean {
    const max = this.maxBytes;
    let len = bytes.length;
    if (len === 0) return false;
    if (offset >= max) {
      this.dropped(len);
      return false;
    }
    if (offset + len > max) {
      this.dropped(offset + len - max);
      len = max - offset;
    }
    const end = offset + len;
    if (offset > this.prefix && !this.remember(offset, end)) {
      this.dropped(len);
      return false;
    }
    this.reserve(end);
    this.buf.set(len === bytes.length ? bytes : bytes.subarray(0, len), offset);
    if (offset > this.prefix || end <= this.prefix) return false;
    this.prefix = end;
    this.absorbExtents();
    this.tx.data = this.buf.subarray(0, this.prefix);
    return true;
  }

  /** Marks the file complete; a hole left before later bytes makes it truncated. */
  finish(): void {
    if (this.extents.length > 0) {
      for (let i = 0; i < this.extents.length; i += 2)
        this.droppedBytes += this.extents[i + 1]! - this.extents[i]!;
      this.extents.length = 0;
      this.tx.truncated = true;
    }
    this.tx.done = true;
  }

  private dropped(n: number): void {
    this.droppedBytes += n;
    this.tx.truncated = true;
  }

  private reserve(end: number): void {
    if (end <= this.buf.length) return;
    let cap = this.buf.length === 0 ? Math.max(4096, end) : this.buf.length * 2;
    if (cap < end) cap = end;
    if (cap > this.maxBytes) cap = this.maxBytes;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, Math.max(this.prefix, this.extentEnd())));
    this.buf = next;
    this.tx.data = next.subarray(0, this.prefix);
  }

  private extentEnd(): number {
    const e = this.extents;
    return e.length > 0 ? e[e.length - 1]! : 0;
  }

  /** Adds [start, end) to the sorted extent list, merging neighbours; false when the list is full. */
  private remember(start: number, end: number): boolean {
    const e = this.extents;
    let i = 0;
    while (i < e.length && e[i + 1]! < start) i += 2;
    if (i < e.length && e[i]! <= end) {
      // Overlaps or touches e[i]: widen it, then swallow the ranges it now reaches.
      if (start < e[i]!) e[i] = start;
      if (end > e[i + 1]!) e[i + 1] = end;
      let j = i + 2;
      while (j < e.length && e[j]! <= e[i + 1]!) {
        if (e[j + 1]! > e[i + 1]!) e[i + 1] = e[j + 1]!;
        j += 2;
      }
      e.splice(i + 2, j - i - 2);
      return true;
    }
    if (e.length >= MAX_EXTENTS * 2) return false;
    e.splice(i, 0, start, end);
    return true;
  }

  /** Moves extents that now touch the prefix into it. */
  private absorbExtents(): void {
    const e = this.extents;
    let k = 0;
    while (k < e.length && e[k]! <= this.prefix) {
      if (e[k + 1]! > this.prefix) this.prefix = e[k + 1]!;
      k += 2;
    }
    if (k > 0) e.splice(0, k);
  }
}
