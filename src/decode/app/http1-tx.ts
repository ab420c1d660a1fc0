/**
 * Detection-grade HTTP/1.x transactions (schema `HttpTx`), parsed from the two
 * reassembled directions of one TCP connection the way libhtp does under
 * Suricata's defaults, so rule buffers (src/rules/buffers/http.ts) see what
 * Suricata's would. Beside the summary parser in http.ts, not instead of it.
 *
 * What it follows from libhtp: requests pair with responses in order
 * (pipelining); a request line without protocol followed by more data is a
 * request with headers (event `request_line_missing_protocol`), alone it is
 * HTTP/0.9 and its response is all body; after a request, a next line that
 * does not start with a known method is more body of that request (event
 * `request_body_unexpected`), and the request is only complete when the data
 * at hand runs out; a response line not starting with `http` is body; 1xx
 * interim responses are skipped (101 and CONNECT 2xx end parsing: tunnel);
 * HEAD, 204 and 304 have no body, a response without length runs until close;
 * at end of stream a header block cut short counts as complete.
 *
 * Bounded: start line plus header block per message (`maxHeaderBytes`),
 * headers per message (1024), kept body bytes (`maxBody`, compressed input and
 * decompressed output alike), transactions per connection. Attacker bytes are
 * copied, never evaluated; problems are values (stage `session`).
 */
import type { HttpTx } from '../../schema/app-tx.js';
import type { ProblemLog } from '../../schema/problem.js';
import { contentCoding, decodeContent } from './http1-body.js';
import {
  type Entry,
  Http1Framer,
  type Side,
  ST_BODY_CLOSE,
  ST_BODY_LEN,
  ST_CHUNK_DATA,
  ST_CHUNK_SIZE,
  ST_FINALIZE,
  ST_HEADERS,
  ST_IGNORE,
  ST_LINE,
} from './http1-framer.js';
import {
  chomp,
  hasChunked,
  isOldProtocol,
  isSpace,
  isValidProtocol,
  nameIs,
  parseContentLength,
  parseRequestLine,
  parseStatusLine,
  responseLineIsBody,
  statusNumber,
} from './http1-lines.js';
import { KNOWN_METHODS, newTx, sameBytes } from './http1-support.js';
import { normalizeUri } from './http1-uri.js';

export type Http1Progress = 'request_headers' | 'request_done' | 'response_headers' | 'response_done';

export interface Http1TxOptions {
  /** Called at each progress point with the same tx object, updated in place. */
  onTx(tx: HttpTx, progress: Http1Progress): void;
  /** Body bytes kept per message, before and after decompression (default 1 MiB). */
  maxBody?: number;
  /** Transactions per connection (default 512, libhtp's); more stop the parser with a problem. */
  maxTransactions?: number;
  /** Start line plus header block per message (default 64 KiB). */
  maxHeaderBytes?: number;
  problems?: ProblemLog;
  file?: string;
}

export interface Http1TxParser {
  /** Client-to-server bytes in order; valid only during the call. */
  request(bytes: Uint8Array): void;
  /** Server-to-client bytes in order; valid only during the call. */
  response(bytes: Uint8Array): void;
  /** `len` bytes of one direction were lost from the capture. */
  gap(toServer: boolean, len: number): void;
  /** Both directions ended: open messages are completed with what arrived. */
  end(): void;
  /** Transactions started so far. */
  readonly transactions: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Creates the parser for one connection.
 *
 * @example
 * const p = createHttp1TxParser({ onTx: (tx, at) => at === 'request_done' && seen.push(tx) });
 * p.request(bytes('GET /a HTTP/1.1\r\nHost: x\r\n\r\n'));
 * p.end();
 */
export function createHttp1TxParser(opts: Http1TxOptions): Http1TxParser {
  return new Http1Connection(opts);
}

class Http1Connection extends Http1Framer implements Http1TxParser {
  private readonly maxTx: number;
  /** Requests whose response has not started, oldest first. */
  private readonly awaiting: Entry[] = [];
  private count = 0;
  private stopped = false;

