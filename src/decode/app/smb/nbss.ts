/**
 * NetBIOS session service framing (RFC 1002 §4.3, and the direct-TCP form of
 * MS-SMB2 §2.1 on port 445) for one direction of a connection: turns stream
 * chunks cut anywhere into whole SMB messages.
 *
 * A message that arrives whole inside one chunk is handed over without a
 * copy; others are collected in one buffer grown on demand up to
 * `maxMessageBytes`, past which message bytes are counted and dropped (the
 * message is still delivered, marked clipped). After bad framing or a capture
 * gap the framer scans for the next `00 xx xx xx (ff|fe|fd|fc) S M B`.
 */

const SESSION_MESSAGE = 0x00;
const MAGIC_S = 0x53;
const MAGIC_M = 0x4d;
const MAGIC_B = 0x42;

const ST_HEADER = 0;
const ST_BODY = 1;
const ST_SKIP = 2;
const ST_RESYNC = 3;

/** Shortest real SMB message: the SMB2 header is 64 bytes, SMB1 32 + 3. */
const MIN_MESSAGE = 35;

export interface NbssSink {
  /** One complete message; `msg` is valid only during the call. `clipped`: bytes past the bound were dropped. */
  message(msg: Uint8Array, clipped: boolean): void;
  /** Framing went wrong at stream byte `at`; the framer now looks for the next message. */
  lostSync(at: number, why: string): void;
}

export interface NbssCounters {
  resyncs: number;
  /** Messages lost to capture gaps or bad framing. */
  lostMessages: number;
  clippedBytes: number;
  skippedBytes: number;
}

/** True for a 4-byte SMB protocol id: 0xFF/0xFE/0xFD/0xFC then "SMB". */
export function isSmbMagic(b: Uint8Array, at: number): boolean {
  const m = b[at];
  return (
    (m === 0xff || m === 0xfe || m === 0xfd || m === 0xfc) &&
    b[at + 1] === MAGIC_S &&
    b[at + 2] === MAGIC_M &&
    b[at + 3] === MAGIC_B
  );
}

export class NbssFramer {
  private state = ST_HEADER;
  private readonly hdr = new Uint8Array(8);
  private hdrLen = 0;
  /** Bytes of the current message (or skipped record) still to come. */
  private need = 0;
  private msgLen = 0;
  private buf = new Uint8Array(0);
  private bufLen = 0;
  /** Stream offset of the next byte pushed. */
  private at = 0;

  constructor(
    private readonly sink: NbssSink,
    private readonly counters: NbssCounters,
    private readonly maxMessageBytes: number,
  ) {}

  /**
   * Feeds the next in-order bytes of this direction.
   *
   * @example
   * const framer = new NbssFramer({ message: (m) => parse(m), lostSync: () => {} }, counters, 1 << 20);
   * framer.push(chunk); // any cut: half a header, three messages, ...
   */
  push(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    while (i < n) {
      switch (this.state) {
        case ST_HEADER:
          i = this.header(bytes, i);
          break;
        case ST_BODY:
          i = this.body(bytes, i);
          break;
        case ST_SKIP: {
          const take = Math.min(this.need, n - i);
          this.need -= take;
          i += take;
          this.at += take;
          this.counters.skippedBytes += take;
          if (this.need === 0) this.state = ST_HEADER;
          break;
        }
        default:
          i = this.resync(bytes, i);
      }
    }
  }

  /** `len` bytes of this direction were never captured. */
  gap(len: number): void {
    if (len <= 0) return;
    this.at += len;
    if ((this.state === ST_BODY || this.state === ST_SKIP) && len < this.need) {
      // The hole is inside this record: framing survives, the message does not.
      if (this.state === ST_BODY) this.counters.lostMessages++;
      this.need -= len;
      this.state = ST_SKIP;
      return;
    }
    if ((this.state === ST_BODY || this.state === ST_SKIP) && len === this.need) {
      if (this.state === ST_BODY) this.counters.lostMessages++;
      this.need = 0;
      this.state = ST_HEADER;
      return;
    }
    if (this.state === ST_BODY) this.counters.lostMessages++;
    this.startResync();
  }

  private startResync(): void {
    this.state = ST_RESYNC;
    this.hdrLen = 0;
    this.bufLen = 0;
    this.need = 0;
    this.counters.resyncs++;
  }

