/**
 * Uids of live events: one prefix per run of a collector, then the message or
 * record number at fixed width. They grow as events arrive, so the store's
 * uid index is appended to rather than written at random places (a hashed uid
 * made that index the costliest part of a live insert), and two equal records
 * are two events, never merged by the store's upsert.
 */
import { eventUid } from '../normalize/index.js';

/**
 * The uid prefix of one run of a collector: 'L', its start time and a tag of
 * its name (kind and address).
 *
 * @example liveUidPrefix('syslog-tcp:0.0.0.0:6514', 1795432340000) // 'L0mwtgrm98' + 6-character tag
 */
export function liveUidPrefix(collector: string, startedMs: number): string {
  return `L${startedMs.toString(36).padStart(9, '0')}${eventUid(collector, 0, '').slice(1, 7)}`;
}

/**
 * The uid of event number `seq` (1, 2, ...): fixed width keeps string order equal to arrival order.
 *
 * @example liveUid(liveUidPrefix('netflow-udp:0.0.0.0:2055', Date.now()), 1)
 */
export function liveUid(prefix: string, seq: number): string {
  return prefix + seq.toString(36).padStart(9, '0');
}