  constructor(private readonly opts: Http1TxOptions) {
    super(opts.maxBody ?? 1 << 20, opts.maxHeaderBytes ?? 64 * 1024, opts.problems, opts.file);
    this.maxTx = opts.maxTransactions ?? 512;
  }

  get transactions(): number {
    return this.count;
  }

  request(bytes: Uint8Array): void {
    this.feed(this.req, bytes);
  }

  response(bytes: Uint8Array): void {
    this.feed(this.res, bytes);
  }

  gap(toServer: boolean, len: number): void {
    const s = toServer ? this.req : this.res;
    if (s.state === ST_IGNORE || len <= 0) return;
    if (s.state === ST_BODY_CLOSE) return; // body bytes missing, framing intact
    if ((s.state === ST_BODY_LEN || s.state === ST_CHUNK_DATA) && len < s.remaining) {
      s.remaining -= len;
      return;
    }
    if (s.state === ST_BODY_LEN && len === s.remaining) {
      s.remaining = 0;
      this.bodyEnd(s);
      if (s.isRequest && s.entry !== null) this.requestComplete(s, s.entry);
      return;
    }
    this.problem(
      'http1.gap',
      `${len} bytes missing ${toServer ? 'to server' : 'to client'}: HTTP parsing of that direction stops`,
    );
    s.state = ST_IGNORE;
  }

  end(): void {
    for (const s of [this.req, this.res]) {
      if (s.line.len > 0 && s.state !== ST_IGNORE && s.state !== ST_BODY_LEN && s.state !== ST_BODY_CLOSE) {
        const line = s.line.copy();
        s.line.reset();
        this.onLine(s, line, EMPTY);
      }
      const e = s.entry;
      if (e === null) continue;
      if (s.isRequest) {
        if (!e.tx.requestHeadersDone) this.requestHeadersEnd(s, e, false);
        if (!e.tx.requestDone) this.requestComplete(s, e);
      } else {
        if (!e.tx.responseHeadersDone) this.responseHeadersEnd(s, e, false);
        if (!e.tx.responseDone) this.responseComplete(s, e);
      }
    }
  }

  private startEntry(): Entry | null {
    if (this.count >= this.maxTx) {
      if (!this.stopped)
        this.problem(
          'http1.too-many-transactions',
          `more than ${this.maxTx} HTTP transactions on one connection: the rest is not parsed`,
        );
      this.stopped = true;
      this.req.state = ST_IGNORE;
      this.res.state = ST_IGNORE;
      return null;
    }
    const e: Entry = {
      tx: newTx(this.count++),
      reqBody: null,
      resBody: null,
      reqCoding: 'identity',
      resCoding: 'identity',
      http09: false,
      isHead: false,
      isConnect: false,
      interimSeen: 0,
    };
    return e;
  }

  protected requestStart(s: Side, line: Uint8Array, rest: Uint8Array): void {
    const e = this.startEntry();
    if (e === null) return;
    const tx = e.tx;
    const rl = parseRequestLine(line);
    tx.requestLine = line.slice();
    tx.method = rl.method.slice();
    e.isHead = sameBytes(rl.method, 'HEAD');
    e.isConnect = sameBytes(rl.method, 'CONNECT');
    if (rl.uri !== undefined) {
      tx.rawUri = rl.uri.slice();
      tx.uri = normalizeUri(rl.uri, e.isConnect);
    }
    if (rl.protocol !== undefined) tx.protocol = rl.protocol.slice();
    if (rl.leadingWhitespace) this.event(e, 'request_line_leading_whitespace');
    if (rl.methodDelimNonCompliant) this.event(e, 'method_delim_non_compliant');
    if (rl.uriDelimNonCompliant) this.event(e, 'uri_delim_non_compliant');
    this.awaiting.push(e);
    s.entry = e;
    s.raw.reset();
    s.headerCount = 0;
    s.state = ST_HEADERS;
    if (rl.protocol !== undefined) return;
    // No protocol: HTTP/0.9 unless more than a little whitespace follows right away.
    let k = 0;
    while (k < rest.length && isSpace(rest[k]!)) k++;
    if (k < rest.length || k > 16) {
      this.event(e, 'request_line_missing_protocol');
      return;
    }
    e.http09 = true;
    tx.requestHeadersDone = true;
    this.opts.onTx(tx, 'request_headers');
    this.requestComplete(s, e);
    s.state = ST_IGNORE; // libhtp ignores whatever follows an HTTP/0.9 request
  }

