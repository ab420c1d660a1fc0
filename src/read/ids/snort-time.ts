/**
 * Snort's timestamps: `MM/DD-HH:MM:SS.uuuuuu` (no year: taken from the
 * reference time, as for syslog), with `-y` `MM/DD/YY-...` (Snort 2) or
 * `YY/MM/DD-...` (Snort 3), and Snort 3's `YYYY-MM-DD HH:MM:SS.uuuuuu`.
 * Local to the sensor unless Snort ran with `-U`: zoneless, so the context's offset applies.
 */
import { isoToEpoch, yearlessToEpoch } from '../syslog/time.js';

const yearless = /^(\d\d)\/(\d\d)-(\d\d):(\d\d):(\d\d)(\.\d{1,9})?$/;
const withYear = /^(\d\d)\/(\d\d)\/(\d\d)-(\d\d):(\d\d):(\d\d)(\.\d{1,9})?$/;

/** Which Snort wrote a three-part date: 2 puts the year last, 3 first. */
export type SnortGeneration = 2 | 3;

/**
 * Epoch seconds of a Snort timestamp; NaN when malformed.
 * @example snortTimeToEpoch('11/23-11:12:20.5', 2, 0, Date.UTC(2026, 11, 1) / 1000) // 2026-11-23T11:12:20.5Z
 */
export function snortTimeToEpoch(
  text: string,
  generation: SnortGeneration,
  tzOffsetSeconds: number,
  referenceTime: number,
): number {
  if (text.length > 40) return Number.NaN;
  let m = yearless.exec(text);
  if (m) {
    const [mon, day, h, min, s] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (!validClock(mon, day, h, min, s)) return Number.NaN;
    const frac = m[6] ? Number(m[6]) : 0;
    return yearlessToEpoch(mon - 1, day, h, min, s, frac, tzOffsetSeconds, referenceTime);
  }
  m = withYear.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const c = Number(m[3]);
    // A first part over 12 cannot be a month: Snort 3 order whatever the caller thought.
    const yearFirst = generation === 3 || a > 12;
    const yy = yearFirst ? a : c;
    const mon = yearFirst ? b : a;
    const day = yearFirst ? c : b;
    const h = Number(m[4]);
    const min = Number(m[5]);
    const s = Number(m[6]);
    if (!validClock(mon, day, h, min, s)) return Number.NaN;
    const year = yy >= 70 ? 1900 + yy : 2000 + yy;
    const frac = m[7] ? Number(m[7]) : 0;
    return Date.UTC(year, mon - 1, day, h, min, s) / 1000 - tzOffsetSeconds + frac;
  }
  if (text.length >= 19 && text.charCodeAt(4) === 45 /* - */) return isoToEpoch(text, tzOffsetSeconds);
  return Number.NaN;
}

function validClock(mon: number, day: number, h: number, min: number, s: number): boolean {
  return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && h <= 23 && min <= 59 && s <= 60;
}

/** True when `text` starts like a Snort timestamp (two digits, a slash): cheap test for sniffing and dispatch. */
export function startsWithSnortTime(text: string): boolean {
  return (
    text.length > 14 &&
    isDigit(text.charCodeAt(0)) &&
    isDigit(text.charCodeAt(1)) &&
    text.charCodeAt(2) === 47 &&
    isDigit(text.charCodeAt(3)) &&
    isDigit(text.charCodeAt(4))
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
