/**
 * libhtp's path normalization under Suricata's defaults (IDS personality,
 * lower-casing off): percent and %u decoding with encoded separators decoded,
 * backslashes as slashes, repeated slashes squeezed, UTF-8 folded to one byte
 * per character by best fit, then dot segments removed. Used by http1-uri.ts.
 */

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const DOT = 0x2e;
/** libhtp's best-fit replacement byte. */
const REPLACEMENT = 0x3f;

export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** Two hex digits as a byte; libhtp's conversion is lenient but we only call it on real hex. */
export function hexByte(a: number, b: number): number {
  return (hexValue(a) << 4) | hexValue(b);
}

export function allHex(s: Uint8Array, from: number, n: number): boolean {
  if (from + n > s.length) return false;
  for (let i = from; i < from + n; i++) if (hexValue(s[i]!) < 0) return false;
  return true;
}

/** One code point to one byte: Latin-1 as is, full-width ASCII folded, anything else `?`. */
export function bestFitByte(cp: number): number {
  if (cp < 0x100) return cp;
  if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0;
  return REPLACEMENT;
}

/** `%uXXXX` value as one byte: a zero high byte gives the low byte (overlong form), else best fit. */
export function uEncodedByte(s: Uint8Array, at: number): number {
  const hi = hexByte(s[at]!, s[at + 1]!);
  const lo = hexByte(s[at + 2]!, s[at + 3]!);
  return hi === 0 ? lo : bestFitByte((hi << 8) | lo);
}

/**
 * Decodes a path as libhtp's IDS personality does (see the file comment);
 * `out` must hold `path.length` bytes. Returns the decoded length.
 */
export function decodePath(p: Uint8Array, out: Uint8Array): number {
  let w = 0;
  let i = 0;
  const n = p.length;
  while (i < n) {
    let b = p[i]!;
    let insert = true;
    if (b === PERCENT) {
      const next = p[i + 1];
      if ((next === 0x75 || next === 0x55) && allHex(p, i + 2, 4)) {
        b = uEncodedByte(p, i + 2);
        i += 6;
      } else if (next !== 0x75 && next !== 0x55 && allHex(p, i + 1, 2)) {
        b = hexByte(p[i + 1]!, p[i + 2]!);
        i += 3;
      } else {
        i += 1; // invalid or short: the percent stays, what follows is read as ordinary bytes
      }
    } else {
      i += 1;
    }
    if (b === BACKSLASH) b = SLASH;
    if (b === SLASH && w > 0 && out[w - 1] === SLASH) insert = false;
    if (insert) out[w++] = b;
  }
  return w;
}

/** Lead byte → continuation bytes still expected; -1 for a byte that cannot start a character. */
function utf8Needs(b: number): number {
  if (b < 0x80) return 0;
  if (b < 0xc0) return -1;
  if (b < 0xe0) return 1; // C0/C1 overlong leads are accepted, as libhtp does
  if (b < 0xf0) return 2;
  if (b < 0xf5) return 3;
  return -1;
}

/** Valid continuation for position `k` (1-based) after `lead`: surrogates and > U+10FFFF are refused. */
function utf8ContinuationOk(lead: number, k: number, c: number): boolean {
  if (c < 0x80 || c > 0xbf) return false;
  if (k === 1 && lead === 0xed) return c <= 0x9f;
  if (k === 1 && lead === 0xf4) return c <= 0x8f;
  return true;
}

/**
 * UTF-8 to one byte per character (libhtp's best-fit pass). Invalid bytes
 * become `?`; a broken sequence gives one `?` and its breaking byte is read
 * again as a new start; a sequence cut by the end gives one `?` per byte
 * after its first.
 */
function foldUtf8(s: Uint8Array, n: number): number {
  let w = 0;
  let i = 0;
  while (i < n) {
    const lead = s[i]!;
    const need = utf8Needs(lead);
    if (need === 0) {
      s[w++] = lead;
      i++;
      continue;
    }
    if (need < 0) {
      s[w++] = REPLACEMENT;
      i++;
      continue;
    }
    let cp = lead & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let k = 1;
    while (k <= need && i + k < n && utf8ContinuationOk(lead, k, s[i + k]!)) {
      cp = (cp << 6) | (s[i + k]! & 0x3f);
      k++;
    }
    if (k > need) {
      s[w++] = bestFitByte(cp);
      i += need + 1;
    } else if (i + k >= n) {
      for (let r = 1; r < k; r++) s[w++] = REPLACEMENT; // cut short by the end of the path
      i = n;
    } else {
      s[w++] = REPLACEMENT;
      i += k; // the offending byte starts over
    }
  }
  return w;
}

/** Drops the last written segment and the `/` before it. */
function popSegment(s: Uint8Array, w: number): number {
  while (w > 0 && s[w - 1] !== SLASH) w--;
  return w > 0 ? w - 1 : 0;
}

/**
 * Removes `.` and `..` segments in place over `s[0..n)`, as libhtp does:
 * leading `./` and `../` vanish, a lone `.` or `..` becomes empty, `/./`
 * and `/../` collapse (a trailing one leaves no slash behind).
 */
export function removeDotSegments(s: Uint8Array, n: number): number {
  let i = 0;
  let w = 0;
  // Leading relative prefixes.
  for (;;) {
    if (s[i] === DOT && s[i + 1] === SLASH && i + 1 < n) i += 2;
    else if (s[i] === DOT && s[i + 1] === DOT && s[i + 2] === SLASH && i + 2 < n) i += 3;
    else break;
  }
  const rest = n - i;
  if ((rest === 1 && s[i] === DOT) || (rest === 2 && s[i] === DOT && s[i + 1] === DOT)) return 0;
  let pending = false; // a `/` read but not yet written
  let slashAtEnd = false; // whether that `/` is written if the path ends here
  while (i < n) {
    const c = s[i]!;
    if (!pending) {
      if (c === SLASH) {
        pending = true;
        slashAtEnd = true;
      } else s[w++] = c;
      i++;
      continue;
    }
    if (c === DOT) {
      const d1 = i + 1 < n ? s[i + 1]! : -1;
      if (d1 === SLASH) {
        i += 2; // `/./`
        slashAtEnd = false;
        continue;
      }
      if (d1 === -1) return w; // ends with `/.`
      if (d1 === DOT) {
        const d2 = i + 2 < n ? s[i + 2]! : -1;
        if (d2 === SLASH) {
          w = popSegment(s, w);
          i += 3;
          slashAtEnd = false;
          continue;
        }
        if (d2 === -1) return popSegment(s, w); // ends with `/..`
        s[w++] = SLASH;
        s[w++] = DOT;
        s[w++] = DOT;
        s[w++] = d2;
        i += 3;
        pending = false;
        continue;
      }
      s[w++] = SLASH;
      s[w++] = DOT;
      s[w++] = d1;
      i += 2;
      pending = false;
      continue;
    }
    s[w++] = SLASH;
    s[w++] = c;
    i++;
    pending = false;
  }
  if (pending && slashAtEnd) s[w++] = SLASH;
  return w;
}

/**
 * libhtp's normalized path: decode, fold UTF-8, remove dot segments.
 *
 * @example
 * normalizePath(bytes('/a/b/../%63/./d')) // bytes('/a/c/d')
 */
export function normalizePath(path: Uint8Array): Uint8Array {
  // No pass writes more bytes than it has read, so one buffer serves all three.
  const buf = new Uint8Array(path.length);
  let n = decodePath(path, buf);
  n = foldUtf8(buf, n);
  n = removeDotSegments(buf, n);
  return buf.slice(0, n);
}