  private framing(s: Side, e: Entry, headers: Array<[Uint8Array, Uint8Array]>): number {
    let te: Uint8Array | undefined;
    let cl: Uint8Array | undefined;
    let clConflict = false;
    let ce: Uint8Array | undefined;
    for (const [name, value] of headers) {
      if (te === undefined && nameIs(name, 'transfer-encoding')) te = value;
      else if (nameIs(name, 'content-length')) {
        if (cl === undefined) cl = value;
        else if (parseContentLength(cl).length !== parseContentLength(value).length) clConflict = true;
      } else if (ce === undefined && nameIs(name, 'content-encoding')) ce = value;
    }
    const side = s.isRequest ? 'request' : 'response';
    if (clConflict) this.event(e, `duplicate_content_length_field_in_${side}`);
    if (s.isRequest) e.reqCoding = contentCoding(ce);
    else e.resCoding = contentCoding(ce);
    if (te !== undefined) {
      if (hasChunked(te)) return ST_CHUNK_SIZE;
      this.event(e, `invalid_transfer_encoding_value_in_${side}`);
    }
    if (cl !== undefined) {
      const v = parseContentLength(cl);
      if (v.length < 0) {
        this.event(e, `invalid_content_length_field_in_${side}`);
        return s.isRequest ? ST_FINALIZE : ST_BODY_CLOSE;
      }
      if (v.length === 0) return -1;
      s.remaining = v.length;
      return ST_BODY_LEN;
    }
    return s.isRequest ? -1 : ST_BODY_CLOSE;
  }

  protected requestHeadersEnd(s: Side, e: Entry, framed: boolean): void {
    const tx = e.tx;
    tx.requestHeadersRaw = s.raw.copy();
    tx.requestHeadersDone = true;
    if (tx.protocol !== undefined && isValidProtocol(tx.protocol) && !isOldProtocol(tx.protocol)) {
      if (!tx.requestHeaders.some(([n]) => nameIs(n, 'host'))) this.event(e, 'missing_host_header');
    }
    const next = framed ? this.framing(s, e, tx.requestHeaders) : -1;
    this.opts.onTx(tx, 'request_headers');
    if (s.state !== ST_IGNORE) s.state = next < 0 ? ST_FINALIZE : next;
  }

  protected responseHeadersEnd(s: Side, e: Entry, framed: boolean): void {
    const tx = e.tx;
    const status = tx.statusCode !== undefined ? statusNumber(tx.statusCode) : -1;
    if (framed && status >= 100 && status < 200 && status !== 101) {
      // Interim response: forget it, the real one follows on the same transaction.
      if (++e.interimSeen > 1 && status === 100) this.event(e, '100_continue_already_seen');
      tx.responseHeaders.length = 0;
      tx.responseLine = undefined;
      tx.responseProtocol = undefined;
      tx.statusCode = undefined;
      tx.statusMsg = undefined;
      s.raw.reset();
      s.state = ST_LINE;
      return;
    }
    tx.responseHeadersRaw = s.raw.copy();
    tx.responseHeadersDone = true;
    let next = framed ? this.framing(s, e, tx.responseHeaders) : -1;
    const tunnel = status === 101 || (e.isConnect && status >= 200 && status < 300);
    if (e.isHead || status === 204 || status === 304 || tunnel) next = -1;
    if (next === ST_CHUNK_SIZE && isOldProtocol(tx.responseProtocol))
      this.event(e, 'response_chunked_old_proto');
    this.opts.onTx(tx, 'response_headers');
    if (next < 0) {
      this.responseComplete(s, e);
      if (tunnel) {
        this.req.state = ST_IGNORE;
        this.res.state = ST_IGNORE;
      }
    } else s.state = next;
  }

