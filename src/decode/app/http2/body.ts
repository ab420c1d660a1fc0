/**
 * Message bodies of HTTP/2 streams: collected up to a bound, then (responses)
 * decoded per Content-Encoding with a bounded output, so a small compressed
 * body cannot expand into unbounded memory (decompression bombs).
 */
import {
  brotliDecompressSync,
  constants,
  gunzipSync,
  inflateRawSync,
  inflateSync,
  type ZlibOptions,
} from 'node:zlib';

const EMPTY = new Uint8Array(0);

/**
 * Appends bytes up to `cap`, counting what it drops.
 *
 * @example
 * const c = new BodyCollector(1024);
 * c.append(bytes, 0, bytes.length);
 * c.bytes(); // a copy of what was kept
 */
export class BodyCollector {
  private buf: Uint8Array = EMPTY;
  length = 0;
  dropped = 0;

  constructor(private readonly cap: number) {}

  append(src: Uint8Array, start: number, end: number): void {
    const room = this.cap - this.length;
    const take = Math.min(room, end - start);
    this.dropped += end - start - take;
    if (take <= 0) return;
    if (this.buf.length < this.length + take) {
      const size = Math.min(this.cap, Math.max(this.length + take, this.buf.length * 2, 1024));
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(src.subarray(start, start + take), this.length);
    this.length += take;
  }

  /** The kept bytes, exactly sized (shares no memory with later appends). */
  bytes(): Uint8Array {
    return this.length === 0 ? EMPTY : this.buf.slice(0, this.length);
  }
}

/** Content codings we undo. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br';

/** The coding named by a Content-Encoding value; anything else (or a list of several) stays 'identity'. */
export function contentCoding(value: Uint8Array | undefined): ContentCoding {
  if (value === undefined) return 'identity';
  const v = Buffer.from(value).toString('latin1').trim().toLowerCase();
  if (v === 'gzip' || v === 'x-gzip') return 'gzip';
  if (v === 'deflate') return 'deflate';
  if (v === 'br') return 'br';
  return 'identity';
}

export interface DecodedBody {
  body: Uint8Array;
  /** Output stopped at the bound. */
  truncated: boolean;
  /** The data was not valid in its coding; `body` is then the raw bytes. */
  failed: boolean;
}

type Inflate = (input: Uint8Array, maxOutputLength: number) => Uint8Array;

// A sync flush at the end lets a cut-off stream (body truncated by our own
// bound, or by the capture) yield what it has instead of an error.
const zlibOpts = (max: number): ZlibOptions => ({
  maxOutputLength: max,
  finishFlush: constants.Z_SYNC_FLUSH,
});
const INFLATERS: Record<Exclude<ContentCoding, 'identity'>, Inflate[]> = {
  gzip: [(b, max) => gunzipSync(b, zlibOpts(max))],
  // Servers send both zlib-wrapped and raw deflate under this name; try both, as browsers do.
  deflate: [(b, max) => inflateSync(b, zlibOpts(max)), (b, max) => inflateRawSync(b, zlibOpts(max))],
  br: [
    (b, max) =>
      brotliDecompressSync(b, { maxOutputLength: max, finishFlush: constants.BROTLI_OPERATION_FLUSH }),
  ],
};

function tooLarge(e: unknown): boolean {
  return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
}

/** Largest decodable prefix under the bound, found by bisection over the input (bounded work). */
function boundedPrefix(inflate: Inflate, raw: Uint8Array, max: number): Uint8Array {
  let fits = 0;
  let best: Uint8Array = EMPTY;
  let fails = raw.length;
  for (let step = 0; step < 16 && fails - fits > 1; step++) {
    const mid = (fits + fails) >>> 1;
    try {
      best = inflate(raw.subarray(0, mid), max);
      fits = mid;
    } catch {
      fails = mid;
    }
  }
  return best;
}

/**
 * Undoes `coding` on `raw`, keeping at most `max` bytes of output.
 *
 * @example decodeBody(gzipped, 'gzip', 65536) // { body, truncated: false, failed: false }
 */
export function decodeBody(raw: Uint8Array, coding: ContentCoding, max: number): DecodedBody {
  if (coding === 'identity' || raw.length === 0) {
    return { body: raw.length > max ? raw.slice(0, max) : raw, truncated: raw.length > max, failed: false };
  }
  for (const inflate of INFLATERS[coding]) {
    try {
      const out = inflate(raw, max);
      return {
        body: new Uint8Array(out.buffer, out.byteOffset, out.length),
        truncated: false,
        failed: false,
      };
    } catch (e) {
      if (tooLarge(e)) {
        const out = boundedPrefix(inflate, raw, max);
        return {
          body: new Uint8Array(out.buffer, out.byteOffset, out.length),
          truncated: true,
          failed: false,
        };
      }
    }
  }
  return { body: raw.length > max ? raw.slice(0, max) : raw, truncated: raw.length > max, failed: true };
}
