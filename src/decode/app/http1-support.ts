/** Small shared pieces of the HTTP/1 transaction parser. */
import type { HttpTx } from '../../schema/app-tx.js';

/** Methods libhtp knows; after a request, a line starting with anything else is body. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'VERSION-CONTROL',
  'CHECKOUT',
  'UNCHECKOUT',
  'CHECKIN',
  'UPDATE',
  'LABEL',
  'REPORT',
  'MKWORKSPACE',
  'MKACTIVITY',
  'BASELINE-CONTROL',
  'MERGE',
  'INVALID',
  'HEAD',
]);

const EMPTY = new Uint8Array(0);

/** A fresh HTTP/1 transaction with nothing seen yet. */
export function newTx(id: number): HttpTx {
  return {
    version: 1,
    id,
    requestHeaders: [],
    requestBody: EMPTY,
    requestBodyTruncated: false,
    requestHeadersDone: false,
    requestDone: false,
    responseHeaders: [],
    responseBody: EMPTY,
    responseBodyTruncated: false,
    responseHeadersDone: false,
    responseDone: false,
    events: [],
  };
}

/** Exact byte equality with an ASCII literal. */
export function sameBytes(b: Uint8Array, ascii: string): boolean {
  if (b.length !== ascii.length) return false;
  for (let i = 0; i < b.length; i++) if (b[i] !== ascii.charCodeAt(i)) return false;
  return true;
}
