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

/** Two independent 32-bit hashes (FNV-1a and a multiply-rotate) in one pass. */
function hash64(s: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b ^ c) + 0x9e3779b9, 0x85ebca6b);
    b = (b << 13) | (b >>> 19);
  }
  out[0] = a >>> 0;
  out[1] = b >>> 0;
}
const hashOut = new Uint32Array(2);

/**
 * A uid from source identity + position + content: re-reading the same file gives
 * the same uids (so the store dedups), while a rotated file with other lines does not collide.
 *
 * @example eventUid('auth.log', 12, 'Nov 23 ...') // 'L0f3k9…'
 */
export function eventUid(file: string | undefined, line: number, raw: string): string {
  const key = `${file ?? ''}\u0000${line}\u0000${raw}`;
  hash64(key, hashOut);
  return `L${hashOut[0]!.toString(36).padStart(7, '0')}${hashOut[1]!.toString(36).padStart(7, '0')}`;
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
