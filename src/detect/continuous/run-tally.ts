/**
 * One run of activity by one source against one service: first and last
 * time, contacts and how they ended. A contact covers [ts, end], so a long
 * connection bridges a pause between shorter ones; a contact starting more
 * than the gap after the run's end starts a new run.
 */
import type { OutcomeCounts, ProbeOutcome } from '../../schema/finding.js';
import { emptyOutcomes, pushCapped } from '../core/finding-util.js';

export interface Run {
  start: number;
  end: number;
  contacts: number;
  outcomes: OutcomeCounts;
  /** Login attempts only: failed and successful ones. */
  failures: number;
  successes: number;
  /** Longest pause inside the run (s). */
  longestGap: number;
  uids: string[];
  files: string[];
}

export interface RunTally {
  src: string;
  /** Server address or logging host ('' when unknown). */
  server: string;
  port: number;
  proto: string;
  service: string;
  /** 'contacts' or 'logins', for the explanation. */
  noun: 'contacts' | 'login attempts';
  run: Run;
}

/** A run with nothing in it yet. */
export function emptyRun(): Run {
  return {
    start: Number.POSITIVE_INFINITY,
    end: Number.NEGATIVE_INFINITY,
    contacts: 0,
    outcomes: emptyOutcomes(),
    failures: 0,
    successes: 0,
    longestGap: 0,
    uids: [],
    files: [],
  };
}

export interface Activity {
  ts: number;
  end: number;
  outcome: ProbeOutcome;
  uid: string;
  file?: string;
  /** Login attempts: the result. */
  result?: 'failure' | 'success' | 'invalid-user';
}

/**
 * Adds one activity. Returns the run that a pause longer than `maxGap` just
 * closed (the caller judges and reports it), or undefined.
 *
 * @example
 * const closed = addActivity(t, { ts: 1000, end: 1000.2, outcome: 'answered', uid: 'C1' }, 120);
 */
export function addActivity(t: RunTally, a: Activity, maxGap: number): Run | undefined {
  let closed: Run | undefined;
  const r0 = t.run;
  if (r0.contacts > 0 && a.ts > r0.end + maxGap) {
    closed = r0;
    t.run = emptyRun();
  } else if (r0.contacts > 0 && a.end < r0.start - maxGap) {
    // A late record from before this run (inputs are only roughly ordered): not part of it.
    return undefined;
  }
  const r = t.run;
  if (r.contacts > 0) {
    if (a.ts > r.end) r.longestGap = Math.max(r.longestGap, a.ts - r.end);
    else if (a.end < r.start) r.longestGap = Math.max(r.longestGap, r.start - a.end);
  }
  if (a.ts < r.start) r.start = a.ts;
  if (a.end > r.end) r.end = a.end;
  r.contacts++;
  r.outcomes[a.outcome]++;
  if (a.result === 'success') r.successes++;
  else if (a.result !== undefined) r.failures++;
  if (r.uids.length < 20) r.uids.push(a.uid);
  if (a.file !== undefined) pushCapped(r.files, a.file, 4);
  return closed;
}

/** Approximate heap bytes of a tally. */
export function runTallyBytes(t: RunTally): number {
  return (
    300 +
    (t.src.length + t.server.length + t.service.length) * 2 +
    t.run.uids.length * 48 +
    t.run.files.length * 80
  );
}
