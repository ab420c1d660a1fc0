/**
 * A tally of contacts: counts, outcomes, time span, the answered targets and
 * the evidence, all capped. Every scan finding is built from one.
 */
import type { OutcomeCounts } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import { emptyOutcomes, pushCapped } from '../core/finding-util.js';

export const ANSWERED_CAP = 32;
export const UID_CAP = 20;
export const FILE_CAP = 4;
/** Bytes charged for a tally's fixed part (object, outcome record, three small arrays). */
export const TALLY_BASE_BYTES = 240;
const LIST_ENTRY_BYTES = 56;

export interface Tally {
  first: number;
  last: number;
  contacts: number;
  outcomes: OutcomeCounts;
  /** ICMP errors sent back for this tally's probes (counted as rejections when the tally is reported). */
  errorReplies: number;
  /** "host:port" (or "host") of targets that answered, first seen first. */
  answered: string[];
  uids: string[];
  files: string[];
}

/** @example const t = createTally(); addToTally(t, contact, `${c.dst}:${c.dstPort}`); */
export function createTally(): Tally {
  return {
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
    contacts: 0,
    outcomes: emptyOutcomes(),
    errorReplies: 0,
    answered: [],
    uids: [],
    files: [],
  };
}

/** Counts one contact; `target` names it in the answered list. Returns the bytes the tally grew by. */
export function addToTally(t: Tally, c: Contact, target: string): number {
  const before = t.answered.length + t.uids.length + t.files.length;
  if (c.ts < t.first) t.first = c.ts;
  const end = Math.max(c.end, c.ts);
  if (end > t.last) t.last = end;
  t.contacts++;
  t.outcomes[c.outcome]++;
  if (c.outcome === 'answered') pushCapped(t.answered, target, ANSWERED_CAP);
  if (t.uids.length < UID_CAP) t.uids.push(c.uid);
  if (c.file !== undefined) pushCapped(t.files, c.file, FILE_CAP);
  return (t.answered.length + t.uids.length + t.files.length - before) * LIST_ENTRY_BYTES;
}

/** Bytes a tally holds (for state-table accounting). */
export function tallyBytes(t: Tally): number {
  return TALLY_BASE_BYTES + (t.answered.length + t.uids.length + t.files.length) * LIST_ENTRY_BYTES;
}

/**
 * Outcomes as reported: ICMP errors that came back for unanswered probes turn
 * that many of them into rejections (the probe itself saw no reply in its own
 * flow; the error arrived as a separate record).
 */
export function reportedOutcomes(t: Tally): OutcomeCounts {
  const o = { ...t.outcomes };
  const moved = Math.min(t.errorReplies, o.unanswered);
  o.unanswered -= moved;
  o.rejected += moved;
  return o;
}

/** Probes that failed: rejected, unanswered or blocked. */
export function failedCount(o: OutcomeCounts): number {
  return o.rejected + o.unanswered + o.blocked;
}

/** True when at least `share` of the contacts failed. */
export function mostlyFailing(o: OutcomeCounts, share: number): boolean {
  const total = o.answered + o.rejected + o.unanswered + o.blocked + o.unknown;
  return total > 0 && failedCount(o) >= share * total;
}
