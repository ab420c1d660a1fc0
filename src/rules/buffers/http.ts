/**
 * Suricata's HTTP/1 inspection buffers, by canonical name, over an `HttpTx`.
 * `undefined` means the buffer is absent (what the `absent` keyword tests,
 * and where a negated content does not match); an empty array means present
 * but empty (e.g. `User-Agent:` with no value).
 *
 * Facts relied on (Suricata 8 source and docs/userguide/rules/http-keywords):
 * - http.header: `Name: value\r\n` per header of libhtp's merged table,
 *   request headers to server without Cookie, response headers to client
 *   without Set-Cookie; present only once that header block is complete and
 *   non-empty. http.header.raw: the block as sent (trailers appended).
 * - http.header_names: `\r\n` + each name + `\r\n`, then one more `\r\n`.
 * - http.start: start line + `\r\n` + `Name: value\r\n`... + `\r\n` (no header
 *   dropped; the final `\r\n` only when there are headers).
 * - http.host: libhtp's hostname (URI host of an absolute target, else the
 *   Host header), lower-case, no port; http.host.raw: the URI host if the
 *   target is absolute, else the whole Host value.
 * - Single-header buffers (user_agent, accept, accept_enc, accept_lang,
 *   referer, connection, content_type, content_len, server, location, cookie)
 *   are the merged header value; content_type, content_len, cookie, protocol,
 *   header, header.raw, header_names and start follow the direction.
 * - Bodies are dechunked and decompressed; empty means absent. file.data: the
 *   response body to client; to server, the files of a POST/PUT (multipart
 *   parts with a filename, else the whole body).
 */

import { requestHostname, targetHostname } from '../../decode/app/http1-uri.js';
import type { HttpTx } from '../../schema/app-tx.js';
import {
  concat,
  type HeaderList,
  headerValue,
  mergeHeaders,
  multipartBoundary,
  multipartFiles,
  nameIs,
} from './http-headers.js';

export type HttpBufferDirection = 'to_server' | 'to_client' | 'both';

const CRLF = Uint8Array.of(0x0d, 0x0a);
const COLON_SP = Uint8Array.of(0x3a, 0x20);

const REQUEST_ONLY = [
  'http.uri',
  'http.uri.raw',
  'http.method',
  'http.request_line',
  'http.request_body',
  'http.user_agent',
  'http.host',
  'http.host.raw',
  'http.accept',
  'http.accept_enc',
  'http.accept_lang',
  'http.referer',
  'http.connection',
];
const RESPONSE_ONLY = [
  'http.stat_code',
  'http.stat_msg',
  'http.response_line',
  'http.response_body',
  'http.server',
  'http.location',
];
const BOTH = [
  'http.header',
  'http.header.raw',
  'http.header_names',
  'http.cookie',
  'http.content_type',
  'http.content_len',
  'http.start',
  'http.protocol',
  'file.data',
];

const DIRECTION = new Map<string, HttpBufferDirection>([
  ...REQUEST_ONLY.map((n) => [n, 'to_server'] as const),
  ...RESPONSE_ONLY.map((n) => [n, 'to_client'] as const),
  ...BOTH.map((n) => [n, 'both'] as const),
]);

/** Every buffer name httpBuffer answers. */
export const HTTP_BUFFER_NAMES: readonly string[] = [...REQUEST_ONLY, ...RESPONSE_ONLY, ...BOTH];

/**
 * Which side a buffer belongs to; undefined for a name that is not an HTTP/1 buffer.
 *
 * @example
 * httpBufferDirection('http.stat_code') // 'to_client'
 */
export function httpBufferDirection(name: string): HttpBufferDirection | undefined {
  return DIRECTION.get(name);
}

/** Single-header buffers: name → [header, which side's headers]. */
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

function nonEmpty(b: Uint8Array | undefined): Uint8Array | undefined {
  return b !== undefined && b.length > 0 ? b : undefined;
}

/** True when `b` holds exactly the ASCII text `s`. */
function bytesAre(b: Uint8Array | undefined, s: string): boolean {
  if (b === undefined || b.length !== s.length) return false;
  for (let i = 0; i < b.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}

function isConnect(tx: HttpTx): boolean {
  return bytesAre(tx.method, 'CONNECT');
}

/**
 * Merged header tables already made during one inspection, by header list:
 * several buffers (http.header, header_names, start) start from the same one.
 */
export type MergedHeaders = Map<HeaderList, Array<[Uint8Array, Uint8Array]>>;

function merged(headers: HeaderList, memo: MergedHeaders | undefined): Array<[Uint8Array, Uint8Array]> {
  if (memo === undefined) return mergeHeaders(headers);
  let m = memo.get(headers);
  if (m === undefined) {
    m = mergeHeaders(headers);
    memo.set(headers, m);
  }
  return m;
}

function headerBlock(
  headers: HeaderList,
  skip: string,
  memo: MergedHeaders | undefined,
): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  for (const [name, value] of merged(headers, memo)) {
    if (nameIs(name, skip)) continue;
    parts.push(name, COLON_SP, value, CRLF);
  }
  return nonEmpty(concat(parts));
}

