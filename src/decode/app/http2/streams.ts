/**
 * HTTP/2 streams as transactions: each stream's header blocks, bodies and
 * END_STREAM/RST_STREAM turn into one HttpTx whose progress is reported as it
 * happens. Bounded: at most `maxStreams` open streams, `maxBody` bytes per
 * body (before and after decoding), `maxHeaderBytes` of header fields per
 * direction of a stream, and a few distinct events per transaction.
 */
import type { HttpTx } from '../../../schema/app-tx.js';
import { BodyCollector, contentCoding, decodeBody } from './body.js';
import type { HeaderField, HpackError } from './hpack.js';

export type Http2Progress = 'request_headers' | 'request_done' | 'response_headers' | 'response_done';

export interface StreamTableOptions {
  onTx(tx: HttpTx, progress: Http2Progress): void;
  problem(code: string, message: string): void;
  maxBody: number;
  maxStreams: number;
  maxHeaderBytes: number;
}

const REQ_HEADERS = 1;
const REQ_DONE = 2;
const RES_HEADERS = 4;
const RES_DONE = 8;
const MAX_EVENTS = 16;
const FIELD_OVERHEAD = 32;

const enc = new TextEncoder();
const HTTP2 = enc.encode('HTTP/2');
const EMPTY = new Uint8Array(0);

interface Stream {
  tx: HttpTx;
  progress: number;
  reqBody: BodyCollector;
  resBody: BodyCollector;
  reqHeaderBytes: number;
  resHeaderBytes: number;
}

/** ASCII bytes equal to a lower-case string (HTTP/2 names are lower-case on the wire; tolerate upper). */
export function nameIs(name: Uint8Array, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name[i]!;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** First value of header `lower` in `fields`, or undefined. */
export function firstValue(fields: HeaderField[], lower: string): Uint8Array | undefined {
  for (const [n, v] of fields) if (nameIs(n, lower)) return v;
  return undefined;
}

function lastValue(fields: HeaderField[], lower: string): Uint8Array | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (nameIs(fields[i]![0], lower)) return fields[i]![1];
  return undefined;
}

function sameIgnoringCase(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if ((a[i]! | 0x20) !== (b[i]! | 0x20)) return false;
  return true;
}

