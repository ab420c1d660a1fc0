/**
 * The HTTP/2 parser's public shape: options, the parser interface, the
 * connection preface and its recognition.
 */
import type { HttpTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import type { Http2Progress } from './streams.js';

/** The client connection preface, `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`. */
export const HTTP2_PREFACE: Uint8Array = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface Http2ParserOptions {
  /** Called as each stream progresses; `tx` is the same object on every call for a stream. */
  onTx(tx: HttpTx, progress: Http2Progress): void;
  /** Body bytes kept per message, before and after content decoding (default 64 KiB). */
  maxBody?: number;
  /** Streams open at once (default 128); more are ignored and counted. */
  maxStreams?: number;
  problems?: ProblemLog;
  /** Capture file named in problems. */
  file?: string;
  /** Do not require the preface at the start of the client bytes; consume it if it is there (h2c Upgrade). */
  skipPreface?: boolean;
  /** Header field bytes (name + value + 32 each) kept per block and per direction of a stream (default 64 KiB). */
  maxHeaderListSize?: number;
  /** Cap on each HPACK dynamic table, whatever SETTINGS say (default 64 KiB). */
  maxTableSize?: number;
  /** Largest non-DATA frame and header block (HEADERS + CONTINUATION) kept (default 256 KiB). */
  maxHeaderBlock?: number;
}

export interface Http2Parser {
  /** Next reassembled client→server bytes; only read during the call. */
  toServer(bytes: Uint8Array): void;
  /** Next reassembled server→client bytes; only read during the call. */
  toClient(bytes: Uint8Array): void;
  /** End of the connection: open streams are reported as cut (their *Done flags stay false). */
  end(): void;
}

/** The parser plus what the h2c Upgrade path needs (see upgrade.ts). */
export interface Http2Connection extends Http2Parser {
  /** Seeds stream 1 with the HTTP/1.1 request that was upgraded (`event` is added to its tx). */
  seedUpgradedRequest(method: Uint8Array, uri: Uint8Array, body?: Uint8Array, event?: string): void;
  /** Applies a client SETTINGS payload (from the HTTP2-Settings header). Returns false when malformed. */
  applyClientSettings(payload: Uint8Array): boolean;
}

export const DEFAULT_MAX_BODY = 64 * 1024;
export const DEFAULT_MAX_STREAMS = 128;
export const DEFAULT_MAX_HEADER_BLOCK = 256 * 1024;

/**
 * True when the first client bytes are the HTTP/2 connection preface (prior
 * knowledge). A first segment shorter than the preface counts when it is a
 * prefix of at least 4 bytes (`PRI `).
 *
 * @example looksLikeHttp2Preface(firstSegmentPayload) // → true for h2c prior knowledge
 */
export function looksLikeHttp2Preface(firstClientBytes: Uint8Array): boolean {
  const n = Math.min(firstClientBytes.length, HTTP2_PREFACE.length);
  if (n < 4) return false;
  for (let i = 0; i < n; i++) if (firstClientBytes[i] !== HTTP2_PREFACE[i]) return false;
  return true;
}