  private header(bytes: Uint8Array, i: number): number {
    const hdr = this.hdr;
    while (this.hdrLen < 4 && i < bytes.length) {
      hdr[this.hdrLen++] = bytes[i++]!;
      this.at++;
    }
    if (this.hdrLen < 4) return i;
    this.hdrLen = 0;
    const type = hdr[0]!;
    if (type === SESSION_MESSAGE) {
      // Direct TCP uses a 24-bit length; on port 139 the top 7 of those bits are zero.
      const len = (hdr[1]! << 16) | (hdr[2]! << 8) | hdr[3]!;
      if (len === 0) return i;
      this.beginBody(len);
      return i;
    }
    if (type >= 0x81 && type <= 0x85) {
      // Session request/response, retarget, keep-alive: nothing for us inside.
      this.need = ((hdr[1]! & 1) << 16) | (hdr[2]! << 8) | hdr[3]!;
      if (this.need > 0) this.state = ST_SKIP;
      return i;
    }
    this.fail(this.at - 4, `unknown NetBIOS session packet type 0x${type.toString(16)}`);
    return i;
  }

  private beginBody(len: number): void {
    this.msgLen = len;
    this.need = len;
    this.bufLen = 0;
    this.state = ST_BODY;
  }

  private body(bytes: Uint8Array, i: number): number {
    const n = bytes.length;
    if (this.bufLen < 4) {
      // The message's first 4 bytes must be an SMB protocol id: check before taking the rest.
      if (this.bufLen === 0 && n - i >= 4) {
        if (this.msgLen < MIN_MESSAGE || !isSmbMagic(bytes, i)) {
          this.notSmb();
          return i;
        }
        if (n - i >= this.msgLen) {
          // Whole message inside this chunk: no copy.
          const len = this.msgLen;
          this.need = 0;
          this.at += len;
          this.state = ST_HEADER;
          this.sink.message(bytes.subarray(i, i + len), false);
          return i + len;
        }
      } else {
        const take = Math.min(4 - this.bufLen, n - i);
        this.reserve(4);
        this.buf.set(bytes.subarray(i, i + take), this.bufLen);
        this.bufLen += take;
        this.need -= take;
        this.at += take;
        i += take;
        if (this.bufLen < 4) return i;
        if (this.msgLen < MIN_MESSAGE || !isSmbMagic(this.buf, 0)) {
          const held = this.buf.slice(0, 4);
          this.at -= 4;
          this.notSmb();
          this.resync(held, 0); // those 4 bytes may begin the next real header
          return i;
        }
      }
    }
    const take = Math.min(this.need, n - i);
    const keep = Math.min(take, Math.max(Math.min(this.maxMessageBytes, this.msgLen) - this.bufLen, 0));
    if (keep > 0) {
      this.reserve(this.bufLen + keep);
      this.buf.set(bytes.subarray(i, i + keep), this.bufLen);
      this.bufLen += keep;
    }
    this.need -= take;
    this.at += take;
    if (this.need === 0) {
      this.state = ST_HEADER;
      const clipped = this.bufLen < this.msgLen;
      if (clipped) this.counters.clippedBytes += this.msgLen - this.bufLen;
      this.sink.message(this.buf.subarray(0, this.bufLen), clipped);
      this.bufLen = 0;
    }
    return i + take;
  }

  /** The record after a session-message header is not SMB: the framer is out of step. */
  private notSmb(): void {
    this.fail(this.at - 4, 'NetBIOS session message does not hold an SMB header');
  }

  private fail(at: number, why: string): void {
    this.counters.lostMessages++;
    this.sink.lostSync(at, why);
    this.startResync();
  }

  /**
   * Scans byte by byte for a session-message header followed by an SMB
   * protocol id; the last 7 bytes seen are kept across chunks.
   */
  private resync(bytes: Uint8Array, i: number): number {
    const w = this.hdr;
    const n = bytes.length;
    while (i < n) {
      w[this.hdrLen++] = bytes[i++]!;
      this.at++;
      if (this.hdrLen < 8) continue;
      const len = (w[1]! << 16) | (w[2]! << 8) | w[3]!;
      if (w[0] === SESSION_MESSAGE && len >= MIN_MESSAGE && isSmbMagic(w, 4)) {
        this.hdrLen = 0;
        this.beginBody(len);
        this.reserve(Math.min(len, this.maxMessageBytes, 4096));
        this.buf.set(w.subarray(4, 8), 0);
        this.bufLen = 4;
        this.need = len - 4;
        return i;
      }
      w.copyWithin(0, 1, 8);
      this.hdrLen = 7;
      this.counters.skippedBytes++;
    }
    return i;
  }

  private reserve(size: number): void {
    if (size <= this.buf.length) return;
    let cap = Math.max(this.buf.length * 2, 4096);
    if (cap < size) cap = size;
    if (cap > this.maxMessageBytes) cap = Math.max(this.maxMessageBytes, size);
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.bufLen));
    this.buf = next;
  }
}
