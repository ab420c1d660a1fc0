/**
 * HTTP/2 framing (RFC 9113 §4) for one direction of a connection: cuts the
 * reassembled byte stream into frames without per-frame allocation.
 *
 * DATA payloads are streamed to the sink piece by piece with padding removed,
 * so a 16 MiB DATA frame costs no buffer. Other frames are collected whole up
 * to `maxPayload` bytes (one reused buffer); longer ones are skipped and
 * reported, since their contents (e.g. a header block) cannot be used anyway.
 */

export const FRAME_HEADER_LEN = 9;

export const FRAME_DATA = 0x0;
export const FRAME_HEADERS = 0x1;
export const FRAME_PRIORITY = 0x2;
export const FRAME_RST_STREAM = 0x3;
export const FRAME_SETTINGS = 0x4;
export const FRAME_PUSH_PROMISE = 0x5;
export const FRAME_PING = 0x6;
export const FRAME_GOAWAY = 0x7;
export const FRAME_WINDOW_UPDATE = 0x8;
export const FRAME_CONTINUATION = 0x9;

export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

export const SETTINGS_HEADER_TABLE_SIZE = 0x1;

/** Frame type names for messages. */
export const FRAME_NAMES: readonly string[] = [
  'DATA',
  'HEADERS',
  'PRIORITY',
  'RST_STREAM',
  'SETTINGS',
  'PUSH_PROMISE',
  'PING',
  'GOAWAY',
  'WINDOW_UPDATE',
  'CONTINUATION',
];

/** What the reader hands over; all byte ranges are valid only during the call. */
export interface FrameSink {
  /** A whole non-DATA frame, payload in `buf[start..end)`; `at` is the frame's offset in this direction. */
  frame(
    type: number,
    flags: number,
    streamId: number,
    buf: Uint8Array,
    start: number,
    end: number,
    at: number,
  ): void;
  /** A non-DATA frame longer than the reader keeps; its payload is skipped. */
  oversize(type: number, flags: number, streamId: number, length: number, at: number): void;
  /** A piece of a DATA frame's data (padding removed). */
  data(streamId: number, buf: Uint8Array, start: number, end: number): void;
  /** The end of a DATA frame (including its padding); `badPadding` when the pad length exceeded the frame. */
  dataEnd(streamId: number, flags: number, badPadding: boolean, at: number): void;
}

const S_HEADER = 0;
const S_PAYLOAD = 1;
const S_PAD_LENGTH = 2;
const S_DATA = 3;
const S_PADDING = 4;
const S_SKIP = 5;

/**
 * Incremental frame reader for one direction.
 *
 * @example
 * const r = new FrameReader(sink, 256 * 1024);
 * r.feed(bytes); // calls sink.frame / sink.data ... for each complete piece
 */
export class FrameReader {
  /** Bytes consumed so far in this direction. */
  offset = 0;
  private state = S_HEADER;
  private readonly header = new Uint8Array(FRAME_HEADER_LEN);
  private headerFill = 0;
  private length = 0;
  private type = 0;
  private flags = 0;
  private streamId = 0;
  private frameAt = 0;
  /** Payload bytes still to come in the current state. */
  private left = 0;
  private padLeft = 0;
  private badPadding = false;
  private payload = new Uint8Array(16 * 1024);
  private payloadFill = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxPayload: number,
  ) {}

  /** True between frames (nothing half-read). */
  get atBoundary(): boolean {
    return this.state === S_HEADER && this.headerFill === 0;
  }

  /** Feeds the next bytes of this direction; `bytes` is only read during the call. */
  feed(bytes: Uint8Array): void {
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_HEADER: {
          const take = Math.min(FRAME_HEADER_LEN - this.headerFill, n - i);
          this.header.set(bytes.subarray(i, i + take), this.headerFill);
          this.headerFill += take;
          i += take;
          if (this.headerFill === FRAME_HEADER_LEN) this.beginFrame(this.offset + i - FRAME_HEADER_LEN);
          break;
        }
        case S_PAYLOAD: {
          const take = Math.min(this.left, n - i);
          this.payload.set(bytes.subarray(i, i + take), this.payloadFill);
          this.payloadFill += take;
          this.left -= take;
          i += take;
          if (this.left === 0) this.deliver();
          break;
        }
        case S_PAD_LENGTH: {
          const pad = bytes[i++]!;
          this.left--;
          if (pad > this.left) {
            this.badPadding = true;
            this.padLeft = this.left;
            this.left = 0;
          } else {
            this.padLeft = pad;
            this.left -= pad;
          }
          this.state = this.left > 0 ? S_DATA : S_PADDING;
          if (this.left === 0 && this.padLeft === 0) this.endData();
          break;
        }
        case S_DATA: {
          const take = Math.min(this.left, n - i);
          this.sink.data(this.streamId, bytes, i, i + take);
          this.left -= take;
          i += take;
          if (this.left === 0) {
            if (this.padLeft > 0) this.state = S_PADDING;
            else this.endData();
          }
          break;
        }
        case S_PADDING: {
          const take = Math.min(this.padLeft, n - i);
          this.padLeft -= take;
          i += take;
          if (this.padLeft === 0) this.endData();
          break;
        }
        default: {
          const take = Math.min(this.left, n - i);
          this.left -= take;
          i += take;
          if (this.left === 0) this.state = S_HEADER;
        }
      }
    }
    this.offset += n;
  }

  private beginFrame(at: number): void {
    const h = this.header;
    this.length = (h[0]! << 16) | (h[1]! << 8) | h[2]!;
    this.type = h[3]!;
    this.flags = h[4]!;
    this.streamId = ((h[5]! & 0x7f) << 24) | (h[6]! << 16) | (h[7]! << 8) | h[8]!;
    this.frameAt = at;
    this.headerFill = 0;
    this.left = this.length;
    if (this.type === FRAME_DATA) {
      this.badPadding = false;
      this.padLeft = 0;
      if (this.length === 0) {
        this.endData();
      } else if (this.flags & FLAG_PADDED) {
        this.state = S_PAD_LENGTH;
      } else {
        this.state = S_DATA;
      }
      return;
    }
    if (this.length > this.maxPayload) {
      this.sink.oversize(this.type, this.flags, this.streamId, this.length, at);
      this.state = S_SKIP;
      return;
    }
    if (this.payload.length < this.length) {
      this.payload = new Uint8Array(
        Math.min(this.maxPayload, Math.max(this.length, this.payload.length * 2)),
      );
    }
    this.payloadFill = 0;
    this.state = S_PAYLOAD;
    if (this.length === 0) this.deliver();
  }

  private deliver(): void {
    this.state = S_HEADER;
    this.sink.frame(this.type, this.flags, this.streamId, this.payload, 0, this.payloadFill, this.frameAt);
  }

  private endData(): void {
    this.state = S_HEADER;
    this.sink.dataEnd(this.streamId, this.flags, this.badPadding, this.frameAt);
  }
}
