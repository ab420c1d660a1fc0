/**
 * Snort's "full" alerts span several lines, ended by a blank line:
 *
 *   [**] [1:1000001:1] msg [**]
 *   [Classification: ...] [Priority: 2]
 *   11/23-11:12:20.123456 10.0.0.1:4444 -> 10.0.0.2:22
 *   TCP TTL:64 TOS:0x0 ID:1 IpLen:20 DgmLen:60 DF
 *   ...flags, options, [Xref => ...] lines...
 *
 * (with `-e` a MAC line takes the timestamp and the addresses move to the
 * protocol line). The line-based reader keeps one pending alert in the file's
 * state and returns it once its protocol line (or the blank line) arrives, so
 * memory stays at one record. An alert cut off before its address line is a
 * problem; one cut off between its address and protocol lines at end of file
 * is not seen (Snort writes both in one go).
 */
import type { Problem } from '../../schema/problem.js';
import { type LineContext, lineProblem } from '../syslog/types.js';
import type { SnortAlertRecord } from './record.js';
import { applyNotes, hasPorts, setEndpoints, setProto, snortRecord } from './snort-fast.js';
import { snortProto } from './snort-proto.js';
import { parseArrow, parseNotes, parseSignatureText } from './snort-text.js';
import { snortTimeToEpoch, startsWithSnortTime } from './snort-time.js';

const stateKey = 'snort-full';
/** Longest raw text kept for one multi-line alert. */
const maxRaw = 4096;

interface FullState {
  pending?: SnortAlertRecord;
  stage: 'header' | 'addressed' | 'done';
  quoted: boolean;
  /** Timestamp from a `-e` MAC line, waiting for the address line. */
  macTs?: number;
  arrowText?: string;
}

const fallbackStates = new WeakMap<LineContext, FullState>();

function stateOf(ctx: LineContext): FullState {
  const m = ctx.fileState;
  let s = (m !== undefined ? m.get(stateKey) : fallbackStates.get(ctx)) as FullState | undefined;
  if (s === undefined) {
    s = { stage: 'done', quoted: false };
    if (m !== undefined) m.set(stateKey, s);
    else fallbackStates.set(ctx, s);
  }
  return s;
}

/** True while a full alert is open in this file: its following lines belong to it. */
export function fullAlertOpen(ctx: LineContext): boolean {
  const s = ctx.fileState?.get(stateKey) ?? fallbackStates.get(ctx);
  return (s as FullState | undefined)?.pending !== undefined;
}

/**
 * Feeds one line of a full-alert file. Returns the finished alert when this line
 * completes one, a problem for a broken alert, null otherwise; `undefined` when the
 * line is neither a header nor part of an open alert (the caller tries other forms).
 *
 * @example feedFullLine('[**] [1:2:3] msg [**]', ctx) // null (pending), then the address and TCP lines return the record
 */
export function feedFullLine(line: string, ctx: LineContext): SnortAlertRecord | Problem | null | undefined {
  const s = stateOf(ctx);
  if (line.trim() === '') return finish(s, ctx);
  if (line.startsWith('[**]')) {
    const done = finish(s, ctx);
    const sig = parseSignatureText(line.slice(4).trimStart());
    if (sig === undefined)
      return done ?? lineProblem(ctx, 'snort.unparsed', 'malformed full-alert header; skipped');
    const r = snortRecord('snort-full', Number.NaN, line, sig.part, { rest: '' });
    r.line = ctx.line;
    s.pending = r;
    s.stage = 'header';
    s.quoted = sig.part.quoted;
    s.macTs = undefined;
    s.arrowText = undefined;
    return done;
  }
  const r = s.pending;
  if (r === undefined) return undefined;
  if (s.stage === 'done') return null; // flags, options, Xref and payload lines of an alert already returned
  addRaw(r, line);
  if (s.stage === 'header') {
    if (line.startsWith('[')) {
      applyNotes(r, parseNotes(line));
      return null;
    }
    if (startsWithSnortTime(line)) {
      const sp = line.indexOf(' ');
      const ts = snortTimeToEpoch(
        sp < 0 ? line : line.slice(0, sp),
        s.quoted ? 3 : 2,
        ctx.tzOffsetSeconds,
        ctx.referenceTime,
      );
      if (!Number.isFinite(ts)) {
        s.pending = undefined;
        return lineProblem(ctx, 'snort.bad-timestamp', 'malformed timestamp in a full alert; alert skipped');
      }
      r.ts = ts;
      const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
      if (rest.includes(' type:0x')) s.macTs = ts;
      else {
        s.arrowText = rest;
        s.stage = 'addressed';
      }
      return null;
    }
    if (s.macTs !== undefined && line.includes(' -> ')) {
      // -e form: "A -> B TCP TTL:..." carries both the addresses and the protocol.
      const parts = line.trim().split(' ');
      if (parts.length >= 4) setProto(r, parts[3]!);
      s.arrowText = parts.slice(0, 3).join(' ');
      return emit(s, ctx);
    }
    return lineProblem(
      ctx,
      'snort.unparsed',
      `line inside the full alert from line ${r.line} not understood; skipped`,
    );
  }
  // Addressed: the next line names the protocol ("TCP TTL:64 ..."); anything else ends the wait.
  const word = line.slice(0, line.indexOf(' ') < 0 ? line.length : line.indexOf(' '));
  if (snortProto(word) !== undefined || word === 'IP' || word === 'ARP') setProto(r, word);
  return emit(s, ctx);
}

/** The blank line (or a new header): returns an alert still waiting, or a problem for one never addressed. */
function finish(s: FullState, ctx: LineContext): SnortAlertRecord | Problem | null {
  const r = s.pending;
  if (r === undefined) return null;
  const stage = s.stage;
  if (stage === 'addressed') return emit(s, ctx, true);
  s.pending = undefined;
  s.stage = 'done';
  if (stage === 'done') return null;
  return lineProblem(
    ctx,
    'snort.full-incomplete',
    `full alert from line ${r.line} has no time and address line; skipped`,
  );
}

function emit(s: FullState, ctx: LineContext, closing = false): SnortAlertRecord | Problem {
  const r = s.pending!;
  s.stage = 'done';
  if (closing) s.pending = undefined;
  const arrow = parseArrow(s.arrowText ?? '', hasPorts(r.proto));
  if (arrow === undefined) {
    s.pending = undefined;
    return lineProblem(
      ctx,
      'snort.bad-address',
      `full alert from line ${r.line}: endpoints are not "address -> address"; skipped`,
    );
  }
  setEndpoints(r, arrow);
  return r;
}

function addRaw(r: SnortAlertRecord, line: string): void {
  if (r.raw.length >= maxRaw) return;
  r.raw = `${r.raw}\n${line}`.slice(0, maxRaw);
}
