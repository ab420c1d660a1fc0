/**
 * Framing of one HTTP/1 connection's two byte streams into start lines,
 * header lines, bodies (length, chunked, until close) and the request
 * "finalize" step; what each piece means for a transaction is decided by the
 * subclass in http1-tx.ts. Lines are at most `maxHeaderBytes` long (with the
 * header block), bodies are kept up to `maxBody` bytes.
 */
import type { HttpTx } from '../../schema/app-tx.js';
import type { ProblemLog } from '../../schema/problem.js';
import { BoundedBytes, type ContentCoding } from './http1-body.js';
import { chomp, isBlankLine, parseChunkSize, parseHeaderLine } from './http1-lines.js';

export const ST_LINE = 0;
export const ST_HEADERS = 1;
export const ST_BODY_LEN = 2;
export const ST_CHUNK_SIZE = 3;
export const ST_CHUNK_DATA = 4;
export const ST_CHUNK_END = 5;
export const ST_TRAILERS = 6;
export const ST_BODY_CLOSE = 7;
/** Request only: deciding whether the next line is a new request or more body. */
export const ST_FINALIZE = 8;
export const ST_IGNORE = 9;

/** Headers kept per message, libhtp's limit. */
const MAX_HEADERS = 1024;

/** One transaction and what the parser needs beside the public fields. */
export interface Entry {
  tx: HttpTx;
  reqBody: BoundedBytes | null;
  resBody: BoundedBytes | null;
  reqCoding: ContentCoding;
  resCoding: ContentCoding;
  http09: boolean;
  isHead: boolean;
  isConnect: boolean;
  interimSeen: number;
}

/** Framing state of one direction. */
export class Side {
  state = ST_LINE;
  entry: Entry | null = null;
  remaining = 0;
  headerCount = 0;
  readonly line: BoundedBytes;
  readonly raw: BoundedBytes;
  constructor(
    readonly isRequest: boolean,
    maxHeaderBytes: number,
  ) {
    this.line = new BoundedBytes(maxHeaderBytes);
    this.raw = new BoundedBytes(maxHeaderBytes);
  }
}

export abstract class Http1Framer {
  protected readonly req: Side;
  protected readonly res: Side;

  constructor(
    protected readonly maxBody: number,
    maxHeaderBytes: number,
    private readonly problems: ProblemLog | undefined,
    private readonly file: string | undefined,
  ) {
    this.req = new Side(true, maxHeaderBytes);
    this.res = new Side(false, maxHeaderBytes);
  }

  protected abstract requestStart(s: Side, line: Uint8Array, rest: Uint8Array): void;
  protected abstract responseStart(s: Side, line: Uint8Array): void;
  protected abstract requestHeadersEnd(s: Side, e: Entry, framed: boolean): void;
  protected abstract responseHeadersEnd(s: Side, e: Entry, framed: boolean): void;
  protected abstract trailersEnd(s: Side, e: Entry): void;
  /** The message body is complete (length reached, last chunk and trailers, or stream end). */
  protected abstract bodyEnd(s: Side): void;
  protected abstract finalizeLine(s: Side, line: Uint8Array, rest: Uint8Array): void;
  protected abstract requestComplete(s: Side, e: Entry): void;

  protected problem(code: string, message: string): void {
    const p = this.problems;
    if (p === undefined) return;
    p.add({
      stage: 'session',
      code,
      message,
      ...(this.file !== undefined ? { file: this.file } : {}),
    });
  }

  protected event(e: Entry, name: string): void {
    const ev = e.tx.events;
    if (ev.length < 32 && !ev.includes(name)) ev.push(name);
  }

  protected feed(s: Side, bytes: Uint8Array): void {
    let pos = 0;
    const n = bytes.length;
    while (pos < n && s.state !== ST_IGNORE) {
      const st = s.state;
      if (st === ST_BODY_LEN || st === ST_CHUNK_DATA) {
        const take = Math.min(s.remaining, n - pos);
        this.body(s, bytes, pos, pos + take);
        pos += take;
        s.remaining -= take;
        if (s.remaining === 0) {
          if (st === ST_CHUNK_DATA) s.state = ST_CHUNK_END;
          else this.bodyEnd(s);
        }
        continue;
      }
      if (st === ST_BODY_CLOSE) {
        this.body(s, bytes, pos, n);
        pos = n;
        continue;
      }
      const lf = bytes.indexOf(0x0a, pos);
      if (lf < 0) {
        if (!this.keepPartial(s, bytes, pos, n)) return;
        pos = n;
        continue;
      }
      let line: Uint8Array;
      if (s.line.len > 0) {
        if (!this.keepPartial(s, bytes, pos, lf + 1)) return;
        line = s.line.view();
      } else line = bytes.subarray(pos, lf + 1);
      pos = lf + 1;
      this.onLine(s, line, bytes.subarray(pos));
      s.line.reset();
    }
    // libhtp completes a request once the data at hand is used up and no partial line waits.
    if (s.isRequest && s.state === ST_FINALIZE && s.line.len === 0 && s.entry !== null)
      this.requestComplete(s, s.entry);
  }

