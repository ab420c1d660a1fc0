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

// The uid hash: two independent 32-bit hashes (FNV-1a and a multiply-rotate) over the
// code units of `${file}\0${line}\0${raw}`, run in pieces so that key is never built.
let hashA = 0;
let hashB = 0;

function hashString(s: string): void {
  let a = hashA;
  let b = hashB;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    // `| 0` keeps the sum in 32-bit integers; imul takes its operands modulo 2^32 anyway.
    b = Math.imul(((b ^ c) + 0x9e3779b9) | 0, 0x85ebca6b);
    b = (b << 13) | (b >>> 19);
  }
  hashA = a;
  hashB = b;
}

function hashUnit(c: number): void {
  hashA = Math.imul(hashA ^ c, 0x01000193);
  const b = Math.imul(((hashB ^ c) + 0x9e3779b9) | 0, 0x85ebca6b);
  hashB = (b << 13) | (b >>> 19);
}

/** The decimal digits of a line number as String() writes them. */
function hashLineNumber(line: number): void {
  if (!(Number.isInteger(line) && line >= 0 && line < 1e15)) {
    hashString(String(line));
    return;
  }
  let div = 1;
  while (div * 10 <= line) div *= 10;
  for (; div >= 1; div /= 10) hashUnit(48 + (Math.floor(line / div) % 10));
}

// A file's name is hashed once per run of lines from it.
let prefixFile: string | undefined;
let prefixA = 0;
let prefixB = 0;

/** Character codes of the base-36 digits, as Number#toString(36) writes them. */
const base36 = Uint8Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (c) => c.charCodeAt(0));
/** The base-36 digit of `v` at `place` (a power of 36); seven of them zero-pad a uint32 (2^32 < 36^7). */
function digit36(v: number, place: number): number {
  return base36[Math.floor(v / place) % 36]!;
}

/**
 * A uid from source identity + position + content: re-reading the same file gives
 * the same uids (so the store dedups), while a rotated file with other lines does not collide.
 *
 * @example eventUid('auth.log', 12, 'Nov 23 ...') // 'L0f3k9…'
 */
export function eventUid(file: string | undefined, line: number, raw: string): string {
  if (file !== prefixFile || prefixFile === undefined) {
    hashA = 0x811c9dc5;
    hashB = 0x9747b28c;
    hashString(file ?? '');
    hashUnit(0);
    prefixFile = file;
    prefixA = hashA;
    prefixB = hashB;
  } else {
    hashA = prefixA;
    hashB = prefixB;
  }
  hashLineNumber(line);
  hashUnit(0);
  hashString(raw);
  const a = hashA >>> 0;
  const b = hashB >>> 0;
  return String.fromCharCode(
    76,
    digit36(a, 2176782336),
    digit36(a, 60466176),
    digit36(a, 1679616),
    digit36(a, 46656),
    digit36(a, 1296),
    digit36(a, 36),
    digit36(a, 1),
    digit36(b, 2176782336),
    digit36(b, 60466176),
    digit36(b, 1679616),
    digit36(b, 46656),
    digit36(b, 1296),
    digit36(b, 36),
    digit36(b, 1),
  );
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