function newTx(id: number): HttpTx {
  return {
    version: 2,
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

function addEvent(tx: HttpTx, name: string): void {
  if (tx.events.length < MAX_EVENTS && !tx.events.includes(name)) tx.events.push(name);
}

/** Suricata-style event name for an HPACK failure. */
function hpackEvent(e: HpackError): string {
  if (e === 'integer-overflow') return 'header_integer_overflow';
  if (e === 'header-list-too-large') return 'header_list_too_large';
  return 'invalid_header';
}

/**
 * The open streams of one connection.
 *
 * @example
 * const t = new StreamTable({ onTx, problem, maxBody: 65536, maxStreams: 128, maxHeaderBytes: 65536 });
 * t.headers(true, 1, fields, true, undefined); // a GET: request_headers then request_done
 */
export class StreamTable {
  private readonly open = new Map<number, Stream>();
  /** Highest stream id opened by each side: lower unknown ids are closed streams. */
  private maxClientId = 0;
  private maxServerId = 0;

  constructor(private readonly o: StreamTableOptions) {}

  /** Number of streams currently tracked. */
  get size(): number {
    return this.open.size;
  }

  /** A decoded header block of stream `id` from the client (`toServer`) or the server. */
  headers(
    toServer: boolean,
    id: number,
    fields: HeaderField[],
    endStream: boolean,
    err: HpackError | undefined,
  ): void {
    const s = this.lookup(id, toServer ? 'client' : 'either', toServer ? 'HEADERS' : 'response HEADERS');
    if (s === undefined) return;
    const tx = s.tx;
    if (err !== undefined) addEvent(tx, hpackEvent(err));
    if (toServer) {
      s.reqHeaderBytes = this.append(tx.requestHeaders, fields, s.reqHeaderBytes, tx);
      if (!(s.progress & REQ_HEADERS)) {
        this.requestMeta(tx);
        tx.requestHeadersDone = true;
        this.emit(s, REQ_HEADERS, 'request_headers');
      }
      if (endStream) this.finishRequest(s, true);
    } else {
      s.resHeaderBytes = this.append(tx.responseHeaders, fields, s.resHeaderBytes, tx);
      const status = firstValue(fields, ':status');
      const informational = status !== undefined && status.length === 3 && status[0] === 0x31; // 1xx
      if (status !== undefined && (tx.statusCode === undefined || !informational)) tx.statusCode = status;
      if (!(s.progress & RES_HEADERS) && (!informational || endStream)) {
        tx.responseProtocol = HTTP2;
        tx.responseHeadersDone = true;
        this.emit(s, RES_HEADERS, 'response_headers');
      }
      if (endStream) this.finishResponse(s, true);
    }
    this.release(id, s);
  }

  /** A PUSH_PROMISE: the server announces stream `promisedId` with these request headers. */
  promise(promisedId: number, fields: HeaderField[], err: HpackError | undefined): void {
    if (promisedId === 0 || promisedId % 2 === 1 || promisedId <= this.maxServerId) {
      this.o.problem(
        'http2.bad-stream-id',
        `PUSH_PROMISE for stream ${promisedId}, which a server may not open`,
      );
      return;
    }
    const s = this.create(promisedId, false);
    if (s === undefined) return;
    if (err !== undefined) addEvent(s.tx, hpackEvent(err));
    s.reqHeaderBytes = this.append(s.tx.requestHeaders, fields, 0, s.tx);
    this.requestMeta(s.tx);
    s.tx.requestHeadersDone = true;
    this.emit(s, REQ_HEADERS, 'request_headers');
    // A promised request has no body.
    this.finishRequest(s, true);
  }

  /** DATA bytes of stream `id`. */
  data(toServer: boolean, id: number, buf: Uint8Array, start: number, end: number): void {
    const s = this.open.get(id);
    if (s === undefined) return; // counted once per frame in dataEnd
    (toServer ? s.reqBody : s.resBody).append(buf, start, end);
  }

  /** The end of a DATA frame of stream `id`. */
  dataEnd(toServer: boolean, id: number, endStream: boolean): void {
    const s = this.open.get(id);
    if (s === undefined) {
      this.o.problem(
        'http2.unknown-stream',
        `DATA on stream ${id}, which is not open; its bytes are ignored`,
      );
      return;
    }
    if (!endStream) return;
    if (toServer) this.finishRequest(s, true);
    else this.finishResponse(s, true);
    this.release(id, s);
  }

  /** RST_STREAM: the stream ends now, complete or not. */
  reset(id: number): void {
    const s = this.open.get(id);
    if (s === undefined) return;
    this.cut(s);
    this.open.delete(id);
  }

  /** h2c: stream 1 carries the HTTP/1.1 request that asked for the upgrade (Suricata keeps only :method and :path). */
  upgraded(
    method: Uint8Array,
    uri: Uint8Array,
    body: Uint8Array | undefined,
    event: string | undefined,
  ): void {
    const s = this.create(1, true);
    if (s === undefined) return;
    const tx = s.tx;
    if (event !== undefined) addEvent(tx, event);
    tx.requestHeaders.push([enc.encode(':method'), method.slice()], [enc.encode(':path'), uri.slice()]);
    this.requestMeta(tx);
    tx.requestHeadersDone = true;
    this.emit(s, REQ_HEADERS, 'request_headers');
    if (body !== undefined) s.reqBody.append(body, 0, body.length);
    this.finishRequest(s, true);
  }

  /** End of the connection: every open stream is reported as cut. */
  finish(): void {
    for (const s of this.open.values()) this.cut(s);
    this.open.clear();
  }

  private lookup(id: number, opener: 'client' | 'either', what: string): Stream | undefined {
    const known = this.open.get(id);
    if (known !== undefined) return known;
    const clientId = id % 2 === 1;
    if (opener === 'client' && !clientId) {
      this.o.problem('http2.bad-stream-id', `${what} from the client on even stream ${id}`);
      return undefined;
    }
    if (id <= (clientId ? this.maxClientId : this.maxServerId)) {
      this.o.problem('http2.stream-closed', `${what} on stream ${id}, which is already closed`);
      return undefined;
    }
    // A response on a stream we never saw open: the capture started mid-stream.
    return this.create(id, clientId);
  }

  private create(id: number, clientId: boolean): Stream | undefined {
    if (clientId) this.maxClientId = Math.max(this.maxClientId, id);
    else this.maxServerId = Math.max(this.maxServerId, id);
    if (this.open.size >= this.o.maxStreams) {
      this.o.problem(
        'http2.too-many-streams',
        `stream ${id} ignored: ${this.o.maxStreams} streams are already open on this connection`,
      );
      return undefined;
    }
    const s: Stream = {
      tx: newTx(id),
      progress: 0,
      reqBody: new BodyCollector(this.o.maxBody),
      resBody: new BodyCollector(this.o.maxBody),
      reqHeaderBytes: 0,
      resHeaderBytes: 0,
    };
    this.open.set(id, s);
    return s;
  }

  /** Appends a block's fields within the per-direction budget; returns the new byte count. */
  private append(list: HeaderField[], fields: HeaderField[], used: number, tx: HttpTx): number {
    for (const f of fields) {
      const cost = f[0].length + f[1].length + FIELD_OVERHEAD;
      if (used + cost > this.o.maxHeaderBytes) {
        addEvent(tx, 'header_list_too_large');
        this.o.problem(
          'http2.header-list-too-large',
          `stream ${tx.id}: header fields past ${this.o.maxHeaderBytes} bytes dropped`,
        );
        return used;
      }
      used += cost;
      list.push(f);
    }
    return used;
  }

  private requestMeta(tx: HttpTx): void {
    const h = tx.requestHeaders;
    tx.method = firstValue(h, ':method');
    tx.rawUri = firstValue(h, ':path');
    tx.uri = tx.rawUri;
    tx.protocol = HTTP2;
    const authority = firstValue(h, ':authority');
    const host = firstValue(h, 'host');
    if (authority !== undefined && host !== undefined && !sameIgnoringCase(authority, host)) {
      addEvent(tx, 'authority_host_mismatch');
    }
    if (authority?.includes(0x40)) addEvent(tx, 'userinfo_in_uri');
  }

  private finishRequest(s: Stream, complete: boolean): void {
    if (s.progress & REQ_DONE) return;
    const tx = s.tx;
    tx.requestBody = s.reqBody.bytes();
    tx.requestBodyTruncated = s.reqBody.dropped > 0;
    if (tx.requestBodyTruncated)
      this.o.problem(
        'http2.body-truncated',
        `stream ${tx.id}: request body past ${this.o.maxBody} bytes dropped`,
      );
    tx.requestDone = complete;
    this.emit(s, REQ_DONE, 'request_done');
  }

  private finishResponse(s: Stream, complete: boolean): void {
    if (s.progress & RES_DONE) return;
    const tx = s.tx;
    const raw = s.resBody.bytes();
    const decoded = decodeBody(
      raw,
      contentCoding(lastValue(tx.responseHeaders, 'content-encoding')),
      this.o.maxBody,
    );
    if (decoded.failed) {
      addEvent(tx, 'failed_decompression');
      this.o.problem(
        'http2.decompression-failed',
        `stream ${tx.id}: response body is not valid in its content coding; kept raw`,
      );
    }
    tx.responseBody = decoded.body;
    tx.responseBodyTruncated = s.resBody.dropped > 0 || decoded.truncated;
    if (tx.responseBodyTruncated)
      this.o.problem(
        'http2.body-truncated',
        `stream ${tx.id}: response body past ${this.o.maxBody} bytes dropped`,
      );
    tx.responseDone = complete;
    this.emit(s, RES_DONE, 'response_done');
  }

  /** A stream ends before both sides finished: report what was seen, *Done flags left false. */
  private cut(s: Stream): void {
    if (s.progress & REQ_HEADERS) this.finishRequest(s, false);
    if (s.progress & RES_HEADERS || s.resBody.length > 0) this.finishResponse(s, false);
  }

  private emit(s: Stream, bit: number, progress: Http2Progress): void {
    if (s.progress & bit) return;
    s.progress |= bit;
    this.o.onTx(s.tx, progress);
  }

  /** Forgets a finished stream (a response whose request we never saw counts as finished too). */
  private release(id: number, s: Stream): void {
    const p = s.progress;
    if (p & RES_DONE && (p & REQ_DONE || !(p & REQ_HEADERS))) this.open.delete(id);
  }
}
