/**
 * An exact distinct counter for port numbers: a short list while small, then
 * a 65,536-bit map (8 KiB). Ports are bounded, so unlike hosts they never
 * need a sketch: a 1,000-port scan is reported as exactly 1,000 ports.
 */
import type { DistinctCounter } from '../core/distinct.js';

const SMALL_LIMIT = 64;
const BASE_BYTES = 80;
const SMALL_ENTRY_BYTES = 16;
const BITMAP_BYTES = 8192;

/**
 * @example
 * const ports = createPortSet(); ports.add(22); ports.add(22); ports.count() // 1
 */
export function createPortSet(sampleLimit = 64): DistinctCounter {
  let small: number[] | undefined = [];
  let bits: Uint8Array | undefined;
  let n = 0;
  const sample: number[] = [];
  return {
    add(value) {
      const p = Number(value) & 0xffff;
      if (small) {
        if (small.includes(p)) return false;
        small.push(p);
        n++;
        if (sample.length < sampleLimit) sample.push(p);
        if (small.length > SMALL_LIMIT) {
          bits = new Uint8Array(BITMAP_BYTES);
          for (const q of small) bits[q >>> 3]! |= 1 << (q & 7);
          small = undefined;
        }
        return true;
      }
      const byte = p >>> 3;
      const bit = 1 << (p & 7);
      if (bits![byte]! & bit) return false;
      bits![byte]! |= bit;
      n++;
      if (sample.length < sampleLimit) sample.push(p);
      return true;
    },
    count: () => n,
    estimated: false,
    sample: () => sample,
    get bytes() {
      return BASE_BYTES + sample.length * 8 + (small ? small.length * SMALL_ENTRY_BYTES : BITMAP_BYTES);
    },
  };
}