  /** Buffers a partial line; false (and the direction stops) when it outgrows the header limit. */
  protected keepPartial(s: Side, bytes: Uint8Array, from: number, to: number): boolean {
    s.line.append(bytes, from, to);
    if (!s.line.truncated) return true;
    this.tooLong(s);
    return false;
  }

  protected tooLong(s: Side): void {
    if (s.entry !== null)
      this.event(s.entry, s.isRequest ? 'request_field_too_long' : 'response_field_too_long');
    this.problem(
      'http1.field-too-long',
      `${s.isRequest ? 'request' : 'response'} line or header block over the limit: HTTP parsing of that direction stops`,
    );
    s.line.reset();
    s.state = ST_IGNORE;
  }

  /** One complete line (terminator included) in a line state; `rest` is the data after it in this call. */
  protected onLine(s: Side, line: Uint8Array, rest: Uint8Array): void {
    switch (s.state) {
      case ST_LINE:
        if (isBlankLine(line)) return;
        if (s.isRequest) this.requestStart(s, chomp(line), rest);
        else this.responseStart(s, line);
        return;
      case ST_HEADERS:
      case ST_TRAILERS:
        this.headerLine(s, line);
        return;
      case ST_CHUNK_SIZE: {
        if (isBlankLine(line)) return;
        const size = parseChunkSize(chomp(line));
        if (size < 0) {
          if (s.entry !== null)
            this.event(s.entry, s.isRequest ? 'invalid_request_chunk_len' : 'invalid_response_chunk_len');
          this.problem(
            'http1.chunk-length-invalid',
            'invalid chunk length: the message ends here and parsing of that direction stops',
          );
          this.bodyEnd(s);
          s.state = ST_IGNORE;
        } else if (size === 0) {
          s.state = ST_TRAILERS;
        } else {
          s.remaining = size;
          s.state = ST_CHUNK_DATA;
        }
        return;
      }
      case ST_CHUNK_END:
        s.state = ST_CHUNK_SIZE;
        return;
      case ST_FINALIZE:
        this.finalizeLine(s, line, rest);
        return;
    }
  }

  protected headerLine(s: Side, line: Uint8Array): void {
    const e = s.entry;
    s.raw.append(line);
    if (s.raw.truncated) {
      this.tooLong(s);
      return;
    }
    if (e === null) return;
    const body = chomp(line);
    if (body.length === 0) {
      if (s.state === ST_TRAILERS) this.trailersEnd(s, e);
      else if (s.isRequest) this.requestHeadersEnd(s, e, true);
      else this.responseHeadersEnd(s, e, true);
      return;
    }
    const list = s.isRequest ? e.tx.requestHeaders : e.tx.responseHeaders;
    const first = body[0]!;
    if ((first === 0x20 || first === 0x09) && list.length > 0 && s.headerCount > 0) {
      // Folded continuation: joined to the previous value with one space.
      const last = list[list.length - 1]!;
      const cont = trimFold(body);
      const joined = new Uint8Array(last[1].length + 1 + cont.length);
      joined.set(last[1]);
      joined[last[1].length] = 0x20;
      joined.set(cont, last[1].length + 1);
      last[1] = joined;
      return;
    }
    if (first === 0x20 || first === 0x09)
      this.event(e, s.isRequest ? 'invalid_request_field_folding' : 'invalid_response_field_folding');
    const h = parseHeaderLine(body);
    if (h.missingColon)
      this.event(e, s.isRequest ? 'request_field_missing_colon' : 'response_field_missing_colon');
    else if (h.invalidName) this.event(e, s.isRequest ? 'request_header_invalid' : 'response_header_invalid');
    if (s.headerCount >= MAX_HEADERS) {
      this.event(e, s.isRequest ? 'request_too_many_headers' : 'response_too_many_headers');
      return;
    }
    s.headerCount++;
    list.push([h.name.slice(), h.value.slice()]);
  }

  /** Body framing shared by both directions; returns the state to enter after the header block. */
  protected body(s: Side, bytes: Uint8Array, from: number, to: number): void {
    const e = s.entry;
    if (e === null || to <= from) return;
    if (s.isRequest) {
      if (e.reqBody === null) e.reqBody = new BoundedBytes(this.maxBody);
      e.reqBody.append(bytes, from, to);
    } else {
      if (e.resBody === null) e.resBody = new BoundedBytes(this.maxBody);
      e.resBody.append(bytes, from, to);
      e.tx.responseBodySeen = (e.tx.responseBodySeen ?? 0) + (to - from);
    }
  }

  /** The message body is complete (length reached, last chunk and trailers, or stream end). */
}

/** Continuation line without its folding whitespace. */
function trimFold(b: Uint8Array): Uint8Array {
  let s = 0;
  let e = b.length;
  while (s < e && (b[s] === 0x20 || b[s] === 0x09)) s++;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0x09)) e--;
  return b.subarray(s, e);
}
