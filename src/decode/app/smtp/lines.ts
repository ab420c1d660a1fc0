/**
 * Bounded line splitting for text protocols fed in pieces cut anywhere.
 * A line that arrives whole is handed over as a view of the input (no copy);
 * a line cut across pieces is collected in one fixed buffer; a line longer
 * than the buffer is handed over in fragments (`complete` false) so memory
 * stays bounded whatever the peer sends.
 */

export interface LineHandler {
  /**
   * Line bytes [start, end) of `b` without its end; `eol` is 2 for CRLF, 1
   * for LF, 0 for a fragment (`complete` false) or a last line without end.
   * `first`: this piece starts the line. `b` is valid only during the call.
   */
  line(b: Uint8Array, start: number, end: number, eol: number, first: boolean): void;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly buf: Uint8Array;
  private len = 0;
  /** Part of the current line was already handed over as a fragment. */
  private continuing = false;
  /** Fragments handed over because a line outgrew the buffer. */
  longLines = 0;

  constructor(maxLine: number) {
    this.buf = new Uint8Array(Math.max(2, maxLine));
  }

  /**
   * Consumes bytes from `i` up to and including the next LF (one line), or
   * all of [i, end) when there is none. Returns the index after what it took.
   *
   * @example
   * for (let i = 0; i < chunk.length; ) i = splitter.next(chunk, i, chunk.length, handler);
   */
  next(b: Uint8Array, i: number, end: number, h: LineHandler): number {
    let lf = b.indexOf(LF, i);
    if (lf >= end) lf = -1;
    if (lf < 0) {
      this.append(b, i, end, h);
      return end;
    }
    if (this.len === 0) {
      const crlf = lf > i && b[lf - 1] === CR;
      const first = !this.continuing;
      this.continuing = false;
      h.line(b, i, crlf ? lf - 1 : lf, crlf ? 2 : 1, first);
      return lf + 1;
    }
    this.append(b, i, lf, h);
    const crlf = this.len > 0 && this.buf[this.len - 1] === CR;
    const first = !this.continuing;
    const n = this.len;
    this.len = 0;
    this.continuing = false;
    h.line(this.buf, 0, crlf ? n - 1 : n, crlf ? 2 : 1, first);
    return lf + 1;
  }

  /** End of input: a pending partial line is handed over as the last line. */
  flush(h: LineHandler): void {
    if (this.len === 0 && !this.continuing) return;
    const n = this.len;
    const first = !this.continuing;
    this.len = 0;
    this.continuing = false;
    h.line(this.buf, 0, n, 0, first);
  }

  /** Forgets a partial line (e.g. when the protocol switches to raw bytes). */
  reset(): void {
    this.len = 0;
    this.continuing = false;
  }

  private append(b: Uint8Array, i: number, end: number, h: LineHandler): void {
    const buf = this.buf;
    while (i < end) {
      if (this.len === buf.length) {
        // Full: hand over all but a trailing CR (it may pair with the LF to come).
        const keepCr = buf[this.len - 1] === CR ? 1 : 0;
        const first = !this.continuing;
        this.continuing = true;
        this.longLines++;
        h.line(buf, 0, this.len - keepCr, 0, first);
        if (keepCr) buf[0] = CR;
        this.len = keepCr;
      }
      const take = Math.min(end - i, buf.length - this.len);
      buf.set(b.subarray(i, i + take), this.len);
      this.len += take;
      i += take;
    }
  }
}
