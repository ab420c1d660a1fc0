/**
 * Distinct counters the scan views hold by the thousand, built to cost little
 * while small:
 * - `PortSet`: exact for port numbers, a short list while small, then a
 *   65,536-bit map (8 KiB). Ports are bounded, so unlike hosts they never need
 *   a sketch: a 1,000-port scan is reported as exactly 1,000 ports.
 * - `LazyCounter`: holds its first value inline and only builds a real
 *   distinct counter (exact, then HyperLogLog) when a second value arrives;
 *   most per-port host counts in ordinary traffic never get there.
 * Both are classes so a new one is one small object, not a set of closures.
 */
import {
  createDistinctCounter,
  type DistinctCounter,
  type DistinctCounterOptions,
} from '../core/distinct.js';

const SMALL_LIMIT = 64;
const PORT_BASE_BYTES = 64;
const SMALL_ENTRY_BYTES = 8;
const BITMAP_BYTES = 8192;
const LAZY_BASE_BYTES = 48;

/**
 * @example
 * const ports = new PortSet(); ports.add(22); ports.add(22); ports.count() // 1
 */
export class PortSet implements DistinctCounter {
  readonly estimated = false;
  private small: number[] | undefined = [];
  private bits: Uint8Array | undefined;
  private n = 0;
  private readonly first: number[] = [];

  constructor(private readonly sampleLimit = 64) {}

  add(value: string | number): boolean {
    const p = Number(value) & 0xffff;
    const small = this.small;
    if (small) {
      if (small.includes(p)) return false;
      small.push(p);
      if (small.length > SMALL_LIMIT) {
        const bits = new Uint8Array(BITMAP_BYTES);
        for (const q of small) bits[q >>> 3]! |= 1 << (q & 7);
        this.bits = bits;
        this.small = undefined;
      }
    } else {
      const bits = this.bits!;
      const bit = 1 << (p & 7);
      if (bits[p >>> 3]! & bit) return false;
      bits[p >>> 3]! |= bit;
    }
    this.n++;
    if (this.first.length < this.sampleLimit) this.first.push(p);
    return true;
  }

  count(): number {
    return this.n;
  }

  sample(): readonly number[] {
    return this.first;
  }

  get bytes(): number {
    return (
      PORT_BASE_BYTES +
      this.first.length * SMALL_ENTRY_BYTES +
      (this.small ? this.small.length * SMALL_ENTRY_BYTES : BITMAP_BYTES)
    );
  }
}

/**
 * @example
 * const hosts = new LazyCounter({ exactLimit: 256 }); hosts.add('10.0.0.1'); hosts.count() // 1
 */
export class LazyCounter implements DistinctCounter {
  private one: string | number | undefined;
  private inner: DistinctCounter | undefined;

  constructor(private readonly opts: DistinctCounterOptions = {}) {}

  add(value: string | number): boolean {
    if (this.inner) return this.inner.add(value);
    if (this.one === undefined) {
      this.one = value;
      return true;
    }
    if (this.one === value) return false;
    this.inner = createDistinctCounter(this.opts);
    this.inner.add(this.one);
    return this.inner.add(value);
  }

  count(): number {
    return this.inner ? this.inner.count() : this.one === undefined ? 0 : 1;
  }

  get estimated(): boolean {
    return this.inner?.estimated ?? false;
  }

  sample(): readonly (string | number)[] {
    return this.inner ? this.inner.sample() : this.one === undefined ? [] : [this.one];
  }

  get bytes(): number {
    return LAZY_BASE_BYTES + (this.inner ? this.inner.bytes : 0);
  }
}
