/**
 * Web servers escape quotes and odd bytes in logged strings (nginx `\x22`,
 * Apache `\"` and `\xNN`). Decoding gives back the data the client sent, as
 * text; it is stored, never evaluated.
 */

const decoder = new TextDecoder('utf-8', { fatal: false });
// Reused for the bytes of a decoded string; strings past a MiB get their own.
let scratch = new Uint8Array(4096);
const scratchLimit = 1 << 20;

/**
 * Decodes `\xNN`, `\"`, `\\` and `\n`/`\t`/`\r` escapes; bytes are read as UTF-8 with replacement.
 *
 * @example decodeLogEscapes('a\\x22b\\"c') // 'a"b"c'
 */
export function decodeLogEscapes(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  if (s.indexOf('\\x') < 0) return s.replace(/\\(["\\nrt])/g, simpleEscape);
  const len = s.length;
  // Every code unit gives at most three bytes (a surrogate pair four for two units).
  let out = scratch;
  if (out.length < len * 3) {
    out = new Uint8Array(len * 3);
    if (out.length <= scratchLimit) scratch = out;
  }
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < len) {
      const next = s.charCodeAt(i + 1);
      if (next === 120 && i + 3 < len) {
        const hi = hexValue(s.charCodeAt(i + 2));
        const lo = hexValue(s.charCodeAt(i + 3));
        if (hi >= 0 && lo >= 0) {
          out[n++] = hi * 16 + lo;
          i += 3;
          continue;
        }
      }
      if (next === 34 || next === 92) {
        out[n++] = next;
        i++;
        continue;
      }
    }
    if (c < 0x80) out[n++] = c;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // Non-ASCII text in the line: a high surrogate is taken with the unit after it, whatever that is.
      const d = i + 1 < len ? s.charCodeAt(i + 1) : -1;
      if (d >= 0xdc00 && d <= 0xdfff) n = putCodePoint(out, n, 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
      else {
        n = putCodePoint(out, n, 0xfffd);
        if (d >= 0) n = putCodePoint(out, n, d >= 0xd800 && d <= 0xdfff ? 0xfffd : d);
      }
      i++;
    } else n = putCodePoint(out, n, c >= 0xdc00 && c <= 0xdfff ? 0xfffd : c);
  }
  return decoder.decode(out.subarray(0, n));
}

/** Writes the UTF-8 bytes of a code point (no surrogates) at `n`; returns the new end. */
function putCodePoint(out: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) out[n++] = cp;
  else if (cp < 0x800) {
    out[n++] = 0xc0 | (cp >> 6);
    out[n++] = 0x80 | (cp & 63);
  } else if (cp < 0x10000) {
    out[n++] = 0xe0 | (cp >> 12);
    out[n++] = 0x80 | ((cp >> 6) & 63);
    out[n++] = 0x80 | (cp & 63);
  } else {
    out[n++] = 0xf0 | (cp >> 18);
    out[n++] = 0x80 | ((cp >> 12) & 63);
    out[n++] = 0x80 | ((cp >> 6) & 63);
    out[n++] = 0x80 | (cp & 63);
  }
  return n;
}

function simpleEscape(_m: string, ch: string): string {
  if (ch === 'n') return '\n';
  if (ch === 'r') return '\r';
  if (ch === 't') return '\t';
  return ch;
}

/** 0-15 for a hex digit's code, else -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
