/**
 * Incremental HTTP/1.x parser for one direction of a reassembled TCP stream:
 * requests on the client side, responses on the server side. It frames
 * messages (Content-Length, chunked, until-close, no-body cases) so pipelined
 * messages come out one by one, and keeps only bounded parts of each: header
 * count and bytes are capped, the body is counted but only a prefix is kept.
 *
 * Input is attacker data: anything that is not HTTP stops the parser for that
 * stream with a problem code (`dead`); it never throws.
 */
import {
  CHUNK_SIZE,
  DIGITS,
  hasControlBytes,
  latin1,
  MAX_LEADING_BLANK,
  parseRequestLine,
  parseStatusLine,
  TOKEN,
} from './http-text.js';

/** One parsed request or response. Header values are attacker data: never evaluate. */
export interface HttpMessage {
  method: string;
  uri: string;
  /** e.g. '1.1' (Zeek's form, without the `HTTP/`). */
  version: string;
  /** -1 for requests. */
  statusCode: number;
  statusMsg: string;
  /** In order as sent, duplicates kept; folded continuation lines joined with one space. */
  headers: [string, string][];
  /** Body bytes after transfer decoding (chunk framing removed), gaps included. */
  bodyLen: number;
  /** First bytes of the body (up to the configured prefix size), latin1. */
  bodyPrefix: string;
  /** False when the stream ended, broke or had a gap before the message was complete. */
  complete: boolean;
}

export interface HttpParserOptions {
  side: 'request' | 'response';
  /** Longest start, header or chunk-size line (default 16 KiB). */
  maxLine?: number;
  /** Headers kept per message (default 100); more are counted and dropped. */
  maxHeaders?: number;
  /** Bytes of one message's header section (default 64 KiB); more stops the parser. */
  maxHeaderBytes?: number;
  /** Body bytes kept per message (default 4 KiB). */
  bodyPrefixBytes?: number;
  /** Headers complete (body may follow). */
  onHead?(msg: HttpMessage): void;
  /** Message complete, or cut short at end of stream. */
  onMessage(msg: HttpMessage): void;
  /** A problem with the stream; `code` is stable, e.g. `http.line-too-long`. */
  onProblem?(code: string, message: string): void;
  /** Response side: the method of the request this response answers ('' if unknown), for HEAD and CONNECT. */
  requestMethod?(): string;
}

export interface HttpParser {
  feed(bytes: Uint8Array): void;
  /** `len` stream bytes were lost. */
  gap(len: number): void;
  /** End of stream: a body that runs until close is complete now. */
  end(): void;
  /** True once the parser gave up (not HTTP, over a bound) or the stream switched protocols. */
  readonly dead: boolean;
  /** Messages parsed so far. */
  readonly messages: number;
}

const ST_START = 0;
const ST_HEADERS = 1;
const ST_BODY_LEN = 2;
const ST_CHUNK_SIZE = 3;
const ST_CHUNK_DATA = 4;
const ST_CHUNK_END = 5;
const ST_TRAILERS = 6;
const ST_BODY_CLOSE = 7;
const ST_DEAD = 8;

function newMessage(): HttpMessage {
  return {
    method: '',
    uri: '',
    version: '',
    statusCode: -1,
    statusMsg: '',
    headers: [],
    bodyLen: 0,
    bodyPrefix: '',
    complete: false,
  };
}

/**
 * Creates a parser for one direction.
 *
 * @example
 * const p = createHttpParser({ side: 'request', onMessage: (m) => console.log(m.method, m.uri) });
 * p.feed(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n')); // logs "GET /"
 */
