/**
 * One HTTP/2 connection seen from the wire: both reassembled directions go in,
 * transactions (one per stream) come out through `onTx`.
 *
 * Frame rules follow RFC 9113 loosely, as a passive observer must: protocol
 * violations become problems (stage `session`) and the parser carries on
 * where that still makes sense. Header blocks are always HPACK-decoded, even
 * for streams that are ignored, so the dynamic tables stay in step.
 */
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
  SETTINGS_HEADER_TABLE_SIZE,
} from './frames.js';
import {
  createHpackDecoder,
  DEFAULT_MAX_HEADER_LIST,
  DEFAULT_MAX_TABLE_SIZE,
  type HeaderField,
} from './hpack.js';
import {
  DEFAULT_MAX_BODY,
  DEFAULT_MAX_HEADER_BLOCK,
  DEFAULT_MAX_STREAMS,
  HTTP2_PREFACE,
  type Http2Connection,
  type Http2Parser,
  type Http2ParserOptions,
} from './options.js';
import { Side, type SideEvents } from './side.js';
import { StreamTable } from './streams.js';

export {
  HTTP2_PREFACE,
  type Http2Connection,
  type Http2Parser,
  type Http2ParserOptions,
  looksLikeHttp2Preface,
} from './options.js';

class Connection implements Http2Connection, SideEvents {
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
      side.startBlock(type, id, 0, (flags & FLAG_END_STREAM) !== 0);
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
    side.startBlock(type, id, promised, endStream);
    side.appendBlock(buf, pos, fragmentEnd);
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
    side.appendBlock(buf, s, e);
    if (flags & FLAG_END_HEADERS) this.completeBlock(side);
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
