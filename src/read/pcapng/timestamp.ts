/**
 * pcapng timestamps are 64-bit counts of units per interface (if_tsresol).
 * These helpers turn (high, low) into whole seconds + nanoseconds exactly,
 * using doubles only (no BigInt on the common paths, so no allocation).
 */

/** How one interface's timestamp units convert to seconds and nanoseconds. */
export interface TsResolution {
  /** Units per second when it is at most 2^30 (exact double arithmetic), else 0. */
  unitsPerSec: number;
  /** Decimal exponent (10^-k) or -1 for a binary resolution. */
  decimal: number;
  /** Binary exponent (2^-b) or -1 for a decimal resolution. */
  binary: number;
  /** Exact nanoseconds per unit when that is a whole number, else 0. */
  nsPerUnit: number;
  /** For binary resolutions finer than 2^-9: 2^(b-9), since 1e9 / 2^b = 1953125 / 2^(b-9). */
  binaryDivisor: number;
}

/** Decodes the if_tsresol option byte (default 6: microseconds). */
export function tsResolution(byte: number): TsResolution {
  if (byte & 0x80) {
    const b = byte & 0x7f;
    const nsPerUnit = b <= 9 ? 1e9 / 2 ** b : 0;
    return {
      unitsPerSec: b <= 30 ? 2 ** b : 0,
      decimal: -1,
      binary: b,
      nsPerUnit,
      binaryDivisor: 2 ** (b - 9),
    };
  }
  const nsPerUnit = byte <= 9 ? 10 ** (9 - byte) : 0;
  return { unitsPerSec: byte <= 9 ? 10 ** byte : 0, decimal: byte, binary: -1, nsPerUnit, binaryDivisor: 0 };
}

export const MICROSECONDS: TsResolution = tsResolution(6);

const TWO32 = 4294967296;

/**
 * Splits the 64-bit unit count hi:lo into seconds and nanoseconds (truncating),
 * writing them into `out` to stay allocation-free.
 * @example toSecNsec(0, 1500000, MICROSECONDS, out) // out = { sec: 1, nsec: 500000000 }
 */
export function toSecNsec(
  hi: number,
  lo: number,
  res: TsResolution,
  out: { sec: number; nsec: number },
): void {
  const u = res.unitsPerSec;
  if (u === 0) {
    exoticToSecNsec(hi, lo, res, out);
    return;
  }
  let sec: number;
  let frac: number;
  if (hi < 0x200000) {
    // below 2^53: the double is exact, and so are floor(ts/u) and the remainder
    const ts = hi * TWO32 + lo;
    sec = Math.floor(ts / u);
    frac = ts - sec * u;
  } else {
    // long division in 16-bit limbs keeps every intermediate below 2^53
    const hq = Math.floor(hi / u);
    let r = hi - hq * u;
    let x = r * 65536 + (lo >>> 16);
    const q2 = Math.floor(x / u);
    r = x - q2 * u;
    x = r * 65536 + (lo & 0xffff);
    const q3 = Math.floor(x / u);
    frac = x - q3 * u;
    sec = hq * TWO32 + q2 * 65536 + q3;
  }
  out.sec = sec;
  if (res.nsPerUnit > 0) out.nsec = frac * res.nsPerUnit;
  // 1e9 = 2^9 * 1953125, and frac * 1953125 < 2^51, so this stays exact
  else out.nsec = Math.floor((frac * 1953125) / res.binaryDivisor);
}

/** Resolutions finer than 2^-30 or 10^-9 s: rare, so BigInt is fine here. */
function exoticToSecNsec(
  hi: number,
  lo: number,
  res: TsResolution,
  out: { sec: number; nsec: number },
): void {
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  const units = res.decimal >= 0 ? 10n ** BigInt(res.decimal) : 1n << BigInt(res.binary);
  out.sec = Number(ts / units);
  out.nsec = Number(((ts % units) * 1_000_000_000n) / units);
}
