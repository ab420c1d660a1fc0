/**
 * Suricata's http.* inspection buffers for an HTTP/2 transaction (one
 * stream), by canonical name. `undefined` means the buffer is absent.
 *
 * What Suricata puts in them for HTTP/2 (its rust/src/http2/detect.rs and the
 * C keyword registrations, checked against suricata-verify's
 * transform-header-lowercase, transform-strip-pseudo-headers, http2-host and
 * bug-5929-02 tests):
 * - Header names are lower-case as HTTP/2 sends them, and pseudo-headers
 *   (`:method`, `:path`, `:authority`, `:scheme`, `:status`) are ordinary
 *   entries of every header buffer, in wire order, all header blocks of the
 *   direction included (informational responses, trailers).
 * - http.header: `name: value\r\n` per field, values trimmed of spaces and
 *   tabs, without `cookie` (to server) or `set-cookie` (to client).
 *   http.header.raw: the same with untrimmed values and nothing left out.
 * - http.header_names: `\r\n`, then each name and `\r\n`, then `\r\n`; so an
 *   HTTP/2 response's list starts `\r\n:status\r\n` (hence the
 *   strip_pseudo_headers transform).
 * - http.uri and http.uri.raw: the first `:path`, unnormalized; http.method
 *   the first `:method`; http.stat_code the first `:status`.
 * - http.host.raw: the `:authority` values (else `host`), several joined by
 *   `, `; http.host: that, lower-cased and cut at the first `:` (the port).
 * - Single-header buffers (user_agent, cookie, content_type, ...): every
 *   value of that header joined by `, `.
 * - http.request_line: `METHOD PATH HTTP/2`; http.response_line:
 *   `HTTP/2 STATUS`; http.protocol: `HTTP/2`. http.stat_msg and http.start
 *   do not exist for HTTP/2.
 * - Bodies: DATA frames, responses decoded (gzip, deflate, br); file.data is
 *   the body of the direction inspected.
 */
import type { HttpTx } from '../../schema/app-tx.js';

type Fields = ReadonlyArray<readonly [Uint8Array, Uint8Array]>;

const enc = new TextEncoder();
const CRLF = enc.encode('\r\n');
const COLON_SP = enc.encode(': ');
const COMMA_SP = enc.encode(', ');
const SP = enc.encode(' ');
const HTTP2 = enc.encode('HTTP/2');
const HTTP2_SP = enc.encode('HTTP/2 ');

/** Buffers of one header's value(s): name → [header, whose headers]. */
const SINGLE_HEADER: Record<string, readonly [string, 'req' | 'res' | 'dir']> = {
  'http.user_agent': ['user-agent', 'req'],
  'http.accept': ['accept', 'req'],
  'http.accept_enc': ['accept-encoding', 'req'],
  'http.accept_lang': ['accept-language', 'req'],
  'http.referer': ['referer', 'req'],
  'http.connection': ['connection', 'req'],
  'http.server': ['server', 'res'],
  'http.location': ['location', 'res'],
  'http.content_type': ['content-type', 'dir'],
  'http.content_len': ['content-length', 'dir'],
};

/** Every buffer name http2Buffer answers (some always absent for HTTP/2). */
export const HTTP2_BUFFER_NAMES: readonly string[] = [
  'http.uri',
  'http.uri.raw',
  'http.method',
  'http.host',
  'http.host.raw',
  'http.header',
  'http.header.raw',
  'http.header_names',
  'http.cookie',
  'http.stat_code',
  'http.stat_msg',
  'http.request_line',
  'http.response_line',
  'http.protocol',
  'http.start',
  'http.request_body',
  'http.response_body',
  'file.data',
  ...Object.keys(SINGLE_HEADER),
];