export function createHttpParser(opts: HttpParserOptions): HttpParser {
  const isRequest = opts.side === 'request';
  const maxLine = opts.maxLine ?? 16 * 1024;
  const maxHeaders = opts.maxHeaders ?? 100;
  const maxHeaderBytes = opts.maxHeaderBytes ?? 64 * 1024;
  const prefixMax = opts.bodyPrefixBytes ?? 4096;

  let state = ST_START;
  let lineBuf = new Uint8Array(256);
  let lineLen = 0;
  let msg = newMessage();
  let started = false; // start line of `msg` parsed
  let headerBytes = 0;
  let blankLines = 0;
  let remaining = 0;
  let prefix: Uint8Array | null = null;
  let prefixLen = 0;
  let prefixFrozen = false;
  let messages = 0;
  let droppedHeaderNoted = false;

  function fail(code: string, message: string): void {
    if (state === ST_DEAD) return;
    if (started) finishMessage(false);
    state = ST_DEAD;
    opts.onProblem?.(code, message);
  }

  function finishMessage(complete: boolean): void {
    msg.complete = complete;
    if (prefixLen > 0) msg.bodyPrefix = latin1(prefix!.subarray(0, prefixLen));
    messages++;
    const done = msg;
    msg = newMessage();
    started = false;
    headerBytes = 0;
    prefixLen = 0;
    prefixFrozen = false;
    blankLines = 0;
    droppedHeaderNoted = false;
    state = ST_START;
    opts.onMessage(done);
  }

  function body(bytes: Uint8Array, from: number, n: number): void {
    msg.bodyLen += n;
    if (prefixFrozen || prefixLen >= prefixMax) return;
    const take = Math.min(n, prefixMax - prefixLen);
    if (prefix === null) prefix = new Uint8Array(prefixMax);
    prefix.set(bytes.subarray(from, from + take), prefixLen);
    prefixLen += take;
  }

  function header(name: string): string | undefined {
    const want = name.toLowerCase();
    for (const [k, v] of msg.headers) if (k.toLowerCase() === want) return v;
    return undefined;
  }

  /** Framing decision once the header section ended. */
  function headersDone(): void {
    opts.onHead?.(msg);
    const te = header('transfer-encoding');
    const chunked = te !== undefined && /(?:^|,)\s*chunked\s*$/i.test(te);
    let length = -1;
    const clValues: string[] = [];
    for (const [k, v] of msg.headers)
      if (k.toLowerCase() === 'content-length') clValues.push(...v.split(','));
    if (!chunked && clValues.length > 0) {
      const first = clValues[0]!.trim();
      if (!DIGITS.test(first) || clValues.some((v) => v.trim() !== first)) {
        fail(
          'http.bad-content-length',
          `Content-Length ${JSON.stringify(clValues.join(',').slice(0, 40))} cannot frame the body; parsing of this stream stops.`,
        );
        return;
      }
      length = Number(first);
    }
    if (!isRequest) {
      const code = msg.statusCode;
      const method = opts.requestMethod?.() ?? '';
      if (code === 101 || (method === 'CONNECT' && code >= 200 && code < 300)) {
        // The connection now carries another protocol; HTTP parsing ends here (not a problem).
        finishMessage(true);
        state = ST_DEAD;
        return;
      }
      if (code < 200 || code === 204 || code === 304 || method === 'HEAD') {
        finishMessage(true);
        return;
      }
    }
    if (chunked) {
      state = ST_CHUNK_SIZE;
    } else if (length > 0) {
      remaining = length;
      state = ST_BODY_LEN;
    } else if (length === 0 || isRequest) {
      if (te !== undefined && isRequest)
        opts.onProblem?.(
          'http.unknown-transfer-encoding',
          `Request Transfer-Encoding ${JSON.stringify(te.slice(0, 40))} is not chunked; body ignored.`,
        );
      finishMessage(true);
    } else {
      state = ST_BODY_CLOSE;
    }
  }

  function startLine(line: Uint8Array): void {
    if (line.length === 0) {
      if (++blankLines > MAX_LEADING_BLANK)
        fail('http.not-http', 'Too many empty lines where an HTTP start line was expected.');
      return;
    }
    const text = hasControlBytes(line) ? null : latin1(line);
    const ok = text !== null && (isRequest ? parseRequestLine(text, msg) : parseStatusLine(text, msg));
    if (!ok) {
      fail(
        'http.not-http',
        `Stream is not HTTP: bad ${isRequest ? 'request' : 'status'} line; parsing of this stream stops.`,
      );
      return;
    }
    started = true;
    headerBytes = line.length;
    state = ST_HEADERS;
  }

  function headerLine(line: Uint8Array, trailer: boolean): void {
    if (line.length === 0) {
      if (trailer) finishMessage(true);
      else headersDone();
      return;
    }
    headerBytes += line.length + 2;
    if (headerBytes > maxHeaderBytes) {
      fail(
        'http.headers-too-large',
        `Header section over ${maxHeaderBytes} bytes; parsing of this stream stops.`,
      );
      return;
    }
    if (hasControlBytes(line)) {
      fail('http.binary-header', 'Binary bytes in an HTTP header line; parsing of this stream stops.');
      return;
    }
    if (trailer) return; // trailers are framed but not kept
    const text = latin1(line);
    const c0 = line[0]!;
    const headers = msg.headers;
    if (c0 === 0x20 || c0 === 0x09) {
      // Obsolete line folding: continues the previous header's value.
      const last = headers[headers.length - 1];
      if (last !== undefined) last[1] = `${last[1]} ${text.trim()}`.trim();
      return;
    }
    const colon = text.indexOf(':');
    const name = colon > 0 ? text.slice(0, colon) : '';
    if (!TOKEN.test(name)) {
      opts.onProblem?.('http.bad-header-line', 'HTTP header line without a valid name; line skipped.');
      return;
    }
    if (headers.length >= maxHeaders) {
      if (!droppedHeaderNoted)
        opts.onProblem?.('http.too-many-headers', `More than ${maxHeaders} headers; the rest are dropped.`);
      droppedHeaderNoted = true;
      return;
    }
    headers.push([name, text.slice(colon + 1).trim()]);
  }

  function chunkSizeLine(line: Uint8Array): void {
    const m = hasControlBytes(line) ? null : CHUNK_SIZE.exec(latin1(line).trim());
    if (m === null) {
      fail('http.bad-chunk', 'Malformed chunk-size line; parsing of this stream stops.');
      return;
    }
    remaining = Number.parseInt(m[1]!, 16);
    state = remaining === 0 ? ST_TRAILERS : ST_CHUNK_DATA;
  }

  function onLine(line: Uint8Array): void {
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    switch (state) {
      case ST_START:
        startLine(line);
        break;
      case ST_HEADERS:
        headerLine(line, false);
        break;
      case ST_TRAILERS:
        headerLine(line, true);
        break;
      case ST_CHUNK_SIZE:
        chunkSizeLine(line);
        break;
      case ST_CHUNK_END:
        if (line.length !== 0)
          fail('http.bad-chunk', 'Chunk data not followed by CRLF; parsing of this stream stops.');
        else state = ST_CHUNK_SIZE;
        break;
    }
  }

  function appendLine(bytes: Uint8Array, from: number, to: number): boolean {
    const n = to - from;
    if (lineLen + n > maxLine) {
      fail('http.line-too-long', `HTTP line longer than ${maxLine} bytes; parsing of this stream stops.`);
      return false;
    }
    if (lineLen + n > lineBuf.length) {
      let cap = lineBuf.length * 2;
      while (cap < lineLen + n) cap *= 2;
      const grown = new Uint8Array(Math.min(cap, maxLine));
      grown.set(lineBuf.subarray(0, lineLen));
      lineBuf = grown;
    }
    lineBuf.set(bytes.subarray(from, to), lineLen);
    lineLen += n;
    return true;
  }

  function feed(bytes: Uint8Array): void {
    let pos = 0;
    const len = bytes.length;
    while (pos < len && state !== ST_DEAD) {
      if (state === ST_BODY_LEN || state === ST_CHUNK_DATA) {
        const n = Math.min(remaining, len - pos);
        body(bytes, pos, n);
        remaining -= n;
        pos += n;
        if (remaining === 0) {
          if (state === ST_BODY_LEN) finishMessage(true);
          else state = ST_CHUNK_END;
        }
        continue;
      }
      if (state === ST_BODY_CLOSE) {
        body(bytes, pos, len - pos);
        return;
      }
      const lf = bytes.indexOf(10, pos);
      if (lf < 0) {
        appendLine(bytes, pos, len);
        return;
      }
      let line: Uint8Array;
      if (lineLen === 0) {
        if (lf - pos > maxLine) {
          fail('http.line-too-long', `HTTP line longer than ${maxLine} bytes; parsing of this stream stops.`);
          return;
        }
        line = bytes.subarray(pos, lf);
      } else {
        if (!appendLine(bytes, pos, lf)) return;
        line = lineBuf.subarray(0, lineLen);
      }
      lineLen = 0;
      pos = lf + 1;
      onLine(line);
    }
  }

  function gap(n: number): void {
    if (state === ST_DEAD) return;
    if ((state === ST_BODY_LEN || state === ST_CHUNK_DATA) && n <= remaining) {
      msg.bodyLen += n;
      prefixFrozen = true;
      remaining -= n;
      if (remaining === 0) {
        if (state === ST_BODY_LEN) finishMessage(false);
        else state = ST_CHUNK_END;
      }
      return;
    }
    if (state === ST_BODY_CLOSE) {
      msg.bodyLen += n;
      prefixFrozen = true;
      return;
    }
    fail(
      'http.gap',
      `${n} bytes missing from the stream where HTTP framing was needed; parsing of this stream stops.`,
    );
  }

  function end(): void {
    if (state === ST_DEAD) return;
    if (state === ST_BODY_CLOSE) finishMessage(true);
    else if (started) finishMessage(false);
    state = ST_DEAD;
  }

  return {
    feed,
    gap,
    end,
    get dead() {
      return state === ST_DEAD;
    },
    get messages() {
      return messages;
    },
  };
}
