/**
 * One mail message (RFC 5322 + MIME, RFC 2045/2046) parsed as it streams:
 * headers of each entity, nested multipart boundaries, message/rfc822
 * parts, and the bodies of parts that carry a file name, decoded from
 * base64 or quoted-printable into a FileTx.
 *
 * What counts as a file follows Suricata: a part whose Content-Disposition
 * has `filename` or whose Content-Type has `name`. Text and HTML body parts
 * without a name are not files (Suricata's file_data does not see them).
 *
 * A boundary line must be `--boundary`, optionally followed by `--` (the
 * close) or blanks, as RFC 2046 says; the line end before a boundary belongs
 * to the boundary, not to the part. Bounded: one line buffer, header values
 * kept to MAX_HEADER bytes, MAX_DEPTH nested multiparts, files to maxFileBytes.
 */
import type { FileTx } from '../../../schema/app-tx.js';
import { Base64Decoder, type ByteSink, QpDecoder } from './decoders.js';
import { type LineHandler, LineSplitter } from './lines.js';
import { firstToken, mediaType, param } from './mime-params.js';

const MAX_LINE = 8192;
const MAX_HEADER = 4096;
const MAX_DEPTH = 16;

const ST_HEADERS = 0;
const ST_BODY = 1;
/** Preamble or epilogue of a multipart: only boundaries matter. */
const ST_SKIP = 2;

const H_OTHER = 0;
const H_TYPE = 1;
const H_DISPOSITION = 2;
const H_ENCODING = 3;

const ENC_PLAIN = 0;
const ENC_BASE64 = 1;
const ENC_QP = 2;

const EOL_CRLF = Uint8Array.of(0x0d, 0x0a);
const EOL_LF = Uint8Array.of(0x0a);
const EMPTY = new Uint8Array(0);
const latin1 = new TextDecoder('latin1');

export interface MimeOptions {
  onFile(f: FileTx, what: 'data' | 'done'): void;
  maxFileBytes: number;
  /** The connection-wide id for the next file. */
  nextId(): number;
  problem(code: string, message: string): void;
}

/** A file being filled: its bytes appended up to the bound. */
class MailFile {
  readonly tx: FileTx;
  private buf = EMPTY;
  private len = 0;
  grew = false;
  constructor(
    id: number,
    name: Uint8Array,
    private readonly max: number,
  ) {
    this.tx = { proto: 'smtp', id, name, toServer: true, data: EMPTY, truncated: false, done: false };
  }
  append(b: Uint8Array, start: number, end: number): void {
    let n = end - start;
    if (n <= 0) return;
    if (this.len + n > this.max) {
      this.tx.truncated = true;
      n = this.max - this.len;
      if (n <= 0) return;
    }
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.min(this.max, Math.max(this.buf.length * 2, this.len + n, 4096)));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(b.subarray(start, start + n), this.len);
    this.len += n;
    this.tx.data = this.buf.subarray(0, this.len);
    this.grew = true;
  }
}

export class MimeParser implements LineHandler, ByteSink {
  private readonly lines = new LineSplitter(MAX_LINE);
  private state = ST_HEADERS;
  /** Delimiters of the open multiparts, outermost first, each `--` + boundary. */
  private readonly boundaries: Uint8Array[] = [];
  private header = H_OTHER;
  private contentType = '';
  private disposition = '';
  private encodingName = '';
  private file: MailFile | null = null;
  private encoding = ENC_PLAIN;
  private b64: Base64Decoder | null = null;
  private qp: QpDecoder | null = null;
  /** The end of the previous body line, held until we know no boundary follows. */
  private heldEol: Uint8Array | null = null;
  private ended = false;

  constructor(private readonly opts: MimeOptions) {}

  /**
   * Message bytes after SMTP unstuffing, in any pieces.
   *
   * @example
   * const m = new MimeParser({ onFile, maxFileBytes: 1 << 20, nextId: () => n++, problem });
   * m.write(ascii('Content-Type: text/plain; name="a.txt"\r\n\r\nhello\r\n'));
   * m.end(); // onFile(file 'a.txt' with "hello", 'done')
   */
  write(b: Uint8Array, start = 0, end = b.length): void {
    if (this.ended) return;
    for (let i = start; i < end; ) i = this.lines.next(b, i, end, this);
    this.reportData();
  }

  /** End of the message: the open part, if a file, is done. */
  end(): void {
    if (this.ended) return;
    this.lines.flush(this);
    this.closeFile();
    this.ended = true;
  }

  /** ByteSink: decoded body bytes of the current file. */
  push(bytes: Uint8Array, start: number, end: number): void {
    this.file?.append(bytes, start, end);
  }

  line(b: Uint8Array, start: number, end: number, eol: number, first: boolean): void {
    if (
      first &&
      end - start >= 2 &&
      b[start] === 0x2d &&
      b[start + 1] === 0x2d &&
      this.boundaries.length > 0
    ) {
      if (this.boundary(b, start, end)) return;
    }
    if (this.state === ST_HEADERS) this.headerLine(b, start, end, eol, first);
    else if (this.state === ST_BODY && this.file !== null) this.bodyLine(b, start, end, eol);
  }

  private headerLine(b: Uint8Array, start: number, end: number, eol: number, first: boolean): void {
    if (first && start === end && eol > 0) {
      this.endHeaders();
      return;
    }
    if (first && b[start] !== 0x20 && b[start] !== 0x09) {
      const colon = b.indexOf(0x3a, start);
      if (colon < 0 || colon >= end) {
        this.header = H_OTHER;
        return;
      }
      this.header = headerKind(b, start, colon);
      start = colon + 1;
    }
    if (this.header === H_OTHER) return;
    const add = latin1.decode(b.subarray(start, Math.min(end, start + MAX_HEADER)));
    if (this.header === H_TYPE) this.contentType = bounded(this.contentType, add);
    else if (this.header === H_DISPOSITION) this.disposition = bounded(this.disposition, add);
    else this.encodingName = bounded(this.encodingName, add);
  }

