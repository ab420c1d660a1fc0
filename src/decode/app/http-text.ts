/**
 * Text-level pieces of HTTP/1.x parsing: start lines, token shapes and byte
 * checks. Pure functions over one line; framing lives in http.ts.
 */

/** The start-line fields a parser fills. */
export interface StartLine {
  method: string;
  uri: string;
  version: string;
  statusCode: number;
  statusMsg: string;
}

/** Method shapes accepted without an `HTTP/` version (malformed or 0.9-style request lines). */
const BARE_METHOD = /^[A-Z][A-Z0-9_-]{0,31}$/;
const STATUS_LINE = /^HTTP\/(\d\.\d) +(\d{3})(?:[ \t](.*))?$/;
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const DIGITS = /^\d{1,15}$/;
export const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/;

/** Empty-line bytes tolerated before a start line (between pipelined messages). */
export const MAX_LEADING_BLANK = 64;

/** Bytes as latin1 text (one char per byte, never fails). */
export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

/** True when the line has control bytes other than tab (binary data, not HTTP text). */
export function hasControlBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Lenient like the servers attackers probe: `METHOD uri HTTP/x.y`, but also a
 * missing or truncated version or URI (`OPTIONS HTTP/1.1`, `GET /HTTP/1.1`,
 * `GET / HTTP/1.`), as long as the method looks like one.
 */
export function parseRequestLine(text: string, msg: StartLine): boolean {
  const sp = text.indexOf(' ');
  const method = sp < 0 ? text : text.slice(0, sp);
  if (!TOKEN.test(method)) return false;
  let uri = sp < 0 ? '' : text.slice(sp + 1).trim();
  let version = '';
  const last = uri.lastIndexOf(' ');
  if (last >= 0 && uri.startsWith('HTTP/', last + 1)) {
    version = uri.slice(last + 6);
    uri = uri.slice(0, last).trim();
  }
  if (version === '' ? !BARE_METHOD.test(method) : !/^\d(?:\.\d?)?$/.test(version)) return false;
  msg.method = method;
  msg.uri = uri;
  msg.version = version;
  return true;
}

/** `HTTP/x.y code [reason]`; fills `msg` and returns true when it is one. */
export function parseStatusLine(text: string, msg: StartLine): boolean {
  const m = STATUS_LINE.exec(text);
  if (m === null) return false;
  msg.version = m[1]!;
  msg.statusCode = Number(m[2]);
  msg.statusMsg = m[3] ?? '';
  return true;
}
