/**
 * The storage behind one dataset: a byte-string hash set with a 16-bit value
 * per entry (the datarep reputation), kept in one growing arena plus an
 * open-addressing index, so a million entries cost tens of megabytes, not
 * a million objects, and a lookup allocates nothing. Memory is charged
 * against a cap; an add that would pass it is refused and counted.
 */

/** Bytes charged per entry beyond its data: header in the arena plus two index slots. */
const ENTRY_HEADER = 6;
const EMPTY = 0;
const DELETED = -1;

function hashBytes(b: Uint8Array): number {
  // FNV-1a, 32-bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

export class ByteSetTable {
  /** Entries: [len u32 LE][value u16 LE][bytes]. */
  private arena: Uint8Array;
  private arenaUsed = 0;
  /** Slot → arena offset + 1 (0 empty, -1 deleted). */
  private slots: Int32Array;
  private hashes: Uint32Array;
  private live = 0;
  private tombstones = 0;
  /** Adds refused because the memcap was reached. */
  refused = 0;

  constructor(
    readonly memcap: number,
    hashsize = 1024,
  ) {
    let n = 16;
    // The initial index takes at most a quarter of the cap, leaving room for entries.
    while (n < hashsize * 2 && n < 1 << 20 && n * 64 <= memcap) n *= 2;
    this.slots = new Int32Array(n);
    this.hashes = new Uint32Array(n);
    // The smallest index (16 slots) is always there; the arena starts within what is left.
    this.arena = new Uint8Array(Math.max(0, Math.min(4096, memcap - n * 8)));
  }

  /** Entries in the set. */
  get size(): number {
    return this.live;
  }

  /** Bytes held (arena and index capacity), what the memcap limits. */
  get memoryUsed(): number {
    return this.arena.length + this.slots.length * 8;
  }

  /** Arena offset of the entry equal to `key`, or -1. */
  private find(key: Uint8Array, h: number): number {
    const mask = this.slots.length - 1;
    for (let i = h & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
      const s = this.slots[i]!;
      if (s === EMPTY) return -1;
      if (s === DELETED || this.hashes[i] !== h) continue;
      if (this.equals(s - 1, key)) return i;
    }
    return -1;
  }

  private equals(at: number, key: Uint8Array): boolean {
    const a = this.arena;
    const len = a[at]! | (a[at + 1]! << 8) | (a[at + 2]! << 16) | (a[at + 3]! << 24);
    if (len !== key.length) return false;
    const base = at + ENTRY_HEADER;
    for (let i = 0; i < len; i++) if (a[base + i] !== key[i]) return false;
    return true;
  }

  /** Whether `key` is in the set. */
  has(key: Uint8Array): boolean {
    return this.find(key, hashBytes(key)) >= 0;
  }

  /** The value stored with `key`, or -1 when absent. */
  value(key: Uint8Array): number {
    const i = this.find(key, hashBytes(key));
    if (i < 0) return -1;
    const at = this.slots[i]! - 1 + 4;
    return this.arena[at]! | (this.arena[at + 1]! << 8);
  }

  /**
   * Adds `key` with `value` (kept when already present).
   * @example new ByteSetTable(1 << 20).add(Uint8Array.of(1), 0) // 1
   */
  add(key: Uint8Array, value: number): 1 | 0 | -1 {
    const h = hashBytes(key);
    if (this.find(key, h) >= 0) return 0;
    const need = key.length + ENTRY_HEADER;
    if (!this.reserveArena(need) || !this.reserveSlot()) {
      this.refused++;
      return -1;
    }
    const at = this.arenaUsed;
    const a = this.arena;
    const len = key.length;
    a[at] = len & 0xff;
    a[at + 1] = (len >>> 8) & 0xff;
    a[at + 2] = (len >>> 16) & 0xff;
    a[at + 3] = (len >>> 24) & 0xff;
    a[at + 4] = value & 0xff;
    a[at + 5] = (value >>> 8) & 0xff;
    a.set(key, at + ENTRY_HEADER);
    this.arenaUsed += need;
    this.insertSlot(h, at + 1);
    this.live++;
    return 1;
  }

  /** Removes `key`; true when it was there. The arena space is not reclaimed. */
  remove(key: Uint8Array): boolean {
    const i = this.find(key, hashBytes(key));
    if (i < 0) return false;
    this.slots[i] = DELETED;
    this.live--;
    this.tombstones++;
    return true;
  }

  /** Calls `fn` with each entry's bytes (a view, valid during the call) and value. */
  forEach(fn: (key: Uint8Array, value: number) => void): void {
    for (const s of this.slots) {
      if (s <= 0) continue;
      const at = s - 1;
      const a = this.arena;
      const len = a[at]! | (a[at + 1]! << 8) | (a[at + 2]! << 16) | (a[at + 3]! << 24);
      fn(a.subarray(at + ENTRY_HEADER, at + ENTRY_HEADER + len), a[at + 4]! | (a[at + 5]! << 8));
    }
  }

  private insertSlot(h: number, ref: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i]! > 0) i = (i + 1) & mask;
    if (this.slots[i] === DELETED) this.tombstones--;
    this.slots[i] = ref;
    this.hashes[i] = h;
  }

  private reserveArena(need: number): boolean {
    if (this.arenaUsed + need <= this.arena.length) return true;
    let n = Math.max(64, this.arena.length * 2);
    while (n < this.arenaUsed + need) n *= 2;
    const otherMemory = this.slots.length * 8;
    if (n + otherMemory > this.memcap) {
      // Grow only as far as the cap allows.
      n = this.memcap - otherMemory;
      if (n < this.arenaUsed + need) return false;
    }
    const next = new Uint8Array(n);
    next.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = next;
    return true;
  }

  /** Keeps the index at most half full (counting tombstones), rebuilding it when needed. */
  private reserveSlot(): boolean {
    const n = this.slots.length;
    if ((this.live + this.tombstones + 1) * 2 <= n) return true;
    const size = (this.live + 1) * 2 <= n && this.tombstones > 0 ? n : n * 2;
    if (size * 8 + this.arena.length > this.memcap) return false;
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(size);
    this.hashes = new Uint32Array(size);
    this.tombstones = 0;
    for (let i = 0; i < oldSlots.length; i++)
      if (oldSlots[i]! > 0) this.insertSlot(oldHashes[i]!, oldSlots[i]!);
    return true;
  }
}
