/**
 * The usual access-log line read by hand, without the pattern in access.ts.
 * At every choice the pattern could make (vhost prefix or not, where the user
 * ends, which optional quoted fields follow), this takes the branch the
 * pattern tries first and gives up (undefined) on anything else, so a line it
 * reads comes out exactly as the pattern would read it and every odd line is
 * left to the pattern.
 */
import { monthIndex } from '../syslog/time.js';
import { decodeLogEscapes } from './escapes.js';
import type { WeblogRecord } from './record.js';
import { applyRequest } from './request.js';

// Most lines of a log share their second with the line before: remember the last bracketed date
// (its characters up to "]", compared code by code, and its time).
const lastDate = new Uint16Array(64);
let lastDateLength = 0;
let lastTs = 0;
// Escape scanning state for the line being read: where the next backslash is.
let nextBackslash = -1;

/**
 * An access-log line read without the regular expression; undefined when the
 * line has anything the fast reading does not decide (the caller then uses the pattern).
 *
 * @example parseAccessFast('1.2.3.4 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 81 "-" "curl"')?.http.status // 200
 */
export function parseAccessFast(line: string): WeblogRecord | undefined {
  const n = line.length;
  // First token: the client, or "host:port" of vhost_combined when it ends in ":digits".
  let p = 0;
  let colon = -1;
  let digitsAfterColon = 0; // -1 once something else follows the last colon
  for (; p < n; p++) {
    const c = line.charCodeAt(p);
    if (c === 32) break;
    if (c === 58) {
      colon = p;
      digitsAfterColon = 0;
    } else if (c >= 48 && c <= 57) {
      if (digitsAfterColon >= 0) digitsAfterColon++;
    } else {
      if (c < 33 ? c >= 9 && c <= 13 : c >= 128) return undefined;
      digitsAfterColon = -1;
    }
  }
  if (p === 0 || p >= n) return undefined;
  if (colon >= 1 && digitsAfterColon > 0) {
    // The pattern tries "host:port client" first; with no " [" after it, that reading is impossible.
    const r = readFields(line, n, colon, p + 1, tokenEnd(line, p + 1, n));
    if (r !== null) return r;
  }
  return readFields(line, n, -1, 0, p) ?? undefined;
}

/**
 * The rest of the line once the client is known (`colon` ≥ 0: after a vhost
 * "host:port"). null when no " [" follows the ident, so no reading of this
 * branch can succeed; undefined when the fast reading gives up.
 */
