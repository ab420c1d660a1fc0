/**
 * Message bodies for the HTTP/1 transaction parser: a bounded byte
 * accumulator, and content decoding (gzip, deflate) with a bounded output.
 *
 * Decompression runs once, when the body is complete, on the bytes kept (at
 * most the body limit of compressed input). Output is capped by zlib's own
 * `maxOutputLength`, so a bomb costs at most that much memory; when the cap
 * or corrupt data stops zlib, the longest input prefix that still decodes is
 * found by bisection (a bounded number of bounded runs) and its output kept.
 */
import { constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** Growable byte buffer that never holds more than `max` bytes; the rest is counted. */
export class BoundedBytes {
  private buf: Uint8Array;
  len = 0;
  /** Bytes offered beyond `max`. */
  dropped = 0;

  constructor(
    readonly max: number,
    initial = 256,
  ) {
    this.buf = new Uint8Array(Math.min(initial, Math.max(max, 1)));
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** Appends `src[from..to)`, keeping what fits. */
  append(src: Uint8Array, from = 0, to = src.length): void {
    const n = to - from;
    if (n <= 0) return;
    const room = this.max - this.len;
    const take = Math.min(n, room);
    if (take < n) this.dropped += n - take;
    if (take <= 0) return;
    const need = this.len + take;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(Math.min(cap, this.max));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(src.subarray(from, from + take), this.len);
    this.len = need;
  }

  /** A copy of the bytes held (callers keep it after the accumulator is reused). */
  copy(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** The bytes held, without copying; valid until the next append or reset. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
    this.dropped = 0;
  }
}

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

function asciiLower(v: Uint8Array): string {
  let s = '';
  for (let i = 0; i < v.length && i < 64; i++) {
    const c = v[i]!;
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  }
  return s.trim();
}

/**
 * The coding named by a Content-Encoding value, as libhtp reads it: gzip and
 * x-gzip, deflate and x-deflate; anything else (several layers, lzma) is
 * left as it is.
 *
 * @example
 * contentCoding(bytes('x-gzip')) // 'gzip'
 */
export function contentCoding(value: Uint8Array | undefined): ContentCoding {
  if (value === undefined) return 'identity';
  const v = asciiLower(value);
  if (v === 'gzip' || v === 'x-gzip') return 'gzip';
  if (v === 'deflate' || v === 'x-deflate') return 'deflate';
  return 'identity';
}

export interface DecodedContent {
  data: Uint8Array;
  /** Output reached the limit: more would have followed. */
  truncated: boolean;
  /** zlib reported corrupt data; `data` is what decoded before it. */
  failed: boolean;
}

type Inflater = (buf: Uint8Array, opts: object) => Buffer;

function pickInflater(coding: ContentCoding, data: Uint8Array): Inflater {
  // The bytes decide over the header, as libhtp does for gzip sent as deflate and back.
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return gunzipSync;
  const zlibWrapped = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  if (zlibWrapped) return inflateSync;
  return coding === 'gzip' ? gunzipSync : inflateRawSync;
}

/** Runs zlib once; `error` when it refused (corrupt or cut input, or output past the limit). */
function attempt(
  inflate: Inflater,
  data: Uint8Array,
  max: number,
  flush: number,
): { out: Uint8Array } | { error: true; tooBig: boolean } {
  try {
    const out = inflate(data, { finishFlush: flush, maxOutputLength: max });
    return { out: new Uint8Array(out.buffer, out.byteOffset, out.length) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { error: true, tooBig: code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError };
  }
}

/**
 * Decodes a body. Never throws; output is at most `max` bytes. `complete` is
 * false when the compressed bytes were cut short (body limit, end of
 * capture): then a missing end is expected and not reported as corrupt.
 *
 * @example
 * decodeContent('gzip', gzipSync(Buffer.from('hi')), 1 << 20).data // bytes('hi')
 */
export function decodeContent(
  coding: ContentCoding,
  data: Uint8Array,
  max: number,
  complete = true,
): DecodedContent {
  if (coding === 'identity' || data.length === 0) return { data, truncated: false, failed: false };
  const inflate = pickInflater(coding, data);
  const whole = attempt(inflate, data, max, constants.Z_FINISH);
  if ('out' in whole) return { data: whole.out, truncated: false, failed: false };
  if (!whole.tooBig) {
    // Corrupt or cut: keep what decodes when zlib is not asked to see the end.
    const partial = attempt(inflate, data, max, constants.Z_SYNC_FLUSH);
    if ('out' in partial) return { data: partial.out, truncated: false, failed: complete };
  }
  // Longest prefix that decodes within the limit: prefixes only grow the output and move the error later.
  let lo = 0;
  let hi = data.length;
  let best: Uint8Array = new Uint8Array(0);
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const r = attempt(inflate, data.subarray(0, mid), max, constants.Z_SYNC_FLUSH);
    if ('out' in r) {
      lo = mid;
      best = r.out;
    } else hi = mid;
  }
  return { data: best, truncated: whole.tooBig, failed: !whole.tooBig && complete };
}