  private endHeaders(): void {
    const type = mediaType(this.contentType);
    if (type.startsWith('multipart/')) {
      const boundary = param(this.contentType, 'boundary');
      if (boundary !== null && boundary.length > 0 && this.boundaries.length < MAX_DEPTH) {
        const delim = new Uint8Array(boundary.length + 2);
        delim[0] = 0x2d;
        delim[1] = 0x2d;
        delim.set(boundary, 2);
        this.boundaries.push(delim);
        this.resetHeaders(ST_SKIP);
        return;
      }
      this.opts.problem(
        boundary === null ? 'smtp.mime-no-boundary' : 'smtp.mime-too-deep',
        boundary === null
          ? 'multipart entity without a boundary parameter'
          : `multipart nested deeper than ${MAX_DEPTH}`,
      );
    }
    const enc = firstToken(this.encodingName);
    if (type === 'message/rfc822' && enc !== 'base64' && enc !== 'quoted-printable') {
      this.resetHeaders(ST_HEADERS); // the enclosed message's own headers follow
      return;
    }
    const name = param(this.disposition, 'filename') ?? param(this.contentType, 'name');
    if (name !== null) {
      this.file = new MailFile(this.opts.nextId(), name, this.opts.maxFileBytes);
      this.encoding = enc === 'base64' ? ENC_BASE64 : enc === 'quoted-printable' ? ENC_QP : ENC_PLAIN;
      if (this.encoding === ENC_BASE64) this.b64 = new Base64Decoder();
      if (this.encoding === ENC_QP) this.qp = new QpDecoder();
    }
    this.resetHeaders(ST_BODY);
  }

  private bodyLine(b: Uint8Array, start: number, end: number, eol: number): void {
    const held = this.heldEol;
    if (held !== null) {
      this.heldEol = null;
      if (this.encoding === ENC_QP) this.qp!.endLine(this, held);
      else if (this.encoding === ENC_PLAIN) this.push(held, 0, held.length);
    }
    if (this.encoding === ENC_BASE64) this.b64!.write(b, this, start, end);
    else if (this.encoding === ENC_QP) this.qp!.write(b, this, start, end);
    else this.push(b, start, end);
    if (eol > 0) this.heldEol = eol === 2 ? EOL_CRLF : EOL_LF;
  }

  /** Handles a line starting with `--` if it is a delimiter of an open multipart (innermost first). */
  private boundary(b: Uint8Array, start: number, end: number): boolean {
    for (let k = this.boundaries.length - 1; k >= 0; k--) {
      const d = this.boundaries[k]!;
      if (end - start < d.length) continue;
      let same = true;
      for (let j = 2; j < d.length; j++) {
        if (b[start + j] !== d[j]) {
          same = false;
          break;
        }
      }
      if (!same) continue;
      let at = start + d.length;
      const close = end - at >= 2 && b[at] === 0x2d && b[at + 1] === 0x2d;
      if (close) at += 2;
      while (at < end && (b[at] === 0x20 || b[at] === 0x09)) at++;
      if (at < end) continue; // `--boundaryX`: another string, not this delimiter
      this.closeFile();
      this.boundaries.length = close ? k : k + 1;
      this.resetHeaders(close ? ST_SKIP : ST_HEADERS);
      return true;
    }
    return false;
  }

  private resetHeaders(state: number): void {
    this.state = state;
    this.header = H_OTHER;
    this.contentType = '';
    this.disposition = '';
    this.encodingName = '';
    this.heldEol = null;
  }

  private reportData(): void {
    const f = this.file;
    if (f?.grew) {
      f.grew = false;
      this.opts.onFile(f.tx, 'data');
    }
  }

  private closeFile(): void {
    const f = this.file;
    if (f === null) return;
    const qp = this.qp;
    if (qp !== null) qp.endLine(this, EMPTY); // a dangling "=X" is kept literally
    const invalid = (this.b64?.invalid ?? 0) + (qp?.invalid ?? 0);
    if (invalid > 0) {
      this.opts.problem(
        this.encoding === ENC_BASE64 ? 'smtp.invalid-base64' : 'smtp.invalid-quoted-printable',
        `${invalid} malformed ${this.encoding === ENC_BASE64 ? 'base64' : 'quoted-printable'} bytes in attachment ${latin1.decode(f.tx.name.subarray(0, 100))}`,
      );
    }
    this.reportData();
    this.file = null;
    this.b64 = null;
    this.qp = null;
    this.heldEol = null;
    f.tx.done = true;
    this.opts.onFile(f.tx, 'done');
  }
}

const NAMES: [string, number][] = [
  ['content-type', H_TYPE],
  ['content-disposition', H_DISPOSITION],
  ['content-transfer-encoding', H_ENCODING],
];

function headerKind(b: Uint8Array, start: number, colon: number): number {
  let end = colon;
  while (end > start && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
  for (const [name, kind] of NAMES) {
    if (end - start !== name.length) continue;
    let same = true;
    for (let i = 0; i < name.length; i++) {
      if ((b[start + i]! | 0x20) !== name.charCodeAt(i)) {
        same = false;
        break;
      }
    }
    if (same) return kind;
  }
  return H_OTHER;
}

function bounded(have: string, add: string): string {
  if (have.length >= MAX_HEADER) return have;
  const s = have + add;
  return s.length > MAX_HEADER ? s.slice(0, MAX_HEADER) : s;
}