function readFields(
  line: string,
  n: number,
  colon: number,
  srcStart: number,
  srcEnd: number,
): WeblogRecord | undefined | null {
  if (srcEnd <= srcStart) return undefined;
  const vhost = colon >= 0;
  const identStart = srcEnd + 1;
  const identEnd = tokenEnd(line, identStart, n);
  if (identEnd <= identStart) return undefined;
  // The user is everything up to the first " [" (at least one character, no line breaks).
  const userStart = identEnd + 1;
  const bracket = line.indexOf(' [', userStart + 1);
  if (bracket < 0) return null;
  for (let i = userStart; i < bracket; i++) if (isLineBreak(line.charCodeAt(i))) return undefined;
  // The date: "[dd/Mon/yyyy:hh:mm:ss(.frac)? +zzzz]".
  const d = bracket + 2;
  let ts: number;
  let afterDate: number;
  if (lastDateLength > 0 && sameDate(line, d, n)) {
    ts = lastTs;
    afterDate = d + lastDateLength;
  } else {
    afterDate = readDate(line, d, n);
    if (afterDate < 0) return undefined;
    ts = lastTs;
  }
  if (line.charCodeAt(afterDate) !== 32 || line.charCodeAt(afterDate + 1) !== 34) return undefined;
  nextBackslash = line.indexOf('\\');
  const reqStart = afterDate + 2;
  const firstBackslash = nextBackslash;
  const reqEnd = quoteEnd(line, reqStart, n);
  if (reqEnd < 0) return undefined;
  const reqEscaped = firstBackslash >= 0 && firstBackslash < reqEnd;
  if (line.charCodeAt(reqEnd + 1) !== 32) return undefined;
  // Status: three digits or "-", then a space.
  let p = reqEnd + 2;
  let status = -1;
  if (isDigit(line.charCodeAt(p)) && isDigit(line.charCodeAt(p + 1)) && isDigit(line.charCodeAt(p + 2))) {
    if (line.charCodeAt(p + 3) !== 32) return undefined;
    status =
      (line.charCodeAt(p) - 48) * 100 + (line.charCodeAt(p + 1) - 48) * 10 + line.charCodeAt(p + 2) - 48;
    p += 4;
  } else if (line.charCodeAt(p) === 45 && line.charCodeAt(p + 1) === 32) p += 2;
  else return undefined;
  // Bytes: digits or "-".
  let bytes = -1;
  if (isDigit(line.charCodeAt(p))) {
    const start = p;
    let v = 0;
    while (p < n && isDigit(line.charCodeAt(p))) v = v * 10 + line.charCodeAt(p++) - 48;
    bytes = p - start > 15 ? Number(line.slice(start, p)) : v;
  } else if (line.charCodeAt(p) === 45) p++;
  else return undefined;
  // Then: end, or ' "referrer"' (and ' "agent"'), and/or ' extra' to the end.
  let refStart = -1;
  let refEnd = -1;
  let agentStart = -1;
  let agentEnd = -1;
  let extraStart = -1;
  if (p < n) {
    if (line.charCodeAt(p) !== 32) return undefined;
    if (line.charCodeAt(p + 1) === 34) {
      refStart = p + 2;
      refEnd = quoteEnd(line, refStart, n);
      if (refEnd < 0) return undefined;
      p = refEnd + 1;
      if (p < n) {
        if (line.charCodeAt(p) !== 32) return undefined;
        if (line.charCodeAt(p + 1) === 34) {
          agentStart = p + 2;
          agentEnd = quoteEnd(line, agentStart, n);
          if (agentEnd < 0) return undefined;
          p = agentEnd + 1;
          if (p < n) {
            if (line.charCodeAt(p) !== 32) return undefined;
            extraStart = p + 1;
          }
        } else extraStart = p + 1;
      }
    } else extraStart = p + 1;
    if (extraStart >= 0)
      for (let i = extraStart; i < n; i++) if (isLineBreak(line.charCodeAt(i))) return undefined;
  }

  const r: WeblogRecord = {
    reader: 'weblog',
    format: vhost ? 'vhost-combined' : 'combined',
    ts,
    raw: line,
    src: line.slice(srcStart, srcEnd),
    http: {},
    attrs: {},
  };
  if (vhost) {
    r.http.host = line.slice(0, colon);
    r.attrs.vhostPort = Number(line.slice(colon + 1, srcStart - 1));
  }
  if (!(identEnd === identStart + 1 && line.charCodeAt(identStart) === 45))
    r.attrs.ident = line.slice(identStart, identEnd);
  if (!(bracket === userStart + 1 && line.charCodeAt(userStart) === 45))
    r.user = decodeLogEscapes(line.slice(userStart, bracket));
  const request = line.slice(reqStart, reqEnd);
  applyRequest(r, reqEscaped ? decodeLogEscapes(request) : request);
  if (status >= 0) r.http.status = status;
  if (bytes >= 0) r.http.bytes = bytes;
  if (refStart >= 0 && !(refEnd === refStart + 1 && line.charCodeAt(refStart) === 45) && refEnd > refStart)
    r.http.referrer = decodeLogEscapes(line.slice(refStart, refEnd));
  if (agentStart >= 0 && !(agentEnd === agentStart + 1 && line.charCodeAt(agentStart) === 45))
    r.http.userAgent = decodeLogEscapes(line.slice(agentStart, agentEnd));
  if (extraStart >= 0 && extraStart < n) r.attrs.extra = line.slice(extraStart);
  return r;
}

