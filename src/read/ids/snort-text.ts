/**
 * Pieces of Snort's text alerts shared by the fast and full formats: the
 * `[gid:sid:rev] msg` signature part, the bracketed `[Classification: ...]
 * [Priority: N] [AppID: ...]` notes and the `A:p -> B:q` endpoints.
 * Hand-written scanning (indexOf), so no input can make a pattern backtrack.
 */
import { type Endpoint, parseEndpoint } from './address.js';
import type { IdsSignature } from './record.js';

/** The signature part after `[**]`: `[1:2000:3] msg` (Snort 3 quotes the msg); the msg ends at the last `[**]`. */
export interface SignatureText {
  sig: IdsSignature;
  /** The msg was quoted: Snort 3 wrote it. */
  quoted: boolean;
  iface?: string;
}

/**
 * Parses `[g:s:r] <iface>? msg [**]` at the start of `s`; the text after the closing `[**]` is `rest`.
 * @example parseSignatureText('[1:1000001:2] Probe [**] [Priority: 3]')?.sig.sid // 1000001
 */
export function parseSignatureText(s: string): { part: SignatureText; rest: string } | undefined {
  if (s.charCodeAt(0) !== 91 /* [ */) return undefined;
  const close = s.indexOf(']');
  if (close < 6 || close > 40) return undefined;
  const ids = s.slice(1, close).split(':');
  if (ids.length !== 3 || !ids.every((x) => /^\d{1,10}$/.test(x))) return undefined;
  let body = s.slice(close + 1).trimStart();
  let iface: string | undefined;
  if (body.startsWith('<')) {
    const gt = body.indexOf('>');
    if (gt < 0) return undefined;
    iface = body.slice(1, gt).trim().slice(0, 64);
    body = body.slice(gt + 1).trimStart();
  }
  const end = body.lastIndexOf('[**]');
  if (end < 0) return undefined;
  let msg = body.slice(0, end).trim();
  let quoted = false;
  if (msg.length >= 2 && msg.startsWith('"') && msg.endsWith('"')) {
    msg = msg.slice(1, -1);
    quoted = true;
  }
  const sig: IdsSignature = { gid: Number(ids[0]), sid: Number(ids[1]), rev: Number(ids[2]), msg };
  const part: SignatureText = { sig, quoted };
  if (iface !== undefined) part.iface = iface;
  return { part, rest: body.slice(end + 4) };
}

/** What the bracketed notes say. */
export interface AlertNotes {
  classification?: string;
  priority?: number;
  appId?: string;
  /** The `{TCP}` word of fast alerts. */
  protoWord?: string;
  /** Text after the notes and the protocol (the endpoints, in fast alerts). */
  rest: string;
}

/**
 * Reads `[Classification: X] [Priority: N] [AppID: Y] {PROTO}` in any order,
 * each optional; unknown bracketed notes are skipped.
 * @example parseNotes(' [Priority: 2] {TCP} 1.2.3.4:5 -> 6.7.8.9:22').priority // 2
 */
export function parseNotes(s: string): AlertNotes {
  const notes: AlertNotes = { rest: '' };
  let i = 0;
  for (;;) {
    while (i < s.length && s.charCodeAt(i) === 32) i++;
    const c = s.charCodeAt(i);
    if (c === 91 /* [ */) {
      const close = s.indexOf(']', i);
      if (close < 0) break;
      note(notes, s.slice(i + 1, close));
      i = close + 1;
    } else if (c === 123 /* { */ && notes.protoWord === undefined) {
      const close = s.indexOf('}', i);
      if (close < 0 || close - i > 20) break;
      notes.protoWord = s.slice(i + 1, close).trim();
      i = close + 1;
    } else break;
  }
  notes.rest = s.slice(i).trim();
  return notes;
}

function note(notes: AlertNotes, inner: string): void {
  const colon = inner.indexOf(':');
  if (colon < 0) return;
  const key = inner.slice(0, colon).trim();
  const value = inner.slice(colon + 1).trim();
  if (key === 'Classification') notes.classification = value.slice(0, 256);
  else if (key === 'Priority' && /^\d{1,5}$/.test(value)) notes.priority = Number(value);
  else if (key === 'AppID') notes.appId = value.slice(0, 64);
}

/**
 * `A -> B` with or without ports; undefined when either side is not an address.
 * @example parseArrow('10.0.0.1:4 -> 10.0.0.2:22', true) // [{addr:'10.0.0.1',port:4},{addr:'10.0.0.2',port:22}]
 */
export function parseArrow(s: string, hasPorts: boolean): [Endpoint, Endpoint] | undefined {
  const arrow = s.indexOf(' -> ');
  if (arrow < 0) return undefined;
  const a = s.slice(0, arrow).trim();
  let b = s.slice(arrow + 4).trim();
  const sp = b.indexOf(' ');
  if (sp >= 0) b = b.slice(0, sp);
  const src = parseEndpoint(a, hasPorts);
  const dst = parseEndpoint(b, hasPorts);
  if (src === undefined || dst === undefined) return undefined;
  if (!hasPorts) return [{ addr: src.addr }, { addr: dst.addr }];
  return [src, dst];
}