function nameIs(name: Uint8Array, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name[i]!;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function firstValue(fields: Fields, lower: string): Uint8Array | undefined {
  for (const [n, v] of fields) if (nameIs(n, lower)) return v;
  return undefined;
}

/** All values of header `lower` joined by `, ` (the value itself when there is one). */
function joinedValue(fields: Fields, lower: string): Uint8Array | undefined {
  let first: Uint8Array | undefined;
  let parts: Uint8Array[] | undefined;
  for (const [n, v] of fields) {
    if (!nameIs(n, lower)) continue;
    if (first === undefined) first = v;
    else if (parts === undefined) parts = [first, COMMA_SP, v];
    else parts.push(COMMA_SP, v);
  }
  return parts === undefined ? first : concat(parts);
}

function isSpaceOrTab(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function trimmed(v: Uint8Array): Uint8Array {
  let s = 0;
  let e = v.length;
  while (s < e && isSpaceOrTab(v[s]!)) s++;
  while (e > s && isSpaceOrTab(v[e - 1]!)) e--;
  return v.subarray(s, e);
}

/** `name: value\r\n` per field; `skip` names a header left out, `trim` trims values. */
function headerLines(fields: Fields, skip: string | undefined, trim: boolean): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  for (const [n, v] of fields) {
    if (skip !== undefined && nameIs(n, skip)) continue;
    parts.push(n, COLON_SP, trim ? trimmed(v) : v, CRLF);
  }
  return parts.length === 0 ? undefined : concat(parts);
}

function headerNames(fields: Fields): Uint8Array | undefined {
  if (fields.length === 0) return undefined;
  const parts: Uint8Array[] = [CRLF];
  for (const [n] of fields) parts.push(n, CRLF);
  parts.push(CRLF);
  return concat(parts);
}

/** http.host: lower-case, up to the first `:` (so a port goes; an IPv6 literal is cut too, as Suricata does). */
function normalizedHost(raw: Uint8Array): Uint8Array {
  let end = raw.indexOf(0x3a);
  if (end < 0) end = raw.length;
  const out = raw.slice(0, end);
  for (let i = 0; i < out.length; i++) if (out[i]! >= 0x41 && out[i]! <= 0x5a) out[i] |= 0x20;
  return out;
}

function nonEmpty(b: Uint8Array | undefined): Uint8Array | undefined {
  return b !== undefined && b.length > 0 ? b : undefined;
}

/**
 * The content of Suricata buffer `name` for an HTTP/2 transaction, seen in
 * direction `toServer` (it matters only for buffers that exist on both sides:
 * header buffers, cookie, content_type/len, protocol, file.data).
 *
 * @example
 * http2Buffer(tx, 'http.header_names', false) // '\r\n:status\r\naccept-ranges\r\n...\r\n\r\n'
 * http2Buffer(tx, 'http.host', true)          // 'play.google.com' from ':authority: play.google.com'
 */
export function http2Buffer(tx: HttpTx, name: string, toServer: boolean): Uint8Array | undefined {
  const req = tx.requestHeaders;
  const res = tx.responseHeaders;
  const mine = toServer ? req : res;
  const single = SINGLE_HEADER[name];
  if (single !== undefined) {
    const side = single[1] === 'dir' ? mine : single[1] === 'req' ? req : res;
    return joinedValue(side, single[0]);
  }
  switch (name) {
    case 'http.uri':
    case 'http.uri.raw':
      return firstValue(req, ':path');
    case 'http.method':
      return firstValue(req, ':method');
    case 'http.host.raw':
      return joinedValue(req, ':authority') ?? joinedValue(req, 'host');
    case 'http.host': {
      const raw = joinedValue(req, ':authority') ?? joinedValue(req, 'host');
      return raw === undefined ? undefined : normalizedHost(raw);
    }
    case 'http.header':
      return headerLines(mine, toServer ? 'cookie' : 'set-cookie', true);
    case 'http.header.raw':
      return headerLines(mine, undefined, false);
    case 'http.header_names':
      return headerNames(mine);
    case 'http.cookie':
      return joinedValue(mine, toServer ? 'cookie' : 'set-cookie');
    case 'http.stat_code':
      return firstValue(res, ':status');
    case 'http.request_line': {
      if (req.length === 0) return undefined;
      const m = firstValue(req, ':method') ?? new Uint8Array(0);
      const p = firstValue(req, ':path') ?? new Uint8Array(0);
      return concat([m, SP, p, SP, HTTP2]);
    }
    case 'http.response_line': {
      if (res.length === 0) return undefined;
      return concat([HTTP2_SP, firstValue(res, ':status') ?? new Uint8Array(0)]);
    }
    case 'http.protocol':
      return HTTP2;
    case 'http.request_body':
      return nonEmpty(tx.requestBody);
    case 'http.response_body':
      return nonEmpty(tx.responseBody);
    case 'file.data':
      return nonEmpty(toServer ? tx.requestBody : tx.responseBody);
    default:
      // http.stat_msg and http.start have no HTTP/2 form; other names are not http.* buffers.
      return undefined;
  }
}
