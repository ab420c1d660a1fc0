/**
 * Start lines and header lines of HTTP/1 messages, read the way libhtp reads
 * them under Suricata's defaults. Pure functions over byte views; the views
 * returned point into the input (callers copy what they keep).
 */

/** libhtp's whitespace: SP, HT, CR, LF, VT, FF. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Line without its trailing CR/LF bytes. */
export function chomp(line: Uint8Array): Uint8Array {
  let end = line.length;
  while (end > 0 && (line[end - 1] === 0x0a || line[end - 1] === 0x0d)) end--;
  return line.subarray(0, end);
}

/** True when the line holds only whitespace (libhtp skips such lines before a start line). */
export function isBlankLine(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) if (!isSpace(line[i]!)) return false;
  return true;
}

function trim(b: Uint8Array): Uint8Array {
  let s = 0;
  let e = b.length;
  while (s < e && isSpace(b[s]!)) s++;
  while (e > s && isSpace(b[e - 1]!)) e--;
  return b.subarray(s, e);
}

/** Header value trim: spaces and tabs only. */
function trimSpTab(b: Uint8Array): Uint8Array {
  let s = 0;
  let e = b.length;
  while (s < e && (b[s] === 0x20 || b[s] === 0x09)) s++;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0x09)) e--;
  return b.subarray(s, e);
}

export interface RequestLine {
  method: Uint8Array;
  /** Absent when the line is a method alone. */
  uri?: Uint8Array;
  /** Absent when the line has no protocol (HTTP/0.9 form). */
  protocol?: Uint8Array;
  leadingWhitespace: boolean;
  methodDelimNonCompliant: boolean;
  uriDelimNonCompliant: boolean;
}

/** Splits at the last byte that `pred` accepts; both halves trimmed. */
function splitLast(b: Uint8Array, pred: (c: number) => boolean): [Uint8Array, Uint8Array] {
  for (let i = b.length - 1; i >= 0; i--) {
    if (pred(b[i]!)) return [trim(b.subarray(0, i)), trim(b.subarray(i + 1))];
  }
  return [trim(b), b.subarray(b.length)];
}

const isSp = (c: number) => c === 0x20;

/**
 * Parses a chomped request line. Suricata lets the URI contain spaces, so the
 * protocol is what follows the last space.
 *
 * @example
 * parseRequestLine(bytes('GET /a b HTTP/1.1')).uri // bytes('/a b')
 */
export function parseRequestLine(line: Uint8Array): RequestLine {
  let i = 0;
  const n = line.length;
  while (i < n && isSpace(line[i]!)) i++;
  const leadingWhitespace = i > 0;
  const ms = i;
  while (i < n && !isSpace(line[i]!)) i++;
  const method = line.subarray(ms, i);
  let methodDelimNonCompliant = false;
  while (i < n && isSpace(line[i]!)) {
    if (line[i] !== 0x20) methodDelimNonCompliant = true;
    i++;
  }
  const out: RequestLine = {
    method,
    leadingWhitespace,
    methodDelimNonCompliant,
    uriDelimNonCompliant: false,
  };
  if (i >= n) return out;
  const rest = trim(line.subarray(i));
  let [uri, protocol] = splitLast(rest, isSp);
  let odd = false;
  for (let k = 0; k < uri.length; k++) if (isSpace(uri[k]!) && uri[k] !== 0x20) odd = true;
  if (odd) {
    out.uriDelimNonCompliant = true;
    if (uri.length === rest.length) [uri, protocol] = splitLast(rest, isSpace);
  }
  out.uri = uri;
  if (protocol.length > 0) out.protocol = protocol;
  return out;
}

/**
 * True when `protocol` is HTTP/0.9, 1.0 or 1.1 as libhtp accepts it
 * (case-insensitive `HTTP`, optional whitespace, leading zeros).
 */
export function isValidProtocol(protocol: Uint8Array): boolean {
  const t = trim(protocol);
  if (t.length < 6 || t.length > 32) return false;
  const h = String.fromCharCode(t[0]! | 0x20, t[1]! | 0x20, t[2]! | 0x20, t[3]! | 0x20);
  if (h !== 'http') return false;
  let i = 4;
  while (i < t.length && isSpace(t[i]!)) i++;
  if (t[i] !== 0x2f) return false;
  i++;
  while (i < t.length && (isSpace(t[i]!) || t[i] === 0x30)) i++;
  const v = String.fromCharCode(...t.subarray(i));
  return v === '.9' || v === '1.0' || v === '1.1';
}

/** True for HTTP/1.0 and HTTP/0.9 (chunked responses there are an anomaly). */
export function isOldProtocol(protocol: Uint8Array | undefined): boolean {
  if (protocol === undefined) return true;
  const s = String.fromCharCode(...trim(protocol).subarray(-3));
  return s === '1.0' || s === '0.9' || s === '/.9';
}

/**
 * Whether a response's first line should be read as body, the way browsers
 * and libhtp do: anything that does not start (after whitespace or NULs)
 * with `http`, case-insensitive.
 */
