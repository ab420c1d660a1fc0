/**
 * A distinct counter cheap enough to create once per source of a spoofed
 * flood: 16 exact 32-bit values, then a 64-register HyperLogLog (about 13%
 * error). core/distinct.ts is the general counter; this one is one object
 * and one typed array, with its methods on the prototype.
 */
import { hashValue } from '../core/distinct.js';

const EXACT = 16;
const REGISTERS = 64;
const P = 6;

export class SmallDistinct {
  /** The first 16 values; kept as the sample once the sketch takes over. */
  private readonly first = new Uint32Array(EXACT);
  private n = 0;
  private reg: Uint8Array | undefined;

  /** Adds a 32-bit value; true when it was new (certain while exact). */
  add(v: number): boolean {
    v >>>= 0;
    if (this.reg === undefined) {
      const ex = this.first;
      for (let i = 0; i < this.n; i++) if (ex[i] === v) return false;
      if (this.n < EXACT) {
        ex[this.n++] = v;
        return true;
      }
      this.reg = new Uint8Array(REGISTERS);
      for (let i = 0; i < EXACT; i++) this.sketch(ex[i]!);
    }
    return this.sketch(v);
  }

  private sketch(v: number): boolean {
    const h = hashValue(v);
    const idx = h >>> (32 - P);
    const rest = (h << P) >>> 0;
    const rank = rest === 0 ? 32 - P + 1 : Math.clz32(rest) + 1;
    if (rank > this.reg![idx]!) {
      this.reg![idx] = rank;
      return true;
    }
    return false;
  }

  /** Distinct values so far (an estimate once `estimated`). */
  count(): number {
    if (this.reg === undefined) return this.n;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < REGISTERS; i++) {
      const r = this.reg![i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (0.709 * REGISTERS * REGISTERS) / sum;
    // Linear counting while many registers are still empty.
    const e = raw <= 2.5 * REGISTERS && zeros > 0 ? REGISTERS * Math.log(REGISTERS / zeros) : raw;
    return Math.max(EXACT + 1, Math.round(e));
  }

  get estimated(): boolean {
    return this.reg !== undefined;
  }

  /** The first values seen (up to 16), in order. */
  values(): number[] {
    return Array.from(this.first.subarray(0, this.n));
  }

  get bytes(): number {
    return 48 + EXACT * 4 + (this.reg ? REGISTERS : 0);
  }
}
