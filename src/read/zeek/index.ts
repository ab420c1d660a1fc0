/**
 * The Zeek log reader: conn, http, ssh, dns, notice, weird (and any other
 * path, read generically) in the TSV form with its header and in the JSON
 * form. The TSV header lives in the per-file state of the line context.
 */
import type { LineContext, LineResult, LogReader } from '../syslog/types.js';
import { zeekJsonLine } from './json.js';
import type { ZeekRecord } from './record.js';
import {
  isPlainHeaderRow,
  newTsvState,
  type TsvState,
  tsvDataLine,
  tsvHeaderLine,
  usePlainHeaderRow,
} from './tsv.js';

export { isoSeconds, zeekJsonLine } from './json.js';
export { headerlessFields, pathFromFields, pathFromFileName } from './layouts.js';
export type { ZeekRecord, ZeekScalar, ZeekValue } from './record.js';
export { zeekBool, zeekNumber, zeekText } from './record.js';
export { newTsvState, type TsvState, tsvDataLine, tsvHeaderLine } from './tsv.js';
export { decodeZeekEscapes } from './values.js';

const stateKey = 'zeek';

/** This file's TSV state, made on first use (readLogFile gives each file a fresh map). */
export function zeekFileState(ctx: LineContext): TsvState {
  let m = ctx.fileState;
  if (!m) {
    m = new Map();
    ctx.fileState = m;
  }
  let s = m.get(stateKey) as TsvState | undefined;
  if (!s) {
    s = newTsvState(ctx.file);
    m.set(stateKey, s);
  }
  return s;
}

const headerStarts = ['#separator', '#path', '#fields', '#set_separator', '#types'];
const epochRe = /^\d{9,10}\.\d{1,9}$/;
const uidRe = /^[A-Za-z0-9]{10,24}$/;

/** A JSON line with Zeek's join keys and not Suricata's EVE `event_type`. */
function looksLikeZeekJson(l: string): boolean {
  if (!l.includes('"uid"') || l.includes('"event_type"')) return false;
  if (!l.includes('"id.orig_h"') && !l.includes('"orig_h"')) return false;
  try {
    const o = JSON.parse(l) as Record<string, unknown>;
    const id = o.id as Record<string, unknown> | undefined;
    return (
      typeof o.uid === 'string' && (typeof o['id.orig_h'] === 'string' || typeof id?.orig_h === 'string')
    );
  } catch {
    return false;
  }
}

/** A header-less TSV data line: epoch time, a connection uid, an address and a port. */
function looksLikeHeaderlessLine(l: string): boolean {
  const cols = l.split('\t', 5);
  return (
    cols.length === 5 &&
    epochRe.test(cols[0]!) &&
    uidRe.test(cols[1]!) &&
    (cols[2]!.includes('.') || cols[2]!.includes(':')) &&
    /^\d{1,5}$/.test(cols[3]!)
  );
}

/**
 * @example zeekReader.parseLine('#fields\tts\tuid', ctx) // null (the header is kept in ctx.fileState)
 */
export const zeekReader: LogReader<ZeekRecord> = {
  name: 'zeek',
  description:
    'Zeek logs (conn, http, ssh, dns, notice, weird and others) in TSV with header, header-less, or JSON',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    for (const l of lines) {
      if (l === '') continue;
      if (headerStarts.some((h) => l.startsWith(h))) return 1;
      n++;
      if (l.charCodeAt(0) === 123 ? looksLikeZeekJson(l) : looksLikeHeaderlessLine(l)) hits++;
    }
    return n === 0 ? 0 : hits / n;
  },
  parseLine(line: string, ctx: LineContext): LineResult<ZeekRecord> {
    if (line === '') return null;
    const s = zeekFileState(ctx);
    const c = line.charCodeAt(0);
    if (c === 35) return tsvHeaderLine(line, s, ctx); // '#'
    if (c === 123) return zeekJsonLine(line, s.path, ctx); // '{'
    if (isPlainHeaderRow(line, s)) {
      usePlainHeaderRow(line, s, ctx);
      return null;
    }
    return tsvDataLine(line, s, ctx);
  },
};
