/**
 * Streaming Content-Transfer-Encoding decoders for MIME bodies (RFC 2045
 * §6.7, §6.8). Both take input in pieces cut anywhere and write decoded bytes
 * into a caller's sink; neither allocates per call.
 */

/** Where decoded bytes go. */
export interface ByteSink {
  push(bytes: Uint8Array, start: number, end: number): void;
}

const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++)
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/**
 * Base64 across line breaks: whitespace is skipped, `=` ends a quantum, other
 * bytes outside the alphabet are skipped and counted in `invalid`.
 *
 * @example
 * const d = new Base64Decoder();
 * d.write(ascii('SGVs'), sink); d.write(ascii('bG8=\r\n'), sink); // sink gets "Hello"
 */
export class Base64Decoder {
  private acc = 0;
  private n = 0;
  /** Bytes that are neither base64 nor whitespace. */
  invalid = 0;
  private readonly out = new Uint8Array(3 * 256);

  write(b: Uint8Array, sink: ByteSink, start = 0, end = b.length): void {
    const out = this.out;
    let o = 0;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      const v = B64[c]!;
      if (v < 0) {
        if (c === 0x3d) {
          // Padding: flush what the quantum holds (2 chars → 1 byte, 3 → 2), then start afresh.
          if (this.n === 2) out[o++] = (this.acc >> 4) & 0xff;
          else if (this.n === 3) {
            out[o++] = (this.acc >> 10) & 0xff;
            out[o++] = (this.acc >> 2) & 0xff;
          }
          this.n = 0;
          this.acc = 0;
        } else if (c !== 0x0d && c !== 0x0a && c !== 0x20 && c !== 0x09) this.invalid++;
        continue;
      }
      this.acc = (this.acc << 6) | v;
      if (++this.n === 4) {
        out[o++] = (this.acc >> 16) & 0xff;
        out[o++] = (this.acc >> 8) & 0xff;
        out[o++] = this.acc & 0xff;
        this.n = 0;
        this.acc = 0;
        if (o > out.length - 3) {
          sink.push(out, 0, o);
          o = 0;
        }
      }
    }
    if (o > 0) sink.push(out, 0, o);
  }
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

/**
 * Quoted-printable, fed one line at a time (possibly in pieces): `=XX` is a
 * byte, `=` at the end of a line joins it to the next, a malformed `=` stays
 * literally (counted in `invalid`). Line ends are given to `endLine`, which
 * emits the line's own end unless the line ended with a soft break.
 *
 * @example
 * const q = new QpDecoder();
 * q.write(ascii('caf=C3=A9='), sink); q.endLine(sink, CRLF); q.write(ascii('!'), sink); // "café!"
 */
export class QpDecoder {
  /** 0: plain; 1: after '='; 2: after '=' and one hex digit. */
  private pending = 0;
  private firstHex = 0;
  invalid = 0;
  private readonly out = new Uint8Array(1024);
  private readonly lit = new Uint8Array(3);

  write(b: Uint8Array, sink: ByteSink, start = 0, end = b.length): void {
    const out = this.out;
    let o = 0;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (o > out.length - 4) {
        sink.push(out, 0, o);
        o = 0;
      }
      if (this.pending === 0) {
        if (c === 0x3d) this.pending = 1;
        else out[o++] = c;
      } else if (this.pending === 1) {
        if (HEX[c]! >= 0) {
          this.firstHex = c;
          this.pending = 2;
        } else if (c === 0x20 || c === 0x09) {
          // "=" then trailing blanks before the line end: still a soft break; drop the blanks.
        } else {
          this.invalid++;
          out[o++] = 0x3d;
          out[o++] = c;
          this.pending = 0;
        }
      } else {
        if (HEX[c]! >= 0) out[o++] = (HEX[this.firstHex]! << 4) | HEX[c]!;
        else {
          this.invalid++;
          out[o++] = 0x3d;
          out[o++] = this.firstHex;
          out[o++] = c;
        }
        this.pending = 0;
      }
    }
    if (o > 0) sink.push(out, 0, o);
  }

  /** The current line ended with `eol` (CRLF or LF, not passed to write). */
  endLine(sink: ByteSink, eol: Uint8Array): void {
    if (this.pending === 1) {
      this.pending = 0; // soft line break
      return;
    }
    if (this.pending === 2) {
      this.invalid++;
      this.lit[0] = 0x3d;
      this.lit[1] = this.firstHex;
      sink.push(this.lit, 0, 2);
      this.pending = 0;
    }
    sink.push(eol, 0, eol.length);
  }
}
