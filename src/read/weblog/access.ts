/**
 * Apache / nginx access logs: common, combined and vhost_combined
 * (`host:port client ident user [time] "request" status bytes "referer" "agent"`).
 */
import { monthIndex } from '../syslog/time.js';
import { parseAccessFast } from './access-fast.js';
import { decodeLogEscapes } from './escapes.js';
import type { WeblogRecord } from './record.js';
import { applyRequest } from './request.js';

const Q = '"((?:[^"\\\\]|\\\\.)*)"'; // a quoted field with backslash escapes
const accessPattern = new RegExp(
  `^(?:(\\S+?):(\\d+) )?(\\S+) (\\S+) (.+?) \\[(\\d{1,2})/([A-Z][a-z]{2})/(\\d{4}):(\\d\\d):(\\d\\d):(\\d\\d)(\\.\\d+)? ([+-]\\d{4})\\] ${Q} (\\d{3}|-) (\\d+|-)(?: ${Q}(?: ${Q})?)?(?: (.*))?$`,
);
// Fallback for servers that do not escape quotes inside the request.
const looseRequest =
  /^(?:(\S+?):(\d+) )?(\S+) (\S+) (.+?) \[([^\]]+)\] "(.*)" (\d{3}|-) (\d+|-)(?: "(.*?)" "(.*)")?$/;

/** True when a line has the access-log shape. */
export function looksLikeAccessLine(line: string): boolean {
  return accessPattern.test(line);
}

/**
 * Parses one access-log line; undefined when it does not have the shape.
 *
 * @example parseAccessLine('1.2.3.4 - - [23/Nov/2026:11:12:20 +0000] "GET /rom-0 HTTP/1.1" 404 153 "-" "curl/7.88.1"')
 */
export function parseAccessLine(line: string): WeblogRecord | undefined {
  return parseAccessFast(line) ?? parseAccessPattern(line);
}

/** The pattern's reading: decides every line the fast reading leaves (odd spacing, escapes before line breaks...). */
function parseAccessPattern(line: string): WeblogRecord | undefined {
  const m = accessPattern.exec(line);
  if (!m) return parseLoose(line);
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
  if (m[5] !== '-') r.user = decodeLogEscapes(m[5]!);
  applyRequest(r, decodeLogEscapes(m[14]!));
  if (m[15] !== '-') r.http.status = Number(m[15]);
  if (m[16] !== '-') r.http.bytes = Number(m[16]);
  if (m[17] !== undefined && m[17] !== '-' && m[17] !== '') r.http.referrer = decodeLogEscapes(m[17]);
  if (m[18] !== undefined && m[18] !== '-') r.http.userAgent = decodeLogEscapes(m[18]);
  if (m[19] !== undefined && m[19] !== '') r.attrs.extra = m[19];
  return r;
}

function parseLoose(line: string): WeblogRecord | undefined {
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
  applyRequest(r, decodeLogEscapes(m[7]!));
  if (m[8] !== '-') r.http.status = Number(m[8]);
  if (m[9] !== '-') r.http.bytes = Number(m[9]);
  if (m[10] !== undefined && m[10] !== '-' && m[10] !== '') r.http.referrer = decodeLogEscapes(m[10]);
  if (m[11] !== undefined && m[11] !== '-') r.http.userAgent = decodeLogEscapes(m[11]);
  return r;
}