  protected trailersEnd(s: Side, e: Entry): void {
    if (s.isRequest) e.tx.requestHeadersRaw = s.raw.copy();
    else e.tx.responseHeadersRaw = s.raw.copy();
    this.bodyEnd(s);
  }

  protected bodyEnd(s: Side): void {
    const e = s.entry;
    if (e === null) return;
    if (s.isRequest) s.state = ST_FINALIZE;
    else this.responseComplete(s, e);
  }

  /** After a request: a line with a known method starts the next request, anything else is more body. */
  protected finalizeLine(s: Side, line: Uint8Array, rest: Uint8Array): void {
    const e = s.entry;
    let i = 0;
    while (i < line.length && isSpace(line[i]!)) i++;
    let j = i;
    while (j < line.length && !isSpace(line[j]!)) j++;
    if (
      e !== null &&
      (j === i || !KNOWN_METHODS.has(String.fromCharCode(...line.subarray(i, Math.min(j, i + 20)))))
    ) {
      if (j > i) this.event(e, 'request_body_unexpected');
      this.body(s, line, 0, line.length);
      return;
    }
    if (e !== null) this.requestComplete(s, e);
    s.state = ST_LINE;
    this.onLine(s, line, rest);
  }

  protected requestComplete(s: Side, e: Entry): void {
    const tx = e.tx;
    if (e.reqBody !== null) {
      const d = decodeContent(e.reqCoding, e.reqBody.copy(), this.maxBody, !e.reqBody.truncated);
      tx.requestBody = d.data;
      tx.requestBodyTruncated = e.reqBody.truncated || d.truncated;
      if (d.failed) this.decodeFailed(e);
    }
    tx.requestDone = true;
    if (s.entry === e) {
      s.entry = null;
      if (s.state !== ST_IGNORE) s.state = ST_LINE;
    }
    this.opts.onTx(tx, 'request_done');
  }

  protected responseStart(s: Side, line: Uint8Array): void {
    let e = s.entry;
    if (e === null) {
      e = this.awaiting.shift() ?? null;
      if (e === null) {
        e = this.startEntry();
        if (e === null) return;
        this.event(e, 'unable_to_match_response_to_request');
      }
      s.entry = e;
    }
    s.raw.reset();
    s.headerCount = 0;
    const chomped = chomp(line);
    if (e.http09 || responseLineIsBody(chomped)) {
      // No status line: everything is body until the connection closes, not decompressed.
      e.tx.responseHeadersDone = true;
      this.opts.onTx(e.tx, 'response_headers');
      s.state = ST_BODY_CLOSE;
      this.body(s, line, 0, line.length);
      return;
    }
    const sl = parseStatusLine(chomped);
    const tx = e.tx;
    tx.responseLine = chomped.slice();
    tx.responseProtocol = sl.protocol.slice();
    tx.statusCode = sl.status.slice();
    tx.statusMsg = sl.message.slice();
    if (!isValidProtocol(sl.protocol)) this.event(e, 'response_invalid_protocol');
    if (statusNumber(sl.status) < 0) this.event(e, 'response_invalid_status');
    s.state = ST_HEADERS;
  }

  private responseComplete(s: Side, e: Entry): void {
    const tx = e.tx;
    if (e.resBody !== null) {
      const d = decodeContent(e.resCoding, e.resBody.copy(), this.maxBody, !e.resBody.truncated);
      tx.responseBody = d.data;
      tx.responseBodyTruncated = e.resBody.truncated || d.truncated;
      if (d.failed) this.decodeFailed(e);
      if (d.truncated && e.resBody.len * 2048 < this.maxBody) this.event(e, 'compression_bomb');
    }
    tx.responseDone = true;
    if (s.entry === e) {
      s.entry = null;
      if (s.state !== ST_IGNORE) s.state = ST_LINE;
    }
    this.opts.onTx(tx, 'response_done');
  }

  private decodeFailed(e: Entry): void {
    this.event(e, 'gzip_decompression_failed');
    this.problem(
      'http1.decompression-failed',
      `transaction ${e.tx.id}: corrupt compressed body, kept what decoded`,
    );
  }
}
