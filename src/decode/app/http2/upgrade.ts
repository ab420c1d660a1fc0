/**
 * The h2c Upgrade path (RFC 7540 §3.2): an HTTP/1.1 request carrying
 * `Upgrade: h2c` and `HTTP2-Settings`, answered by `101 Switching Protocols`.
 * After the 101 the server speaks HTTP/2 at once and answers the upgraded
 * request on stream 1; the client sends the connection preface, then frames.
 *
 * The integrator's HTTP/1 parser owns the connection until the 101 is seen;
 * it then hands the bytes that follow (both directions) to the parser made
 * here.
 */
import type { HttpTx } from '../../../schema/app-tx.js';
import { createHttp2Connection, type Http2Parser, type Http2ParserOptions } from './connection.js';
import { nameIs } from './streams.js';

type Fields = Array<[Uint8Array, Uint8Array]>;

function headerValue(headers: Fields, lower: string): Uint8Array | undefined {
  for (const [n, v] of headers) if (nameIs(n, lower)) return v;
  return undefined;
}

/** True when the comma-separated header value lists `token` (ASCII case-insensitive). */
function hasToken(value: Uint8Array | undefined, token: string): boolean {
  if (value === undefined) return false;
  const parts = Buffer.from(value).toString('latin1').toLowerCase().split(',');
  return parts.some((p) => p.trim() === token);
}

/**
 * True when an HTTP/1.1 request asks to switch to cleartext HTTP/2.
 *
 * @example isH2cUpgradeRequest(tx.requestHeaders) // Upgrade: h2c → true
 */
export function isH2cUpgradeRequest(headers: Fields): boolean {
  return hasToken(headerValue(headers, 'upgrade'), 'h2c');
}

/**
 * True when an HTTP/1.1 response accepts the switch: status 101 and `Upgrade: h2c`.
 *
 * @example isH2cSwitch(tx.statusCode, tx.responseHeaders)
 */
export function isH2cSwitch(statusCode: Uint8Array | undefined, headers: Fields): boolean {
  const is101 =
    statusCode?.length === 3 && statusCode[0] === 0x31 && statusCode[1] === 0x30 && statusCode[2] === 0x31;
  return is101 && hasToken(headerValue(headers, 'upgrade'), 'h2c');
}

/**
 * The SETTINGS payload carried base64url-encoded in `HTTP2-Settings`, or
 * undefined when the value is not base64url or not whole settings.
 *
 * @example decodeHttp2Settings(enc.encode('AAMAAABkAARAAAAAAAIAAAAA')) // 18 bytes: 3 settings
 */
export function decodeHttp2Settings(value: Uint8Array): Uint8Array | undefined {
  const text = Buffer.from(value).toString('latin1').trim();
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.length > 4096) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length % 6 !== 0) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The upgraded HTTP/1.1 request, as an HTTP/1 parser reports it (HttpTx fields). */
export type UpgradedRequest = Pick<HttpTx, 'method' | 'rawUri' | 'uri' | 'requestHeaders'> & {
  requestBody?: Uint8Array;
};

/**
 * Call once the HTTP/1 side has seen the `101` to an `Upgrade: h2c` request:
 * returns the HTTP/2 parser for the rest of the connection. Stream 1's
 * transaction is the upgraded request (reported at once as `request_headers`
 * then `request_done`, with `:method` and `:path` as its only headers, as
 * Suricata does); its response comes as HTTP/2 frames. The client's
 * HTTP2-Settings are applied; a missing or malformed one adds the event
 * `invalid_http1_settings` to stream 1.
 *
 * @example
 * if (isH2cSwitch(res.statusCode, res.responseHeaders)) {
 *   const h2 = createH2cUpgradeParser({ onTx, problems }, req);
 *   h2.toServer(clientBytesAfterRequest); h2.toClient(serverBytesAfter101);
 * }
 */
export function createH2cUpgradeParser(
  opts: Omit<Http2ParserOptions, 'skipPreface'>,
  request: UpgradedRequest,
): Http2Parser {
  const conn = createHttp2Connection({ ...opts, skipPreface: true });
  const raw = headerValue(request.requestHeaders, 'http2-settings');
  const settings = raw === undefined ? undefined : decodeHttp2Settings(raw);
  const settingsOk = settings !== undefined && conn.applyClientSettings(settings);
  const method = request.method ?? new Uint8Array(0);
  const uri = request.rawUri ?? request.uri ?? new Uint8Array(0);
  conn.seedUpgradedRequest(
    method,
    uri,
    request.requestBody,
    settingsOk ? undefined : 'invalid_http1_settings',
  );
  return conn;
}
