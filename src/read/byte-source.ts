/**
 * A window over a capture's bytes: one reusable chunk buffer refilled from a
 * file descriptor with readSync, or the whole input when it is already in
 * memory. Readers parse straight out of `buf` at `pos`; memory stays bounded
 * by the chunk size, growing only for a single record that is larger than it.
 */
import { closeSync, readSync } from 'node:fs';

export const DEFAULT_CHUNK = 4 * 1024 * 1024;

export class ByteSource {
  /** Current window; `buf[pos..end)` are unread bytes. Replaced when the window grows. */
  buf: Uint8Array;
  view: DataView;
  /** buf's ArrayBuffer and byte offset: `new Uint8Array(ab, abOffset + i, n)` is a cheaper view than subarray. */
  ab: ArrayBufferLike;
  abOffset: number;
  pos = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  readonly size: number;
  /** Message of the read error that ended the input early, if any. */
  error: string | undefined;
  private fd: number;
  private eof: boolean;
  private readonly maxWindow: number;

  /**
   * @param fd an open file descriptor (owned: closed by close()), or -1 for `bytes` in memory
   * @example new ByteSource(-1, bytes, bytes.length, 0, 0) // whole input in memory
   */
  constructor(fd: number, bytes: Uint8Array | undefined, size: number, chunkSize: number, maxWindow: number) {
    this.fd = fd;
    this.size = size;
    this.maxWindow = maxWindow;
    if (fd < 0) {
      this.buf = bytes ?? new Uint8Array(0);
      this.end = this.buf.length;
      this.eof = true;
    } else {
      this.buf = new Uint8Array(Math.max(64, Math.min(chunkSize, Math.max(size, 64))));
      this.eof = false;
    }
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.ab = this.buf.buffer;
    this.abOffset = this.buf.byteOffset;
  }

  /** A view of `n` window bytes at window index `i`, valid until the next refill. */
  view8(i: number, n: number): Uint8Array {
    return new Uint8Array(this.ab, this.abOffset + i, n);
  }

  /** File offset of the read position. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Unread bytes in the window. */
  get available(): number {
    return this.end - this.pos;
  }

  /** Makes at least `n` unread bytes available at `pos`; false when the input ends first. */
  ensure(n: number): boolean {
    return this.end - this.pos >= n || this.refill(n);
  }

  /** Moves the read position forward, across window refills if needed; false past the end. */
  skip(n: number): boolean {
    while (this.end - this.pos < n) {
      n -= this.end - this.pos;
      this.base += this.end;
      this.pos = 0;
      this.end = 0;
      if (!this.refill(1)) return false;
    }
    this.pos += n;
    return true;
  }

  /** True when no unread byte remains anywhere. */
  atEnd(): boolean {
    return this.pos >= this.end && !this.refill(1);
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed: nothing to release
      }
      this.fd = -1;
    }
    this.eof = true;
  }

  private refill(n: number): boolean {
    if (this.eof || n > this.maxWindow) return false;
    const keep = this.end - this.pos;
    if (n > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.maxWindow, Math.max(n, this.buf.length * 2)));
      grown.set(this.buf.subarray(this.pos, this.end));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
      this.ab = grown.buffer;
      this.abOffset = 0;
    } else if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    while (this.end < n) {
      let got: number;
      try {
        got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      } catch (err) {
        this.error = (err as Error).message;
        got = 0;
      }
      if (got <= 0) {
        this.eof = true;
        break;
      }
      this.end += got;
    }
    return this.end - this.pos >= n;
  }
}
