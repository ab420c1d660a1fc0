/**
 * Pairs the HTTP requests of one connection with its responses, in order
 * (HTTP/1.x pipelining answers requests in the order they were sent), and
 * builds HttpTransaction records from both parsers. Bounded: at most
 * `maxTransactions` per connection.
 */
import type { HttpTransaction } from '../../schema/session.js';
import { createHttpParser, type HttpMessage, type HttpParser } from './http.js';

export interface HttpPairingOptions {
  maxTransactions: number;
  bodyPrefixBytes?: number;
  /** Time of the packet being parsed, for a transaction's `ts`. */
  now(): number;
  onProblem(code: string, message: string): void;
}

export interface HttpPairing {
  /** Parser for the side that sends requests. */
  readonly request: HttpParser;
  /** Parser for the side that sends responses. */
  readonly response: HttpParser;
  /** Transactions in request order; uid and addresses are filled in by the caller. */
  readonly transactions: HttpTransaction[];
  /** True once the bound was hit; the caller may stop feeding. */
  readonly full: boolean;
}

function headerValue(headers: [string, string][], name: string): string {
  for (const [k, v] of headers) if (k.length === name.length && k.toLowerCase() === name) return v;
  return '';
}

/** 1xx except 101: an interim response, the final one for the same request follows. */
function interim(m: HttpMessage): boolean {
  return m.statusCode < 200 && m.statusCode !== 101;
}

/**
 * Creates the two parsers of a connection and the pairing between them.
 *
 * @example
 * const h = createHttpPairing({ maxTransactions: 1000, now: () => ts, onProblem });
 * h.request.feed(clientBytes); h.response.feed(serverBytes);
 * h.transactions[0].statusCode; // 200
 */
export function createHttpPairing(opts: HttpPairingOptions): HttpPairing {
  const txs: HttpTransaction[] = [];
  const pendingBody = new Map<HttpMessage, HttpTransaction>();
  let respCursor = 0;
  let currentResp: HttpTransaction | null = null;
  let full = false;

  function push(): HttpTransaction | null {
    if (txs.length >= opts.maxTransactions) {
      if (!full) {
        opts.onProblem(
          'http.too-many-transactions',
          `More than ${opts.maxTransactions} HTTP transactions on one connection; the rest are not kept.`,
        );
      }
      full = true;
      return null;
    }
    const tx: HttpTransaction = {
      ts: opts.now(),
      uid: '',
      origH: '',
      origP: 0,
      respH: '',
      respP: 0,
      transDepth: txs.length,
      method: '',
      uri: '',
      version: '',
      host: '',
      userAgent: '',
      requestHeaders: [],
      requestBodyLen: 0,
      requestBodyPrefix: '',
      statusCode: -1,
      statusMsg: '',
      responseHeaders: [],
      responseBodyLen: 0,
      responseBodyPrefix: '',
      responseContentType: '',
      server: '',
    };
    txs.push(tx);
    return tx;
  }

  const request = createHttpParser({
    side: 'request',
    bodyPrefixBytes: opts.bodyPrefixBytes,
    onProblem: opts.onProblem,
    onHead(m) {
      const tx = push();
      if (tx === null) return;
      tx.method = m.method;
      tx.uri = m.uri;
      tx.version = m.version;
      tx.requestHeaders = m.headers;
      tx.host = headerValue(m.headers, 'host');
      tx.userAgent = headerValue(m.headers, 'user-agent');
      pendingBody.set(m, tx);
    },
    onMessage(m) {
      const tx = pendingBody.get(m);
      pendingBody.delete(m);
      if (tx === undefined) return;
      tx.requestBodyLen = m.bodyLen;
      tx.requestBodyPrefix = m.bodyPrefix;
    },
  });

  const response = createHttpParser({
    side: 'response',
    bodyPrefixBytes: opts.bodyPrefixBytes,
    onProblem: opts.onProblem,
    requestMethod: () => currentResp?.method ?? '',
    onHead(m) {
      if (interim(m)) return;
      let tx: HttpTransaction | null = txs[respCursor] ?? null;
      if (tx === null) tx = push(); // a response whose request was not seen
      if (tx !== null) respCursor++;
      currentResp = tx;
      if (tx === null) return;
      tx.statusCode = m.statusCode;
      tx.statusMsg = m.statusMsg;
      tx.responseHeaders = m.headers;
      tx.server = headerValue(m.headers, 'server');
      tx.responseContentType = headerValue(m.headers, 'content-type');
      if (tx.method === '' && tx.version === '') tx.version = m.version;
    },
    onMessage(m) {
      if (interim(m)) return;
      const tx = currentResp;
      currentResp = null;
      if (tx === null) return;
      tx.responseBodyLen = m.bodyLen;
      tx.responseBodyPrefix = m.bodyPrefix;
    },
  });

  return {
    request,
    response,
    transactions: txs,
    get full() {
      return full;
    },
  };
}
