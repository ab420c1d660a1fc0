/**
 * The shared syslog line-header parser: RFC 3164 (BSD), RFC 5424 (with
 * structured data) and journal text (`journalctl -o short`, `short-iso`,
 * rsyslog RFC 3339 files). The firewall and sshd readers call it first and
 * then parse `msg`.
 */
import { isoToEpoch, monthIndex, yearlessToEpoch } from './time.js';
import type { LineContext } from './types.js';

export interface SyslogHeader {
  format: 'rfc3164' | 'rfc5424' | 'iso';
  /** Seconds since the epoch. */
  ts: number;
  /** The timestamp as written. */
  timestampText: string;
  pri?: number;
  version?: number;
  host?: string;
  /** Program / APP-NAME (the tag before `[pid]:`). */
  app?: string;
  pid?: number;
  msgid?: string;
  structuredData?: string;
  /** The message after the header. */
  msg: string;
}

// <pri>? Mmm dd [yyyy] hh:mm:ss[.frac][:]
const bsdStamp =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(:?) ?/;
// <pri>? ISO stamp, then the rest
const isoStamp = /^(?:<(\d{1,3})>)?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) /;
const rfc5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
// tag[pid]: -- tag chars per RFC 5424 APP-NAME minus ':' and brackets
const tagPattern = /^([^\s[\]:]{1,64})(?:\[(\d{1,10})\])?: ?/;

/**
 * Parses the syslog framing of a line; undefined when the line has none.
 *
 * @example
 * parseSyslogHeader('Nov 23 11:12:20 lab-ssh sshd[27444]: Failed password ...', ctx)
 * // { format: 'rfc3164', host: 'lab-ssh', app: 'sshd', pid: 27444, msg: 'Failed password ...', ... }
 */
export function parseSyslogHeader(line: string, ctx: LineContext): SyslogHeader | undefined {
  const c = line.charCodeAt(0);
  if (c === 60 /* < */) {
    const v = rfc5424.exec(line);
    if (v) return parse5424(line, v, ctx);
  }
  if (c === 60 || (c >= 65 && c <= 90)) {
    const m = bsdStamp.exec(line);
    if (m) return parseBsd(line, m, ctx);
  }
  const iso = isoStamp.exec(line);
  if (iso) {
    const ts = isoToEpoch(iso[2]!, ctx.tzOffsetSeconds);
    if (Number.isNaN(ts)) return undefined;
    const h: SyslogHeader = { format: 'iso', ts, timestampText: iso[2]!, msg: '' };
    if (iso[1] !== undefined) h.pri = Number(iso[1]);
    hostAndTag(line.slice(iso[0].length), h);
    return h;
  }
  return undefined;
}