function headerNames(headers: HeaderList, memo: MergedHeaders | undefined): Uint8Array | undefined {
  const table = merged(headers, memo);
  if (table.length === 0) return undefined;
  const parts: Uint8Array[] = [CRLF];
  for (const [name] of table) parts.push(name, CRLF);
  parts.push(CRLF);
  return concat(parts);
}

function start(
  line: Uint8Array | undefined,
  headers: HeaderList,
  memo: MergedHeaders | undefined,
): Uint8Array | undefined {
  if (line === undefined) return undefined;
  const table = merged(headers, memo);
  const parts: Uint8Array[] = [line, CRLF];
  for (const [name, value] of table) parts.push(name, COLON_SP, value, CRLF);
  if (table.length > 0) parts.push(CRLF);
  return concat(parts);
}

function requestFile(tx: HttpTx): Uint8Array | undefined {
  const post = bytesAre(tx.method, 'POST');
  if (!post && !bytesAre(tx.method, 'PUT')) return undefined;
  const boundary = post ? multipartBoundary(headerValue(tx.requestHeaders, 'content-type')) : undefined;
  if (boundary === undefined) return nonEmpty(tx.requestBody);
  // Suricata inspects each file on its own; the first one is what a single buffer can show.
  return nonEmpty(multipartFiles(tx.requestBody, boundary)[0]);
}

/**
 * The content of Suricata buffer `name` for this transaction, seen in
 * direction `toServer` (it matters only for buffers that exist on both sides).
 *
 * `memo` (one per inspection: the transaction must not change while it is
 * used) shares merged header tables between buffers.
 *
 * @example
 * httpBuffer(tx, 'http.header', false) // response headers as `Name: value\r\n`...
 */
export function httpBuffer(
  tx: HttpTx,
  name: string,
  toServer = true,
  memo?: MergedHeaders,
): Uint8Array | undefined {
  const single = SINGLE_HEADER[name];
  if (single !== undefined) {
    const side = single[1] === 'dir' ? (toServer ? 'req' : 'res') : single[1];
    if (side === 'req' ? !tx.requestHeadersDone : !tx.responseHeadersDone) return undefined;
    return headerValue(side === 'req' ? tx.requestHeaders : tx.responseHeaders, single[0]);
  }
  const reqReady = tx.requestHeadersDone;
  const resReady = tx.responseHeadersDone;
  switch (name) {
    case 'http.uri':
      return tx.uri;
    case 'http.uri.raw':
      return tx.rawUri;
    case 'http.method':
      return tx.method;
    case 'http.request_line':
      return tx.requestLine;
    case 'http.protocol':
      return toServer ? tx.protocol : tx.responseProtocol;
    case 'http.stat_code':
      return tx.statusCode;
    case 'http.stat_msg':
      return tx.statusMsg;
    case 'http.response_line':
      return tx.responseLine;
    case 'http.host':
      if (!reqReady && tx.requestLine === undefined) return undefined;
      return requestHostname(tx.rawUri, headerValue(tx.requestHeaders, 'host'), isConnect(tx));
    case 'http.host.raw': {
      const fromUri = tx.rawUri !== undefined ? targetHostname(tx.rawUri, isConnect(tx)) : undefined;
      return fromUri ?? headerValue(tx.requestHeaders, 'host');
    }
    case 'http.cookie':
      if (toServer ? !reqReady : !resReady) return undefined;
      return toServer
        ? headerValue(tx.requestHeaders, 'cookie')
        : headerValue(tx.responseHeaders, 'set-cookie');
    case 'http.header':
      if (toServer) return reqReady ? headerBlock(tx.requestHeaders, 'cookie', memo) : undefined;
      return resReady ? headerBlock(tx.responseHeaders, 'set-cookie', memo) : undefined;
    case 'http.header.raw':
      if (toServer) return reqReady ? tx.requestHeadersRaw : undefined;
      return resReady ? tx.responseHeadersRaw : undefined;
    case 'http.header_names':
      if (toServer) return reqReady ? headerNames(tx.requestHeaders, memo) : undefined;
      return resReady ? headerNames(tx.responseHeaders, memo) : undefined;
    case 'http.start':
      if (toServer) return reqReady ? start(tx.requestLine, tx.requestHeaders, memo) : undefined;
      return resReady ? start(tx.responseLine, tx.responseHeaders, memo) : undefined;
    case 'http.request_body':
      return nonEmpty(tx.requestBody);
    case 'http.response_body':
      return nonEmpty(tx.responseBody);
    case 'file.data':
      return toServer ? requestFile(tx) : nonEmpty(tx.responseBody);
    default:
      return undefined;
  }
}
