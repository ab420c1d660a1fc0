/**
 * Small text helpers for explanations: times, spans and lists, the same way
 * in every authentication finding.
 */

/** "2026-11-23 11:12:20 UTC" from epoch seconds. */
export function utcTime(ts: number): string {
  const iso = new Date(Math.floor(ts) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * "0.9 s", "12 min", "3.5 h".
 *
 * @example
 * span(754) // '12.6 min'
 */
export function span(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 60) return `${round(s)} s`;
  if (s < 3600) return `${round(s / 60)} min`;
  return `${round(s / 3600)} h`;
}

function round(x: number): string {
  return x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** "a, b, c and 3 more" from a sample and the full count. */
export function listSample(sample: readonly (string | number)[], total: number, max = 8): string {
  const shown = sample.slice(0, max).map(String);
  const more = total - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** "1 try" / "5 tries" style counts. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
