/**
 * Pieces every mapper shares: the deterministic uid, bounded raw text and
 * the event source.
 */

import type { LogRecordBase } from '../read/syslog/types.js';
import { type Event, type EventSource, maxRawLength } from '../schema/event.js';

/** Where a record was read: file and 1-based line (or a stream name and sequence). */
export interface RecordPosition {
  file?: string;
  line: number;
}

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A uid from source identity + position + content: re-reading the same file gives
 * the same uids (so the store dedups), while a rotated file with other lines does not collide.
 *
 * @example eventUid('auth.log', 12, 'Nov 23 ...') // 'L0f3k9…'
 */
export function eventUid(file: string | undefined, line: number, raw: string): string {
  const key = `${file ?? ''}\u0000${line}\u0000${raw}`;
  const a = fnv1a(key, 0x811c9dc5);
  const b = fnv1a(key, 0x9747b28c);
  return `L${a.toString(36).padStart(7, '0')}${b.toString(36).padStart(7, '0')}`;
}

/** Fills uid, source, raw (bounded) and the log host, shared by all mappers. */
export function baseFields(
  r: LogRecordBase,
  pos: RecordPosition,
  kind: EventSource['kind'],
  format: string,
): Pick<Event, 'uid' | 'source' | 'raw' | 'ts'> & { attrs: Record<string, string | number> } {
  const source: EventSource = { kind, format, line: pos.line };
  if (pos.file !== undefined) source.file = pos.file;
  if (r.host !== undefined) source.host = r.host;
  const attrs: Record<string, string | number> = {};
  let raw = r.raw;
  if (raw.length > maxRawLength) {
    attrs.rawLength = raw.length;
    raw = raw.slice(0, maxRawLength);
  }
  return { ts: r.ts, uid: eventUid(pos.file, pos.line, r.raw), source, raw, attrs };
}

/** Cuts attacker-sized text for the short `message` field. */
export function shortText(s: string, max = 240): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
