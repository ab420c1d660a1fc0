/**
 * Distinct counting in bounded memory: exact while small (a Set), then a
 * HyperLogLog sketch. A scan of a /16 or a flood of sources costs at most the
 * sketch's registers per counter, whatever the input; small scans, the usual
 * case, stay exact.
 */

/** Bytes charged per exact entry (a Set slot plus a boxed string or number). */
const EXACT_ENTRY_BYTES = 48;
const SAMPLE_ENTRY_BYTES = 40;
const BASE_BYTES = 96;

export interface DistinctCounterOptions {
  /** Values kept exactly before switching to the sketch (default 256). */
  exactLimit?: number;
  /** First values kept for reports (default 32). */
  sampleLimit?: number;
  /** HyperLogLog precision: 2^p one-byte registers, standard error 1.04/sqrt(2^p) (default 10: 1 KiB, 3.3%). */
  precision?: number;
}

export interface DistinctCounter {
  /** Adds a value; true when it was new (certain while exact; "register changed" once sketched). */
  add(value: string | number): boolean;
  /** Distinct values so far (an estimate once `estimated`). */
  count(): number;
  /** True once the counter switched to the sketch. */
  readonly estimated: boolean;
  /** The first values seen, in order. */
  sample(): readonly (string | number)[];
  /** Approximate heap bytes held. */
  readonly bytes: number;
}

/**
 * @example
 * const hosts = createDistinctCounter();
 * hosts.add('10.0.0.1'); hosts.add('10.0.0.1'); hosts.count() // 1
 */
export function createDistinctCounter(opts: DistinctCounterOptions = {}): DistinctCounter {
  const exactLimit = opts.exactLimit ?? 256;
  const sampleLimit = opts.sampleLimit ?? 32;
  const p = opts.precision ?? 10;
  if (p < 4 || p > 16) throw new RangeError(`HyperLogLog precision must be 4..16, got ${p}`);
  let exact: Set<string | number> | undefined = new Set();
  let registers: Uint8Array | undefined;
  const sample: (string | number)[] = [];

  const toSketch = () => {
    registers = new Uint8Array(1 << p);
    for (const v of exact!) hllAdd(registers, p, hashValue(v));
    exact = undefined;
  };

  return {
    add(value) {
      if (exact) {
        if (exact.has(value)) return false;
        exact.add(value);
        if (sample.length < sampleLimit) sample.push(value);
        if (exact.size > exactLimit) toSketch();
        return true;
      }
      return hllAdd(registers!, p, hashValue(value));
    },
    count() {
      return exact ? exact.size : Math.round(hllEstimate(registers!));
    },
    get estimated() {
      return exact === undefined;
    },
    sample: () => sample,
    get bytes() {
      return (
        BASE_BYTES +
        sample.length * SAMPLE_ENTRY_BYTES +
        (exact ? exact.size * EXACT_ENTRY_BYTES : registers!.length)
      );
    },
  };
}

/** 32-bit hash of a string (FNV-1a over UTF-16 units, then a murmur finaliser) or of a number. */
export function hashValue(v: string | number): number {
  let h: number;
  if (typeof v === 'number') {
    h = Math.imul(v | 0, 0x9e3779b1) ^ Math.imul((v / 4294967296) | 0, 0x85ebca6b);
  } else {
    h = 0x811c9dc5;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hllAdd(reg: Uint8Array, p: number, hash: number): boolean {
  const idx = hash >>> (32 - p);
  const rest = (hash << p) >>> 0;
  // Rank: position of the first 1 bit in the remaining 32-p bits (1-based).
  const rank = rest === 0 ? 32 - p + 1 : Math.clz32(rest) + 1;
  if (rank > reg[idx]!) {
    reg[idx] = rank;
    return true;
  }
  return false;
}

function hllEstimate(reg: Uint8Array): number {
  const m = reg.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = reg[i]!;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  // Small range: linear counting is more accurate while registers are still empty.
  if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  // Large range correction for a 32-bit hash.
  const two32 = 4294967296;
  if (raw > two32 / 30) return -two32 * Math.log(1 - raw / two32);
  return raw;
}
