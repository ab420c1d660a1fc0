/**
 * IP fragment reassembly with bounded memory. Datagrams are keyed by
 * addresses, id (and protocol for IPv4); each keeps a buffer and the sorted
 * byte ranges received. Overlapping data is counted and the first copy wins
 * (so a later overlapping fragment cannot rewrite what was already seen).
 * Limits: a total byte budget over all buffers (oldest datagrams are evicted
 * to make room), 65,535 bytes per datagram, a fragment count per datagram,
 * and a timeout measured in packet time.
 */
import type { DecodeStats } from './context.js';

/** Largest IP datagram (IPv4 total length / IPv6 payload without jumbograms). */
export const MAX_DATAGRAM = 65_535;
/** Distinct pieces one datagram may hold; more means a hostile or broken sender. */
const MAX_PIECES = 1024;
const MIN_CAPACITY = 2048;

interface Datagram {
  key: string;
  firstSeen: number;
  buf: Uint8Array;
  /** Sorted, merged [start, end) pairs of received bytes. */
  ranges: number[];
  /** Length of the reassembled data once the last fragment was seen, else -1. */
  total: number;
}

export interface FragmentTable {
  /** Adds an IPv4 fragment (header at `ipOff`); returns the reassembled transport bytes when complete. */
  addV4(
    data: Uint8Array,
    ipOff: number,
    id: number,
    proto: number,
    fragOffset: number,
    more: boolean,
    start: number,
    end: number,
    ts: number,
  ): Uint8Array | null;
  /** Adds an IPv6 fragment (header at `ipOff`); returns the reassembled fragmentable part when complete. */
  addV6(
    data: Uint8Array,
    ipOff: number,
    id: number,
    fragOffset: number,
    more: boolean,
    start: number,
    end: number,
    ts: number,
  ): Uint8Array | null;
  /** Drops datagrams older than the timeout at packet time `now`. */
  expire(now: number): void;
  /** Datagrams and bytes currently buffered. */
  readonly size: number;
  readonly bufferedBytes: number;
}

/**
 * @example
 * const t = createFragmentTable(stats.fragments, 16 << 20, 30);
 * const whole = t.addV4(frame, 14, id, 17, 0, true, 34, frame.length, ts); // null until complete
 */
export function createFragmentTable(
  counters: DecodeStats['fragments'],
  maxBytes: number,
  timeoutSec: number,
): FragmentTable {
  // Map keeps insertion order, which is arrival order of each datagram's first fragment.
  const table = new Map<string, Datagram>();
  let buffered = 0;
  let oldest = Number.POSITIVE_INFINITY;

  function drop(d: Datagram): void {
    table.delete(d.key);
    buffered -= d.buf.length;
  }

  function expire(now: number): void {
    if (now - oldest <= timeoutSec) return;
    oldest = Number.POSITIVE_INFINITY;
    for (const d of table.values()) {
      if (now - d.firstSeen > timeoutSec) {
        drop(d);
        counters.expired++;
      } else if (d.firstSeen < oldest) oldest = d.firstSeen;
    }
  }

  /** Makes room for `need` more bytes by evicting the oldest datagrams other than `keep`. */
  function reserve(need: number, keep: Datagram | undefined): boolean {
    if (buffered + need <= maxBytes) return true;
    for (const d of table.values()) {
      if (d === keep) continue;
      drop(d);
      counters.droppedOverBudget++;
      if (buffered + need <= maxBytes) return true;
    }
    return false;
  }

  function add(
    key: string,
    fragOffset: number,
    more: boolean,
    data: Uint8Array,
    start: number,
    end: number,
    ts: number,
  ) {
    expire(ts);
    const len = end - start;
    const fEnd = fragOffset + len;
    let d = table.get(key);
    if (d !== undefined && d.total >= 0 && (fEnd > d.total || (!more && fEnd !== d.total))) {
      // Data past (or a second, different) end of the datagram: keep what came first.
      counters.overlaps++;
      return null;
    }
    if (d === undefined) {
      const cap = Math.min(MAX_DATAGRAM, Math.max(fEnd, more ? MIN_CAPACITY : 0));
      if (cap > maxBytes || !reserve(cap, undefined)) {
        counters.droppedOverBudget++;
        return null;
      }
      d = { key, firstSeen: ts, buf: new Uint8Array(cap), ranges: [], total: -1 };
      table.set(key, d);
      buffered += cap;
      if (ts < oldest) oldest = ts;
    } else if (fEnd > d.buf.length) {
      const cap = Math.min(MAX_DATAGRAM, Math.max(fEnd, d.buf.length * 2));
      if (!reserve(cap - d.buf.length, d)) {
        drop(d);
        counters.droppedOverBudget++;
        return null;
      }
      const grown = new Uint8Array(cap);
      grown.set(d.buf);
      buffered += cap - d.buf.length;
      d.buf = grown;
    }
    if (!more) d.total = fEnd;
    if (len > 0 && !insert(d, data, start, fragOffset, fEnd)) {
      drop(d);
      counters.droppedOverBudget++;
      return null;
    }
    const r = d.ranges;
    if (d.total >= 0 && r.length === 2 && r[0] === 0 && r[1] === d.total) {
      drop(d);
      counters.reassembled++;
      return d.buf.subarray(0, d.total);
    }
    return null;
  }

  /** Copies the parts of [s, e) not yet received and merges the range in; false when too many pieces. */
  function insert(d: Datagram, data: Uint8Array, dataStart: number, s: number, e: number): boolean {
    const r = d.ranges;
    let cur = s;
    let overlapped = false;
    let i = 0;
    for (; i < r.length; i += 2) {
      const rs = r[i]!;
      const re = r[i + 1]!;
      if (re <= cur) continue;
      if (rs >= e) break;
      if (rs > cur) d.buf.set(data.subarray(dataStart + cur - s, dataStart + rs - s), cur);
      overlapped = true;
      if (re > cur) cur = re;
      if (cur >= e) break;
    }
    if (cur < e) d.buf.set(data.subarray(dataStart + cur - s, dataStart + e - s), cur);
    if (overlapped) counters.overlaps++;
    // Merge [s, e) with every range it touches.
    let lo = 0;
    while (lo < r.length && r[lo + 1]! < s) lo += 2;
    let hi = lo;
    let ns = s;
    let ne = e;
    while (hi < r.length && r[hi]! <= e) {
      if (r[hi]! < ns) ns = r[hi]!;
      if (r[hi + 1]! > ne) ne = r[hi + 1]!;
      hi += 2;
    }
    r.splice(lo, hi - lo, ns, ne);
    return r.length <= MAX_PIECES * 2;
  }

  return {
    addV4(data, ipOff, id, proto, fragOffset, more, start, end, ts) {
      const key = `4 ${u32(data, ipOff + 12)} ${u32(data, ipOff + 16)} ${id} ${proto}`;
      return add(key, fragOffset, more, data, start, end, ts);
    },
    addV6(data, ipOff, id, fragOffset, more, start, end, ts) {
      let key = `6 ${id}`;
      for (let i = 8; i < 40; i += 4) key += ` ${u32(data, ipOff + i)}`;
      return add(key, fragOffset, more, data, start, end, ts);
    },
    expire,
    get size() {
      return table.size;
    },
    get bufferedBytes() {
      return buffered;
    },
  };
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
