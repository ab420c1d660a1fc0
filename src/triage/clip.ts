/**
 * Bounding text that people read (reasons, conclusions, quoted banners): a
 * string over its bound is cut where a word ends, never inside a word and
 * never between the two halves of a surrogate pair, and the cut is marked.
 * A cut mid-word ("… version 1576 ci") reads as a different word.
 */

/** What marks a cut, unless the caller needs another mark (plain ASCII for snippets). */
export const ELLIPSIS = '…';

/** Letters, digits, combining marks and `_`: the characters a cut must not fall between. */
const WORD = /^[\p{L}\p{N}\p{M}_]$/u;

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The code point that ends just before index `i` (a lone surrogate stands for itself). */
function before(s: string, i: number): string {
  if (i >= 2 && isLow(s.charCodeAt(i - 1)) && isHigh(s.charCodeAt(i - 2))) return s.slice(i - 2, i);
  return s.charAt(i - 1);
}

/** The code point that starts at index `i`. */
function at(s: string, i: number): string {
  if (i + 1 < s.length && isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) return s.slice(i, i + 2);
  return s.charAt(i);
}

/** Cutting at `i` keeps surrogate pairs whole. */
export function splitsNoPair(s: string, i: number): boolean {
  return !(i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i)));
}

/**
 * Whether `s` may be cut at index `i` (UTF-16 units): the ends, or a place
 * with a non-word character on at least one side that splits no surrogate pair.
 *
 * @example isWordBoundary('GET /x', 3) // true; isWordBoundary('GET', 2) // false
 */
export function isWordBoundary(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return true;
  if (!splitsNoPair(s, i)) return false;
  return !(WORD.test(before(s, i)) && WORD.test(at(s, i)));
}

/**
 * `text` whole when it has at most `max` UTF-16 units; otherwise its longest
 * start that ends on a word boundary (preferring the last space when that
 * keeps two thirds of the bound), trailing spaces dropped, plus `mark`. A
 * single word longer than the whole bound has no boundary to cut on: it is cut
 * inside, on a code point. The result has at most `max + mark.length` units.
 *
 * @example
 * clip('GET /index.php?option=com_jce&task=plugin', 30) // 'GET /index.php?option=com_jce&…'
 * clip('short', 30)                                       // 'short'
 */
export function clip(text: string, max: number, mark = ELLIPSIS): string {
  if (text.length <= max) return text;
  const bound = Number.isFinite(max) ? Math.max(0, Math.floor(max)) : 0;
  let space = -1;
  let word = -1;
  for (let i = bound; i > 0; i--) {
    if (word < 0 && isWordBoundary(text, i)) word = i;
    if (/\s/.test(text.charAt(i))) {
      space = i;
      break;
    }
  }
  let cut = space >= (bound * 2) / 3 ? space : word;
  if (cut <= 0) {
    // No boundary at all within the bound: one over-long word (a hash, a run of A's).
    cut = splitsNoPair(text, bound) ? bound : bound - 1;
  }
  return `${text.slice(0, cut).trimEnd()}${mark}`;
}
