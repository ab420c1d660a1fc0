/**
 * One direction of an HTTP/2 connection: its framing, its HPACK decoder and
 * the header block waiting for CONTINUATION frames (bounded).
 */
import { FrameReader, type FrameSink } from './frames.js';
import type { HpackDecoder } from './hpack.js';

/** What a Side reports its frames to (the connection). */
export interface SideEvents {
  frame(
    side: Side,
    type: number,
    flags: number,
    id: number,
    buf: Uint8Array,
    s: number,
    e: number,
    at: number,
  ): void;
  oversize(side: Side, type: number, flags: number, id: number, length: number, at: number): void;
  data(side: Side, id: number, buf: Uint8Array, s: number, e: number): void;
  dataEnd(side: Side, id: number, flags: number, badPadding: boolean, at: number): void;
}

/** One direction: its framing, its HPACK decoder and any header block waiting for CONTINUATION. */
export class Side implements FrameSink {
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
    private readonly conn: SideEvents,
    readonly toServer: boolean,
    private readonly maxHeaderBlock: number,
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

  /** Opens a header block that CONTINUATION frames will finish. */
  startBlock(type: number, id: number, promised: number, endStream: boolean): void {
    this.pending = true;
    this.pendingType = type;
    this.pendingStream = id;
    this.pendingPromised = promised;
    this.pendingEndStream = endStream;
    this.pendingLost = false;
    this.blockFill = 0;
  }

  /** Adds a fragment; past the bound the block is marked lost instead. */
  appendBlock(buf: Uint8Array, s: number, e: number): void {
    if (this.pendingLost) return;
    const need = this.blockFill + (e - s);
    if (need > this.maxHeaderBlock) {
      this.pendingLost = true;
      return;
    }
    if (this.block.length < need) {
      const grown = new Uint8Array(Math.min(this.maxHeaderBlock, Math.max(need, this.block.length * 2)));
      grown.set(this.block.subarray(0, this.blockFill));
      this.block = grown;
    }
    this.block.set(buf.subarray(s, e), this.blockFill);
    this.blockFill = need;
  }
}
