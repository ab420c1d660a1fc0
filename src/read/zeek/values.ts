/**
 * Zeek ASCII (TSV) field values: `\xHH` escapes and typing by the `#types`
 * header. Nothing here throws; a value that does not fit its type is reported
 * by returning `badValue` (or `maskedValue` for test-baseline times).
 */
import { parseAddress } from '../../util/ip.js';
import type { ZeekScalar, ZeekValue } from './record.js';

/** Returned when a value does not fit its declared type. */
export const badValue: unique symbol = Symbol('zeek.bad-value');
/** Returned for a time masked as `XXXXXXXXXX.XXXXXX` (Zeek's btest canonifier). */
export const maskedValue: unique symbol = Symbol('zeek.masked-value');

/** The separators and placeholders a TSV header declares. */
export interface TsvMarkers {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
}

/** Zeek's defaults, in effect until the header says otherwise. */
export function defaultMarkers(): TsvMarkers {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
}

/** A column's type, parsed once per header: `set[addr]` → { base: 'addr', container: true }. */
export interface ColumnType {
  base: string;
  container: boolean;
}

/** Parses a `#types` entry such as `count`, `set[string]`, `vector[interval]`. */
export function columnType(t: string): ColumnType {
  const open = t.indexOf('[');
  if (open > 0 && t.endsWith(']') && (t.startsWith('set') || t.startsWith('vector'))) {
    return { base: t.slice(open + 1, -1), container: true };
  }
  return { base: t, container: false };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Undoes Zeek's escaping: `\xHH` is one byte and `\\` a backslash. A run of
 * escaped bytes is decoded as UTF-8 (an escaped multi-byte character comes back
 * whole); a run that is not valid UTF-8 keeps its `\xHH` text, so no byte is lost.
 *
 * @example decodeZeekEscapes('a\\x09b') // 'a\tb'
 */
export function decodeZeekEscapes(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let i = 0;
  let runStart = -1;
  let bytes: number[] = [];
  const flush = (end: number) => {
    if (runStart < 0) return;
    if (bytes.every((b) => b < 0x80)) out += String.fromCharCode(...bytes);
    else {
      try {
        out += strictUtf8.decode(Uint8Array.from(bytes));
      } catch {
        out += s.slice(runStart, end);
      }
    }
    runStart = -1;
    bytes = [];
  };
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 92 && s.charCodeAt(i + 1) === 120 && i + 3 < s.length) {
      const hi = hexDigit(s.charCodeAt(i + 2));
      const lo = hexDigit(s.charCodeAt(i + 3));
      if (hi >= 0 && lo >= 0) {
        if (runStart < 0) runStart = i;
        bytes.push(hi * 16 + lo);
        i += 4;
        // Bound the argument list of fromCharCode for escape-only lines.
        if (bytes.length >= 4096 && bytes[bytes.length - 1]! < 0x80) flush(i);
        continue;
      }
    }
    flush(i);
    if (c === 92 && s.charCodeAt(i + 1) === 92) {
      out += '\\';
      i += 2;
      continue;
    }
    out += s[i];
    i++;
  }
  flush(i);
  return out;
}

const countRe = /^\d{1,20}$/;
const intRe = /^[-+]?\d{1,20}$/;
const realRe = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const maskedRe = /^X+(\.X+)?$/;

/** One scalar of the given base type; `badValue` when it does not fit. */
export function scalarValue(
  text: string,
  base: string,
  m: TsvMarkers,
): ZeekScalar | typeof badValue | typeof maskedValue {
  switch (base) {
    case 'count':
      return countRe.test(text) ? Number(text) : badValue;
    case 'int':
      return intRe.test(text) ? Number(text) : badValue;
    case 'port': {
      // Old Bro wrote ports with their protocol ("80/tcp") in some logs.
      const slash = text.indexOf('/');
      const num = slash > 0 ? text.slice(0, slash) : text;
      if (!countRe.test(num)) return badValue;
      const n = Number(num);
      return n <= 65535 ? n : badValue;
    }
    case 'time':
    case 'interval':
    case 'double':
      if (realRe.test(text)) return Number(text);
      return base === 'time' && maskedRe.test(text) ? maskedValue : badValue;
    case 'bool':
      return text === 'T' ? true : text === 'F' ? false : badValue;
    case 'addr':
      return parseAddress(text) !== undefined ? text : badValue;
    case 'subnet': {
      const slash = text.lastIndexOf('/');
      if (slash <= 0 || !countRe.test(text.slice(slash + 1))) return badValue;
      return parseAddress(text.slice(0, slash)) !== undefined ? text : badValue;
    }
    default:
      // string, enum, and types we do not interpret (pattern, table, record, func) stay text.
      return text === m.emptyField ? '' : decodeZeekEscapes(text);
  }
}

/**
 * A whole column: unset → undefined, a set/vector → array of typed elements.
 *
 * @example tsvValue('80,443', { base: 'port', container: true }, defaultMarkers()) // [80, 443]
 */
export function tsvValue(
  text: string,
  t: ColumnType,
  m: TsvMarkers,
): ZeekValue | undefined | typeof badValue | typeof maskedValue {
  if (text === m.unsetField) return undefined;
  if (!t.container) return scalarValue(text, t.base, m);
  if (text === m.emptyField) return [];
  const parts = text.split(m.setSeparator);
  const out: ZeekScalar[] = [];
  for (const p of parts) {
    const v = p === m.unsetField ? undefined : scalarValue(p, t.base, m);
    if (v === badValue || v === maskedValue) return v;
    if (v !== undefined) out.push(v);
  }
  return out;
}