function parseBsd(line: string, m: RegExpExecArray, ctx: LineContext): SyslogHeader | undefined {
  const month = monthIndex(m[2]!);
  const day = Number(m[3]);
  const h = Number(m[5]);
  const min = Number(m[6]);
  const s = Number(m[7]);
  if (month < 0 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return undefined;
  const frac = m[8] ? Number(m[8]) : 0;
  const ts =
    m[4] !== undefined
      ? Date.UTC(Number(m[4]), month, day, h, min, s) / 1000 - ctx.tzOffsetSeconds + frac
      : yearlessToEpoch(month, day, h, min, s, frac, ctx.tzOffsetSeconds, ctx.referenceTime);
  const stampStart = m[1] !== undefined ? m[1].length + 2 : 0;
  const stampEnd = m[0].length - (m[0].endsWith(' ') ? 1 : 0) - m[9]!.length;
  const out: SyslogHeader = {
    format: 'rfc3164',
    ts,
    timestampText: line.slice(stampStart, stampEnd),
    msg: '',
  };
  if (m[1] !== undefined) out.pri = Number(m[1]);
  const rest = line.slice(m[0].length);
  // Cisco IOS puts a colon after the stamp and no host: "<191>Jan 24 11:28:30.407: %LINEPROTO-..."
  if (m[9] === ':') out.msg = rest;
  else hostAndTag(rest, out);
  return out;
}

/** Splits `host tag[pid]: msg` (host optional when the first word is already a tag). */
function hostAndTag(rest: string, out: SyslogHeader): void {
  const sp = rest.indexOf(' ');
  const first = sp < 0 ? rest : rest.slice(0, sp);
  // "abc-asa1: %ASA-6-..." : a host with a colon before a Cisco tag.
  if (first.endsWith(':') && rest.charCodeAt(sp + 1) === 37 /* % */) {
    out.host = first.slice(0, -1);
    out.msg = rest.slice(sp + 1);
    return;
  }
  // "su: 'su root' failed" : no host, the first word is the tag.
  const asTag = tagPattern.exec(rest);
  if (asTag && !looksLikeHost(first)) {
    applyTag(asTag, rest, out);
    return;
  }
  if (sp < 0) {
    out.msg = rest;
    return;
  }
  out.host = first;
  const after = rest.slice(sp + 1);
  const tag = tagPattern.exec(after);
  if (tag) applyTag(tag, after, out);
  else out.msg = after;
}

/** A dotted word without a pid before ':' is more likely a host than a program name. */
function looksLikeHost(word: string): boolean {
  return word.includes('.') && !word.includes('[');
}

function applyTag(tag: RegExpExecArray, text: string, out: SyslogHeader): void {
  out.app = tag[1]!;
  if (tag[2] !== undefined) out.pid = Number(tag[2]);
  out.msg = text.slice(tag[0].length);
}

function parse5424(line: string, v: RegExpExecArray, ctx: LineContext): SyslogHeader | undefined {
  const stamp = v[3]!;
  let ts: number;
  if (stamp === '-') ts = ctx.referenceTime;
  else {
    ts = isoToEpoch(stamp, ctx.tzOffsetSeconds);
    if (Number.isNaN(ts)) return undefined;
  }
  const out: SyslogHeader = {
    format: 'rfc5424',
    ts,
    timestampText: stamp,
    pri: Number(v[1]),
    version: Number(v[2]),
    msg: '',
  };
  if (v[4] !== '-') out.host = v[4]!;
  const app = v[5]!;
  // Some senders put "prog[pid]" in APP-NAME.
  const bracket = /^([^[]+)\[(\d{1,10})\]$/.exec(app);
  if (bracket) {
    out.app = bracket[1]!;
    out.pid = Number(bracket[2]);
  } else if (app !== '-') out.app = app;
  if (v[6] !== '-' && /^\d{1,10}$/.test(v[6]!)) out.pid = Number(v[6]);
  if (v[7] !== '-') out.msgid = v[7]!;
  let i = v[0].length;
  if (line.charCodeAt(i) === 45 /* - */) i++;
  else if (line.charCodeAt(i) === 91 /* [ */) {
    const end = structuredDataEnd(line, i);
    if (end < 0) return undefined;
    out.structuredData = line.slice(i, end);
    i = end;
  }
  // else: some senders leave STRUCTURED-DATA out altogether; the rest is the message.
  let msg = line.slice(i).trimStart();
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  out.msg = msg;
  return out;
}

/** Index just past the last `[...]` SD element starting at `i`, honouring `\]` and `\"` escapes; -1 if unterminated. */
function structuredDataEnd(line: string, i: number): number {
  let pos = i;
  while (line.charCodeAt(pos) === 91) {
    let inQuote = false;
    let j = pos + 1;
    for (; j < line.length; j++) {
      const ch = line.charCodeAt(j);
      if (ch === 92 /* \ */) {
        j++;
        continue;
      }
      if (ch === 34) inQuote = !inQuote;
      else if (ch === 93 && !inQuote) break;
    }
    if (j >= line.length) return -1;
    pos = j + 1;
  }
  return pos;
}

/**
 * The SD-PARAMs of RFC 5424 structured data as `id.name` → value.
 *
 * @example parseStructuredData('[meta sequenceId="10"]') // { 'meta.sequenceId': '10' }
 */
export function parseStructuredData(sd: string): Record<string, string> {
  const out: Record<string, string> = {};
  const element = /\[([^\s\]]+)((?:\s+[^=\s\]]+="(?:[^"\\]|\\.)*")*)\s*\]/g;
  const param = /([^=\s]+)="((?:[^"\\]|\\.)*)"/g;
  for (let m = element.exec(sd); m; m = element.exec(sd)) {
    const id = m[1]!;
    for (let p = param.exec(m[2]!); p; p = param.exec(m[2]!)) {
      out[`${id}.${p[1]}`] = p[2]!.replace(/\\(["\\\]])/g, '$1');
    }
  }
  return out;
}