/** End of a run of non-space characters that a single space ends; -1 for anything else. */
function tokenEnd(line: string, from: number, n: number): number {
  for (let p = from; p < n; p++) {
    const c = line.charCodeAt(p);
    if (c === 32) return p;
    if (c < 33 ? c >= 9 && c <= 13 : c >= 128) return -1;
  }
  return -1;
}

/**
 * The closing quote of a quoted field whose text starts at `from`: the first
 * quote not escaped by a backslash. -1 when there is none, or when a backslash
 * precedes a line break (the pattern's `\\.` does not take those).
 */
function quoteEnd(line: string, from: number, n: number): number {
  const q = line.indexOf('"', from);
  if (q < 0) return -1;
  if (nextBackslash < 0 || nextBackslash > q) return q;
  for (let i = from; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      nextBackslash = line.indexOf('\\', i + 1);
      return i;
    }
    if (c === 92) {
      if (i + 1 >= n || isLineBreak(line.charCodeAt(i + 1))) return -1;
      i++;
    }
  }
  return -1;
}

/**
 * Reads "dd/Mon/yyyy:hh:mm:ss(.frac)? +zzzz]" at `d`, sets lastDate/lastTs,
 * and returns the index after "]"; -1 when the text differs in any way.
 */
function readDate(line: string, d: number, n: number): number {
  if (!isDigit(line.charCodeAt(d))) return -1;
  let p = d + 1;
  let day = line.charCodeAt(d) - 48;
  if (isDigit(line.charCodeAt(p))) day = day * 10 + line.charCodeAt(p++) - 48;
  if (line.charCodeAt(p) !== 47) return -1;
  const m0 = line.charCodeAt(p + 1);
  const m1 = line.charCodeAt(p + 2);
  const m2 = line.charCodeAt(p + 3);
  if (!(m0 >= 65 && m0 <= 90 && m1 >= 97 && m1 <= 122 && m2 >= 97 && m2 <= 122)) return -1;
  if (line.charCodeAt(p + 4) !== 47) return -1;
  const month = monthIndex(line.slice(p + 1, p + 4));
  if (month < 0) return -1;
  p += 5;
  const year = digits(line, p, 4);
  if (year < 0 || line.charCodeAt(p + 4) !== 58) return -1;
  const hour = digits(line, p + 5, 2);
  if (hour < 0 || line.charCodeAt(p + 7) !== 58) return -1;
  const minute = digits(line, p + 8, 2);
  if (minute < 0 || line.charCodeAt(p + 10) !== 58) return -1;
  const second = digits(line, p + 11, 2);
  if (second < 0) return -1;
  p += 13;
  let frac = 0;
  if (line.charCodeAt(p) === 46 && isDigit(line.charCodeAt(p + 1))) {
    const start = p;
    p += 2;
    while (p < n && isDigit(line.charCodeAt(p))) p++;
    frac = Number(line.slice(start, p));
  }
  if (line.charCodeAt(p) !== 32) return -1;
  const sign = line.charCodeAt(p + 1);
  if (sign !== 43 && sign !== 45) return -1;
  const zh = digits(line, p + 2, 2);
  const zm = digits(line, p + 4, 2);
  if (zh < 0 || zm < 0 || line.charCodeAt(p + 6) !== 93) return -1;
  const end = p + 7;
  const off = (sign === 45 ? -1 : 1) * (zh * 3600 + zm * 60);
  lastTs = Date.UTC(year, month, day, hour, minute, second) / 1000 - off + frac;
  lastDateLength = end - d <= lastDate.length ? end - d : 0;
  for (let i = 0; i < lastDateLength; i++) lastDate[i] = line.charCodeAt(d + i);
  return end;
}

/** True when the text at `d` is the remembered date, "]" included. */
function sameDate(line: string, d: number, n: number): boolean {
  if (d + lastDateLength > n) return false;
  for (let i = lastDateLength - 1; i >= 0; i--) if (line.charCodeAt(d + i) !== lastDate[i]) return false;
  return true;
}

/** The value of `count` ASCII digits at `at`, or -1. */
function digits(line: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** What `.` in a regular expression does not match. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}
