/**
 * One HTTP/2 connection seen from the wire: both reassembled directions go in,
 * transactions (one per stream) come out through `onTx`.
 *
 * Frame rules follow RFC 9113 loosely, as a passive observer must: protocol
 * violations become problems (stage `session`) and the parser carries on
 * where that still makes sense. Header blocks are always HPACK-decoded, even
 * for streams that are ignored, so the dynamic tables stay in step.
 */
import type { HttpTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import {
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FRAME_CONTINUATION,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_NAMES,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_PUSH_PROMISE,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
  FrameReader,
  type FrameSink,
  SETTINGS_HEADER_TABLE_SIZE,
} from './frames.js';
import {
  createHpackDecoder,
  DEFAULT_MAX_HEADER_LIST,
  DEFAULT_MAX_TABLE_SIZE,
  type HeaderField,
  type HpackDecoder,
} from './hpack.js';
import { type Http2Progress, StreamTable } from './streams.js';

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

const DEFAULT_MAX_BODY = 64 * 1024;
const DEFAULT_MAX_STREAMS = 128;
const DEFAULT_MAX_HEADER_BLOCK = 256 * 1024;

/** One direction: its framing, its HPACK decoder and any header block waiting for CONTINUATION. */
class Side implements FrameSink {
  readonly reader: FrameReader;
  readonly hpack: HpackDecoder;
  readonly name: string;
  dead = false;
  pending = false;
  pendingType = 0;
  pendingStream = 0;
  pendingPromised = 0;
  pendingEndStream = false;
  /** The block outgrew its bound: it will be dropped when complete. */
  pendingLost = false;
  block = new Uint8Array(4096);
  blockFill = 0;

  constructor(
    private readonly conn: Connection,
    readonly toServer: boolean,
    maxHeaderBlock: number,
    hpack: HpackDecoder,
  ) {
    this.reader = new FrameReader(this, maxHeaderBlock);
    this.hpack = hpack;
    this.name = toServer ? 'client→server' : 'server→client';
  }

  frame(
    type: number,
    flags: number,
    id: number,
    buf: Uint8Array,
    start: number,
    end: number,
    at: number,
  ): void {
    this.conn.frame(this, type, flags, id, buf, start, end, at);
  }
  oversize(type: number, flags: number, id: number, length: number, at: number): void {
    this.conn.oversize(this, type, flags, id, length, at);
  }
  data(id: number, buf: Uint8Array, start: number, end: number): void {
    this.conn.data(this, id, buf, start, end);
  }
  dataEnd(id: number, flags: number, badPadding: boolean, at: number): void {
    this.conn.dataEnd(this, id, flags, badPadding, at);
  }
}

class Connection implements Http2Connection {
  private readonly client: Side;
  private readonly server: Side;
  private readonly streams: StreamTable;
  private readonly maxHeaderBlock: number;
  private prefaceSeen = 0;
  private ended = false;

  constructor(private readonly o: Http2ParserOptions) {
    this.maxHeaderBlock = o.maxHeaderBlock ?? DEFAULT_MAX_HEADER_BLOCK;
    const maxHeaderBytes = o.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST;
    const hpackOpts = {
      maxTableSize: o.maxTableSize ?? DEFAULT_MAX_TABLE_SIZE,
      maxHeaderListSize: maxHeaderBytes,
    };
    this.client = new Side(this, true, this.maxHeaderBlock, createHpackDecoder(hpackOpts));
    this.server = new Side(this, false, this.maxHeaderBlock, createHpackDecoder(hpackOpts));
    this.streams = new StreamTable({
      onTx: o.onTx,
      problem: (code, message) => this.problem(code, message),
      maxBody: o.maxBody ?? DEFAULT_MAX_BODY,
      maxStreams: o.maxStreams ?? DEFAULT_MAX_STREAMS,
      maxHeaderBytes,
    });
  }

  toServer(bytes: Uint8Array): void {
    const c = this.client;
    if (this.ended || c.dead || bytes.length === 0) return;
    let i = 0;
    while (this.prefaceSeen < HTTP2_PREFACE.length && i < bytes.length) {
      if (bytes[i] !== HTTP2_PREFACE[this.prefaceSeen]) {
        if (this.o.skipPreface && this.prefaceSeen === 0) {
          this.prefaceSeen = HTTP2_PREFACE.length; // no preface: frames start here
          break;
        }
        this.problem(
          'http2.bad-preface',
          `client bytes do not start with the HTTP/2 connection preface; client side ignored`,
        );
        c.dead = true;
        return;
      }
      i++;
      this.prefaceSeen++;
    }
    c.reader.offset += i;
    if (i < bytes.length) c.reader.feed(i === 0 ? bytes : bytes.subarray(i));
  }

  toClient(bytes: Uint8Array): void {
    if (this.ended || this.server.dead) return;
    this.server.reader.feed(bytes);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const side of [this.client, this.server]) {
      if (!side.dead && !side.reader.atBoundary) {
        this.problem('http2.truncated-frame', `${side.name} bytes end inside a frame`);
      }
      if (side.pending) this.abandonBlock(side, 'the connection ended');
    }
    this.streams.finish();
  }

  seedUpgradedRequest(method: Uint8Array, uri: Uint8Array, body?: Uint8Array, event?: string): void {
    this.streams.upgraded(method, uri, body, event);
  }

  applyClientSettings(payload: Uint8Array): boolean {
    if (payload.length % 6 !== 0) return false;
    this.settings(this.client, payload, 0, payload.length);
    return true;
  }

  frame(
    side: Side,
    type: number,
    flags: number,
    id: number,
    buf: Uint8Array,
    s: number,
    e: number,
    at: number,
  ): void {
    if (side.pending && type !== FRAME_CONTINUATION)
      this.abandonBlock(side, `a ${this.typeName(type)} frame came first`);
    const len = e - s;
    switch (type) {
      case FRAME_HEADERS:
      case FRAME_PUSH_PROMISE:
        this.headerFrame(side, type, flags, id, buf, s, e, at);
        return;
      case FRAME_CONTINUATION:
        this.continuation(side, flags, id, buf, s, e, at);
        return;
      case FRAME_SETTINGS:
        if (id !== 0 || (flags & FLAG_ACK ? len !== 0 : len % 6 !== 0)) {
          this.badFrame(side, type, id, at, len);
          return;
        }
        if (!(flags & FLAG_ACK)) this.settings(side, buf, s, e);
        return;
      case FRAME_RST_STREAM:
        if (id === 0 || len !== 4) {
          this.badFrame(side, type, id, at, len);
          return;
        }
        this.streams.reset(id);
        return;
      case FRAME_PRIORITY:
        if (id === 0 || len !== 5) this.badFrame(side, type, id, at, len);
        return;
      case FRAME_PING:
        if (id !== 0 || len !== 8) this.badFrame(side, type, id, at, len);
        return;
      case FRAME_GOAWAY:
        if (id !== 0 || len < 8) this.badFrame(side, type, id, at, len);
        return;
      case FRAME_WINDOW_UPDATE:
        if (len !== 4) this.badFrame(side, type, id, at, len);
        return;
      default:
      // Unknown frame types are ignored (RFC 9113 §4.1).
    }
  }

  oversize(side: Side, type: number, flags: number, id: number, length: number, at: number): void {
    if (side.pending && type !== FRAME_CONTINUATION)
      this.abandonBlock(side, `a ${this.typeName(type)} frame came first`);
    this.problem(
      'http2.frame-too-large',
      `${side.name} ${this.typeName(type)} frame of ${length} bytes on stream ${id} at byte ${at} is over the ${this.maxHeaderBlock}-byte bound; skipped`,
    );
    if (type === FRAME_HEADERS || type === FRAME_PUSH_PROMISE) {
      // Its block is lost; track it so the CONTINUATIONs that follow are not "unexpected".
      this.startBlock(side, type, id, 0, (flags & FLAG_END_STREAM) !== 0);
      side.pendingLost = true;
      if (flags & FLAG_END_HEADERS) this.completeBlock(side);
    } else if (type === FRAME_CONTINUATION && side.pending) {
      side.pendingLost = true;
      if (flags & FLAG_END_HEADERS) this.completeBlock(side);
    }
  }

  data(side: Side, id: number, buf: Uint8Array, s: number, e: number): void {
    if (side.pending) this.abandonBlock(side, 'a DATA frame came first');
    if (id !== 0) this.streams.data(side.toServer, id, buf, s, e);
  }

  dataEnd(side: Side, id: number, flags: number, badPadding: boolean, at: number): void {
    if (side.pending) this.abandonBlock(side, 'a DATA frame came first');
    if (id === 0) {
      this.badFrame(side, 0, id, at, -1);
      return;
    }
    if (badPadding)
      this.problem(
        'http2.bad-padding',
        `${side.name} DATA frame at byte ${at}: padding longer than the frame`,
      );
    this.streams.dataEnd(side.toServer, id, (flags & FLAG_END_STREAM) !== 0);
  }

  private headerFrame(
    side: Side,
    type: number,
    flags: number,
    id: number,
    buf: Uint8Array,
    s: number,
    e: number,
    at: number,
  ): void {
    let pos = s;
    let pad = 0;
    if (flags & FLAG_PADDED) {
      if (pos >= e) {
        this.badFrame(side, type, id, at, e - s);
        return;
      }
      pad = buf[pos++]!;
    }
    let promised = 0;
    if (type === FRAME_PUSH_PROMISE) {
      if (e - pos < 4) {
        this.badFrame(side, type, id, at, e - s);
        return;
      }
      promised = ((buf[pos]! & 0x7f) << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!;
      pos += 4;
    } else if (flags & FLAG_PRIORITY) {
      if (e - pos < 5) {
        this.badFrame(side, type, id, at, e - s);
        return;
      }
      pos += 5; // stream dependency and weight: not needed for inspection
    }
    if (id === 0 || pad > e - pos) {
      this.badFrame(side, type, id, at, e - s);
      return;
    }
    const fragmentEnd = e - pad;
    const endStream = type === FRAME_HEADERS && (flags & FLAG_END_STREAM) !== 0;
    if (flags & FLAG_END_HEADERS) {
      this.decodeBlock(side, type, id, promised, endStream, buf, pos, fragmentEnd);
      return;
    }
    this.startBlock(side, type, id, promised, endStream);
    this.appendBlock(side, buf, pos, fragmentEnd);
  }

  private continuation(
    side: Side,
    flags: number,
    id: number,
    buf: Uint8Array,
    s: number,
    e: number,
    at: number,
  ): void {
    if (!side.pending || side.pendingStream !== id) {
      if (side.pending) this.abandonBlock(side, `a CONTINUATION for stream ${id} came first`);
      this.problem(
        'http2.unexpected-continuation',
        `${side.name} CONTINUATION on stream ${id} at byte ${at} follows no open header block`,
      );
      return;
    }
    this.appendBlock(side, buf, s, e);
    if (flags & FLAG_END_HEADERS) this.completeBlock(side);
  }

  private startBlock(side: Side, type: number, id: number, promised: number, endStream: boolean): void {
    side.pending = true;
    side.pendingType = type;
    side.pendingStream = id;
    side.pendingPromised = promised;
    side.pendingEndStream = endStream;
    side.pendingLost = false;
    side.blockFill = 0;
  }

  private appendBlock(side: Side, buf: Uint8Array, s: number, e: number): void {
    if (side.pendingLost) return;
    const need = side.blockFill + (e - s);
    if (need > this.maxHeaderBlock) {
      side.pendingLost = true;
      return;
    }
    if (side.block.length < need) {
      const grown = new Uint8Array(Math.min(this.maxHeaderBlock, Math.max(need, side.block.length * 2)));
      grown.set(side.block.subarray(0, side.blockFill));
      side.block = grown;
    }
    side.block.set(buf.subarray(s, e), side.blockFill);
    side.blockFill = need;
  }

  private completeBlock(side: Side): void {
    side.pending = false;
    if (side.pendingLost) {
      this.problem(
        'http2.header-block-too-large',
        `${side.name} header block of stream ${side.pendingStream} is over the ${this.maxHeaderBlock}-byte bound; dropped (later blocks may decode wrongly)`,
      );
      this.deliverFields(
        side,
        side.pendingType,
        side.pendingStream,
        side.pendingPromised,
        side.pendingEndStream,
        [],
        'truncated',
      );
      return;
    }
    this.decodeBlock(
      side,
      side.pendingType,
      side.pendingStream,
      side.pendingPromised,
      side.pendingEndStream,
      side.block,
      0,
      side.blockFill,
    );
  }

  /** A header block cut short by another frame: its fields are lost and the HPACK state may drift. */
  private abandonBlock(side: Side, why: string): void {
    side.pending = false;
    this.problem(
      'http2.continuation-expected',
      `${side.name} header block of stream ${side.pendingStream} unfinished: ${why}`,
    );
    this.deliverFields(
      side,
      side.pendingType,
      side.pendingStream,
      side.pendingPromised,
      side.pendingEndStream,
      [],
      'truncated',
    );
  }

  private decodeBlock(
    side: Side,
    type: number,
    id: number,
    promised: number,
    endStream: boolean,
    buf: Uint8Array,
    s: number,
    e: number,
  ): void {
    const fields: HeaderField[] = [];
    const err = side.hpack.decodeBlock(buf, s, e, fields);
    if (err !== undefined)
      this.problem(`http2.hpack-${err}`, `${side.name} header block of stream ${id}: ${err}`);
    this.deliverFields(side, type, id, promised, endStream, fields, err);
  }

  private deliverFields(
    side: Side,
    type: number,
    id: number,
    promised: number,
    endStream: boolean,
    fields: HeaderField[],
    err: Parameters<StreamTable['headers']>[4],
  ): void {
    if (type === FRAME_PUSH_PROMISE) {
      if (side.toServer) this.problem('http2.bad-frame', `client sent PUSH_PROMISE on stream ${id}; ignored`);
      else this.streams.promise(promised, fields, err);
    } else {
      this.streams.headers(side.toServer, id, fields, endStream, err);
    }
  }

  /** SETTINGS from `from`: a header table size limits the other side's encoder, i.e. the decoder of bytes toward `from`. */
  private settings(from: Side, buf: Uint8Array, s: number, e: number): void {
    const decoderOfPeer = from === this.client ? this.server.hpack : this.client.hpack;
    for (let p = s; p + 6 <= e; p += 6) {
      const id = (buf[p]! << 8) | buf[p + 1]!;
      const value = ((buf[p + 2]! << 24) | (buf[p + 3]! << 16) | (buf[p + 4]! << 8) | buf[p + 5]!) >>> 0;
      if (id === SETTINGS_HEADER_TABLE_SIZE) decoderOfPeer.setAllowedTableSize(value);
    }
  }

  private badFrame(side: Side, type: number, id: number, at: number, len: number): void {
    const size = len >= 0 ? ` with ${len}-byte payload` : '';
    this.problem(
      'http2.bad-frame',
      `${side.name} ${this.typeName(type)} frame on stream ${id}${size} at byte ${at} is malformed; ignored`,
    );
  }

  private typeName(type: number): string {
    return FRAME_NAMES[type] ?? `type-${type}`;
  }

  private problem(code: string, message: string): void {
    this.o.problems?.add({
      stage: 'session',
      code,
      message,
      ...(this.o.file !== undefined ? { file: this.o.file } : {}),
    });
  }
}

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

/** The parser with the h2c hooks; createHttp2Parser and the upgrade helper build on it. */
export function createHttp2Connection(opts: Http2ParserOptions): Http2Connection {
  return new Connection(opts);
}

/**
 * A streaming HTTP/2 parser for one TCP connection (cleartext: prior knowledge,
 * or after an h2c Upgrade with `skipPreface`).
 *
 * @example
 * const p = createHttp2Parser({ onTx: (tx, progress) => { if (progress === 'response_done') inspect(tx); } });
 * p.toServer(clientBytes); p.toClient(serverBytes); p.end();
 */
export function createHttp2Parser(opts: Http2ParserOptions): Http2Parser {
  const c = new Connection(opts);
  return { toServer: (b) => c.toServer(b), toClient: (b) => c.toClient(b), end: () => c.end() };
}
