/**
 * Timestamp helpers for text logs: month names, yearless BSD dates with
 * New-Year rollover, and RFC 3339 / ISO 8601 stamps (leap second allowed).
 */

const months: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** 0-based month of a three-letter English name, or -1. */
export function monthIndex(name: string): number {
  return months[name] ?? -1;
}

/** A yearless date may be this far past the reference and still count as this year (clock skew, zones). */
const futureSlackSeconds = 2 * 86400;

/**
 * Seconds since the epoch for a date without a year (RFC 3164): the year is the
 * reference's, or the one before when that would put the line in the future
 * (a December line read in January belongs to last year).
 *
 * @example yearlessToEpoch(11, 31, 23, 59, 59, 0, 0, Date.UTC(2025, 0, 1) / 1000) // 2024-12-31T23:59:59Z
 */
export function yearlessToEpoch(
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
  frac: number,
  tzOffsetSeconds: number,
  referenceTime: number,
): number {
  const refYear = new Date(referenceTime * 1000).getUTCFullYear();
  let t = Date.UTC(refYear, month, day, h, m, s) / 1000 - tzOffsetSeconds + frac;
  if (t > referenceTime + futureSlackSeconds) {
    t = Date.UTC(refYear - 1, month, day, h, m, s) / 1000 - tzOffsetSeconds + frac;
  }
  return t;
}

const isoPattern = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * Seconds since the epoch for an RFC 3339 / ISO 8601 stamp (`2026-11-23T11:12:19.5+01:00`,
 * journal `+0100`, second 60 allowed); NaN when malformed. Zoneless stamps use `tzOffsetSeconds`.
 */
export function isoToEpoch(text: string, tzOffsetSeconds = 0): number {
  const m = isoPattern.exec(text);
  if (!m) return Number.NaN;
  const mon = Number(m[2]) - 1;
  const day = Number(m[3]);
  const h = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  if (mon > 11 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) return Number.NaN;
  let off = tzOffsetSeconds;
  const z = m[8];
  if (z !== undefined) {
    if (z === 'Z') off = 0;
    else {
      const digits = z.replace(':', '');
      off = (z[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 3600 + Number(digits.slice(3, 5)) * 60);
    }
  }
  const frac = m[7] ? Number(m[7]) : 0;
  return Date.UTC(Number(m[1]), mon, day, h, min, sec) / 1000 - off + frac;
}
