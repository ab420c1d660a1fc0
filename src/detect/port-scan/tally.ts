/**
 * A tally of contacts: counts, outcomes, time span, the answered targets and
 * the evidence, all capped. Every scan finding is built from one.
 */
import type { OutcomeCounts } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import { emptyOutcomes } from '../core/finding-util.js';

export const ANSWERED_CAP = 32;
export const UID_CAP = 20;
export const FILE_CAP = 4;
/** Bytes charged for a tally's fixed part (object, outcome record, three small arrays). */
export const TALLY_BASE_BYTES = 240;
const LIST_ENTRY_BYTES = 56;

/**
 * Counts without lists: what the per-port records of a probe view keep (a
 * flood source makes many of them, so they stay small). Classes rather than
 * object literals: one fixed shape keeps the hot path's property accesses
 * fast when millions are made.
 */
export class Counts {
  first = Number.POSITIVE_INFINITY;
  last = Number.NEGATIVE_INFINITY;
  contacts = 0;
  outcomes: OutcomeCounts = emptyOutcomes();
  /** ICMP errors sent back for these probes (counted as rejections when reported). */
  errorReplies = 0;
}

/** Adds one contact to counts (time span, contact and outcome counts). */
export function addToCounts(t: Counts, c: Contact): void {
  if (c.ts < t.first) t.first = c.ts;
  const end = Math.max(c.end, c.ts);
  if (end > t.last) t.last = end;
  t.contacts++;
  t.outcomes[c.outcome]++;
}

/** Counts plus the answered targets and the evidence: what a finding is built from. */
export class Tally extends Counts {
  /** "host:port" (or "host") of targets that answered, first seen first. */
  answered: string[] = [];
  uids: string[] = [];
  files: string[] = [];
}

/** @example const t = createTally(); addToTally(t, contact); */
export function createTally(): Tally {
  return new Tally();
}

/**
 * Counts one contact; an answered one is named in the answered list by
 * `target` ("host:port", or "host" when `withPort` is false). Returns the
 * bytes the tally grew by.
 */
export function addToTally(t: Tally, c: Contact, withPort = true): number {
  let grew = 0;
  addToCounts(t, c);
  if (c.outcome === 'answered' && t.answered.length < ANSWERED_CAP) {
    const target = withPort && c.dstPort >= 0 ? `${c.dst}:${c.dstPort}` : c.dst;
    if (!t.answered.includes(target)) {
      t.answered.push(target);
      grew++;
    }
  }
  if (t.uids.length < UID_CAP) {
    t.uids.push(c.uid);
    grew++;
  }
  if (c.file !== undefined && t.files.length < FILE_CAP && !t.files.includes(c.file)) {
    t.files.push(c.file);
    grew++;
  }
  return grew * LIST_ENTRY_BYTES;
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
export function reportedOutcomes(t: Counts): OutcomeCounts {
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
