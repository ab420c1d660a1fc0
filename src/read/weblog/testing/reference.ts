/**
 * For tests: the plain reading of an access line, one regular expression per
 * step and nothing cached, as the reader worked before its fast path. The
 * fast reader must give exactly what this gives, field for field and in the
 * same key order.
 */
import { monthIndex } from '../../syslog/time.js';
import type { WeblogRecord } from '../record.js';

const Q = '"((?:[^"\\\\]|\\\\.)*)"';
const accessPattern = new RegExp(
  `^(?:(\\S+?):(\\d+) )?(\\S+) (\\S+) (.+?) \\[(\\d{1,2})/([A-Z][a-z]{2})/(\\d{4}):(\\d\\d):(\\d\\d):(\\d\\d)(\\.\\d+)? ([+-]\\d{4})\\] ${Q} (\\d{3}|-) (\\d+|-)(?: ${Q}(?: ${Q})?)?(?: (.*))?$`,
);
const looseRequest =
  /^(?:(\S+?):(\d+) )?(\S+) (\S+) (.+?) \[([^\]]+)\] "(.*)" (\d{3}|-) (\d+|-)(?: "(.*?)" "(.*)")?$/;
const requestLine = /^([A-Za-z][A-Za-z0-9_-]{0,31}) (\S+)(?: HTTP\/(\d+(?:\.\d+)?))?$/;

/** The access line as the single pattern (and its loose fallback) reads it. */
export function referenceAccessLine(line: string): WeblogRecord | undefined {
  const m = accessPattern.exec(line);
  if (!m) return referenceLoose(line);
  const month = monthIndex(m[7]!);
  if (month < 0) return undefined;
  const zone = m[13]!;
  const off = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(3, 5)) * 60);
  const ts =
    Date.UTC(Number(m[8]), month, Number(m[6]), Number(m[9]), Number(m[10]), Number(m[11])) / 1000 -
    off +
    (m[12] ? Number(m[12]) : 0);
  const format = m[1] !== undefined ? 'vhost-combined' : m[16] !== undefined ? 'combined' : 'common';
  const r: WeblogRecord = { reader: 'weblog', format, ts, raw: line, src: m[3]!, http: {}, attrs: {} };
  if (m[1] !== undefined) {
    r.http.host = m[1];
    r.attrs.vhostPort = Number(m[2]);
  }
  if (m[4] !== '-') r.attrs.ident = m[4]!;
  if (m[5] !== '-') r.user = referenceDecode(m[5]!);
  referenceRequest(r, referenceDecode(m[14]!));
  if (m[15] !== '-') r.http.status = Number(m[15]);
  if (m[16] !== '-') r.http.bytes = Number(m[16]);
  if (m[17] !== undefined && m[17] !== '-' && m[17] !== '') r.http.referrer = referenceDecode(m[17]);
  if (m[18] !== undefined && m[18] !== '-') r.http.userAgent = referenceDecode(m[18]);
  if (m[19] !== undefined && m[19] !== '') r.attrs.extra = m[19];
  return r;
}

function referenceLoose(line: string): WeblogRecord | undefined {
  const m = looseRequest.exec(line);
  if (!m) return undefined;
  const t = /^(\d{1,2})\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.\d+)? ([+-])(\d\d)(\d\d)$/.exec(
    m[6]!,
  );
  if (!t) return undefined;
  const month = monthIndex(t[2]!);
  if (month < 0) return undefined;
  const off = (t[7] === '-' ? -1 : 1) * (Number(t[8]) * 3600 + Number(t[9]) * 60);
  const ts =
    Date.UTC(Number(t[3]), month, Number(t[1]), Number(t[4]), Number(t[5]), Number(t[6])) / 1000 - off;
  const r: WeblogRecord = {
    reader: 'weblog',
    format: m[10] !== undefined ? 'combined' : 'common',
    ts,
    raw: line,
    src: m[3]!,
    http: {},
    attrs: {},
  };
  if (m[1] !== undefined) r.http.host = m[1];
  if (m[5] !== '-') r.user = m[5]!;
  referenceRequest(r, referenceDecode(m[7]!));
  if (m[8] !== '-') r.http.status = Number(m[8]);
  if (m[9] !== '-') r.http.bytes = Number(m[9]);
  if (m[10] !== undefined && m[10] !== '-' && m[10] !== '') r.http.referrer = referenceDecode(m[10]);
  if (m[11] !== undefined && m[11] !== '-') r.http.userAgent = referenceDecode(m[11]);
  return r;
}

/** "METHOD uri HTTP/x.y" split by its pattern, or the whole request in attrs. */
export function referenceRequest(r: WeblogRecord, request: string): void {
  const q = requestLine.exec(request);
  if (q) {
    r.http.method = q[1]!;
    r.http.uri = q[2]!;
    if (q[3] !== undefined) r.http.version = q[3];
  } else if (request !== '-' && request !== '') r.attrs.request = request;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** Log escapes decoded into a plain list of bytes, then read as UTF-8. */
export function referenceDecode(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  if (s.indexOf('\\x') < 0)
    return s.replace(/\\(["\\nrt])/g, (_m, ch: string) =>
      ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch === 't' ? '\t' : ch,
    );
  const bytes: number[] = [];
  const hex = /^[0-9A-Fa-f]{2}$/;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === 'x' && i + 3 < s.length && hex.test(s.slice(i + 2, i + 4))) {
        bytes.push(Number.parseInt(s.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
      if (n === '"' || n === '\\') {
        bytes.push(n.charCodeAt(0));
        i++;
        continue;
      }
    }
    if (c < 0x80) bytes.push(c);
    else {
      const end = c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1;
      for (const b of encoder.encode(s.slice(i, end))) bytes.push(b);
      i = end - 1;
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}
