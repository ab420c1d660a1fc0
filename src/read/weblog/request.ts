/**
 * The request field of an access-log line: "METHOD uri HTTP/x.y" split into
 * its parts, or kept whole (TLS bytes, "-", anything else) as attrs.request.
 */
import type { WeblogHttp, WeblogRecord } from './record.js';

// Shared strings for the common values: no copy per line, and fast as keys later.
const commonMethods = ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PROPFIND', 'PATCH', 'CONNECT'];
const commonVersions = ['1.1', '1.0', '2.0', '2', '0.9'];
// The uri: a run of non-space characters (sticky: it must start where lastIndex is).
const nonSpaceRun = /\S+/y;

/**
 * Splits the request into method, uri and version when it is
 * `^[A-Za-z][A-Za-z0-9_-]{0,31} \S+( HTTP/\d+(\.\d+)?)?$`; anything else but "-"
 * and "" goes whole into attrs.request.
 *
 * @example applyRequest(rec, 'GET /a HTTP/1.1') // rec.http: { method: 'GET', uri: '/a', version: '1.1' }
 */
export function applyRequest(r: WeblogRecord, request: string): void {
  if (!splitRequest(request, r.http) && request !== '-' && request !== '') r.attrs.request = request;
}

function splitRequest(s: string, http: WeblogHttp): boolean {
  const n = s.length;
  if (n === 0 || !isLetter(s.charCodeAt(0))) return false;
  let k = 1;
  while (k < n && isMethodChar(s.charCodeAt(k))) k++;
  if (k > 32 || k >= n || s.charCodeAt(k) !== 32) return false;
  const uriStart = k + 1;
  nonSpaceRun.lastIndex = uriStart;
  if (!nonSpaceRun.test(s)) return false;
  const uriEnd = nonSpaceRun.lastIndex;
  let versionStart = -1;
  if (uriEnd < n) {
    if (!sameAt(s, uriEnd, ' HTTP/')) return false;
    versionStart = uriEnd + 6;
    let p = versionStart;
    if (!(p < n && isDigit(s.charCodeAt(p)))) return false;
    while (p < n && isDigit(s.charCodeAt(p))) p++;
    if (p < n) {
      if (s.charCodeAt(p) !== 46 || !(p + 1 < n && isDigit(s.charCodeAt(p + 1)))) return false;
      p += 2;
      while (p < n && isDigit(s.charCodeAt(p))) p++;
      if (p < n) return false;
    }
  }
  http.method = pick(commonMethods, s, 0, k);
  http.uri = s.slice(uriStart, uriEnd);
  if (versionStart >= 0) http.version = pick(commonVersions, s, versionStart, n);
  return true;
}

/** s.slice(start, end), as the shared copy when it is one of `known`. */
function pick(known: readonly string[], s: string, start: number, end: number): string {
  const len = end - start;
  for (const k of known) if (k.length === len && sameAt(s, start, k)) return k;
  return s.slice(start, end);
}

/** s.startsWith(lit, at), without the generic builtin's cost on sliced strings. */
function sameAt(s: string, at: number, lit: string): boolean {
  if (at + lit.length > s.length) return false;
  for (let i = 0; i < lit.length; i++) if (s.charCodeAt(at + i) !== lit.charCodeAt(i)) return false;
  return true;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isMethodChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
