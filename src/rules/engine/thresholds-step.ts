/**
 * One step of each threshold state machine: given the tracker's entry (or
 * none yet) and the match time, say what happens to this match and update
 * the entry. Pure over plain numbers so every type can be tested alone.
 *
 * The outcomes follow Suricata's detect-engine-threshold semantics:
 * ALERT = alert and apply the rule action; SILENT = apply the action, no
 * alert; SUPPRESS = neither. Windows are half-open: a match at
 * `start + seconds` already opens a new window.
 */

export const ALERT = 0;
export const SILENT = 1;
export const SUPPRESS = 2;
export type StepOutcome = typeof ALERT | typeof SILENT | typeof SUPPRESS;

export type LimiterKind = 'limit' | 'threshold' | 'both' | 'backoff' | 'detection' | 'rate';

/** A compiled threshold, detection_filter or rate_filter. */
export interface Limiter {
  kind: LimiterKind;
  track: 'by_src' | 'by_dst' | 'by_rule' | 'by_both' | 'by_flow';
  count: number;
  /** Window length; 0 for backoff, which has none. */
  seconds: number;
  multiplier: number;
  uniqueOn?: 'src_port' | 'dst_port';
  newAction?: string;
  timeout: number;
  /** Unique per limiter: prefix of its tracker keys. */
  id: string;
  /** Where it came from, for explanations: 'rule' or 'threshold.config line N'. */
  origin: string;
}

/** Per-tracker state. One shape for every kind keeps the table monomorphic. */
export interface TrackerEntry {
  start: number;
  count: number;
  /** backoff: the match count that alerts next. */
  next: number;
  /** rate_filter: when the new action took effect, -1 while it is not in effect. */
  activeSince: number;
  /** unique_on: one bit per port seen in the window. */
  ports: Uint8Array | null;
}

const U32_MAX = 0xffffffff;

/** A fresh entry for the first match at `ts`. */
export function newEntry(ts: number): TrackerEntry {
  return { start: ts, count: 1, next: 0, activeSince: -1, ports: null };
}

/**
 * The outcome of the first match for a tracker that has no entry yet, and
 * whether an entry must be created for it (threshold with count 1 keeps none).
 */
export function firstMatch(l: Limiter, e: TrackerEntry): StepOutcome {
  switch (l.kind) {
    case 'limit':
      return ALERT;
    case 'threshold':
    case 'both':
      return l.count === 1 ? ALERT : SUPPRESS;
    case 'detection':
      return SUPPRESS;
    case 'backoff':
      if (l.count === 1) {
        e.next = l.multiplier;
        return ALERT;
      }
      // Suricata: before count is reached the rule action is not applied either.
      e.next = l.count;
      return SUPPRESS;
    case 'rate':
      // The first match only starts the count (see rateMatch for what SILENT means here).
      return SILENT;
  }
}

/** The outcome of a later match for a tracker that has an entry. */
export function laterMatch(l: Limiter, e: TrackerEntry, ts: number): StepOutcome {
  if (l.kind === 'backoff') {
    if (e.count < U32_MAX) e.count++;
    if (e.count === e.next) {
      e.next = e.next * l.multiplier;
      return ALERT;
    }
    return SILENT;
  }
  if (l.kind === 'rate') return rateMatch(l, e, ts);
  const within = ts < e.start + l.seconds;
  if (!within) {
    e.start = ts;
    e.count = 1;
    if (l.kind === 'limit') return ALERT;
    if (l.kind === 'both' && l.count === 1) return ALERT;
    return SUPPRESS;
  }
  if (e.count < U32_MAX) e.count++;
  switch (l.kind) {
    case 'limit':
      return e.count <= l.count ? ALERT : SILENT;
    case 'threshold':
      if (e.count >= l.count) {
        e.count = 0;
        return ALERT;
      }
      return SUPPRESS;
    case 'both':
      if (e.count === l.count) return ALERT;
      return e.count > l.count ? SILENT : SUPPRESS;
    default:
      return e.count > l.count ? ALERT : SUPPRESS;
  }
}

/**
 * rate_filter: the match always alerts; the return says whether the new
 * action applies. ALERT = new action in effect, SILENT here means "alert
 * with the rule's own action" (the caller maps it).
 */
function rateMatch(l: Limiter, e: TrackerEntry, ts: number): StepOutcome {
  if (e.activeSince >= 0) {
    if (ts - e.activeSince > l.timeout) {
      e.activeSince = -1;
      return SILENT;
    }
    return ALERT;
  }
  if (ts < e.start + l.seconds) {
    if (e.count < U32_MAX) e.count++;
    if (e.count > l.count) {
      e.activeSince = ts;
      return ALERT;
    }
    return SILENT;
  }
  e.start = ts;
  e.count = 1;
  return SILENT;
}

/**
 * detection_filter with unique_on: counts distinct port values in the
 * window and passes matches once more than `count` were seen. A port
 * outside 0..65535 (a packet without ports) adds nothing.
 */
export function distinctMatch(
  l: Limiter,
  e: TrackerEntry,
  ts: number,
  port: number,
  fresh: boolean,
): StepOutcome {
  if (e.ports === null) e.ports = new Uint8Array(8192);
  if (!fresh && ts >= e.start + l.seconds) {
    e.ports.fill(0);
    e.start = ts;
    e.count = 0;
  } else if (fresh) e.count = 0;
  if (port >= 0 && port <= 0xffff) {
    const bit = 1 << (port & 7);
    const at = port >>> 3;
    if ((e.ports[at]! & bit) === 0) {
      e.ports[at] = e.ports[at]! | bit;
      e.count++;
    }
  }
  return e.count > l.count ? ALERT : SUPPRESS;
}