export function responseLineIsBody(line: Uint8Array): boolean {
  let i = 0;
  while (i < line.length && (isSpace(line[i]!) || line[i] === 0)) i++;
  if (line.length < i + 4) return true;
  return !(
    (line[i]! | 0x20) === 0x68 &&
    (line[i + 1]! | 0x20) === 0x74 &&
    (line[i + 2]! | 0x20) === 0x74 &&
    (line[i + 3]! | 0x20) === 0x70
  );
}

export interface StatusLine {
  protocol: Uint8Array;
  status: Uint8Array;
  message: Uint8Array;
}

/**
 * Parses a chomped status line: protocol, status code and the rest as message.
 *
 * @example
 * parseStatusLine(bytes('HTTP/1.1 404 Not Found')).message // bytes('Not Found')
 */
export function parseStatusLine(line: Uint8Array): StatusLine {
  let i = 0;
  const n = line.length;
  while (i < n && isSpace(line[i]!)) i++;
  const ps = i;
  while (i < n && !isSpace(line[i]!)) i++;
  const protocol = line.subarray(ps, i);
  while (i < n && isSpace(line[i]!)) i++;
  const ss = i;
  while (i < n && !isSpace(line[i]!)) i++;
  const status = line.subarray(ss, i);
  while (i < n && isSpace(line[i]!)) i++;
  return { protocol, status, message: line.subarray(i) };
}

/** Three-digit status between 100 and 999, else -1. */
export function statusNumber(status: Uint8Array): number {
  if (status.length !== 3) return -1;
  let v = 0;
  for (let i = 0; i < 3; i++) {
    const d = status[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v >= 100 ? v : -1;
}

export interface HeaderLine {
  name: Uint8Array;
  value: Uint8Array;
  missingColon: boolean;
  /** Name had whitespace or non-token bytes. */
  invalidName: boolean;
}

const TOKEN_EXTRA = new Set([
  0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2a, 0x2b, 0x2d, 0x2e, 0x5e, 0x5f, 0x60, 0x7c, 0x7e,
]);

function isTokenByte(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || TOKEN_EXTRA.has(c)
  );
}

/**
 * Splits a chomped header line at its first colon. Without a colon libhtp
 * keeps the line as a header with an empty name and the line as value.
 *
 * @example
 * parseHeaderLine(bytes('Host:  a.example ')) // name 'Host', value 'a.example'
 */
export function parseHeaderLine(line: Uint8Array): HeaderLine {
  const colon = line.indexOf(0x3a);
  if (colon < 0) {
    return { name: line.subarray(0, 0), value: trimSpTab(line), missingColon: true, invalidName: false };
  }
  let end = colon;
  while (end > 0 && isSpace(line[end - 1]!)) end--;
  let start = 0;
  while (start < end && isSpace(line[start]!)) start++;
  const name = line.subarray(start, end);
  let invalidName = end !== colon || start !== 0 || name.length === 0;
  for (let i = 0; i < name.length && !invalidName; i++) if (!isTokenByte(name[i]!)) invalidName = true;
  return { name, value: trimSpTab(line.subarray(colon + 1)), missingColon: false, invalidName };
}

/** Case-insensitive ASCII comparison of a header name with a lower-case literal. */
export function nameIs(name: Uint8Array, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A Content-Length value as libhtp reads it: the first run of digits, junk
 * around it tolerated (and reported); -1 when there are no digits or the
 * number is absurd.
 */
export function parseContentLength(v: Uint8Array): { length: number; junk: boolean } {
  let i = 0;
  while (i < v.length && (v[i]! < 0x30 || v[i]! > 0x39)) i++;
  const junkBefore = trim(v.subarray(0, i)).length > 0;
  if (i >= v.length) return { length: -1, junk: true };
  let n = 0;
  while (i < v.length && v[i]! >= 0x30 && v[i]! <= 0x39) {
    n = n * 10 + (v[i]! - 0x30);
    if (n > Number.MAX_SAFE_INTEGER / 10) return { length: -1, junk: true };
    i++;
  }
  return { length: n, junk: junkBefore || trim(v.subarray(i)).length > 0 };
}

/** Chunk size line: hex digits after optional whitespace, extensions after `;` ignored; -1 if invalid. */
export function parseChunkSize(line: Uint8Array): number {
  let i = 0;
  while (i < line.length && isSpace(line[i]!)) i++;
  const start = i;
  let n = 0;
  while (i < line.length) {
    const c = line[i]!;
    const l = c | 0x20;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
    if (d < 0) break;
    n = n * 16 + d;
    if (n > 0x7fffffff) return -1;
    i++;
  }
  if (i === start) return -1;
  while (i < line.length && isSpace(line[i]!)) i++;
  if (i < line.length && line[i] !== 0x3b) return -1;
  return n;
}

/** True if `value` names the chunked coding (libhtp looks for it anywhere in the value). */
export function hasChunked(value: Uint8Array): boolean {
  const s = String.fromCharCode(...value.subarray(0, 256)).toLowerCase();
  return s.includes('chunked');
}
