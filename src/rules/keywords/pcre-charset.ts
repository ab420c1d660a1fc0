/**
 * Sets of Latin-1 characters (0..255) as 256-bit masks. Rule patterns run
 * over latin1 strings of buffer bytes, so every PCRE class, escape and
 * literal becomes one of these and is written out explicitly; that is how
 * PCRE's byte-mode meaning (C-locale tables: only ASCII letters have a case,
 * `\s` without U+00A0) survives in a JavaScript RegExp whose own `\s`, `.`
 * and case folding differ.
 */

export type CharSet = Uint32Array;

/** @example const s = emptySet(); addRange(s, 0x30, 0x39); has(s, 0x35) // true */
export function emptySet(): CharSet {
  return new Uint32Array(8);
}

export function fullSet(): CharSet {
  return new Uint32Array(8).fill(0xffffffff);
}

export function add(s: CharSet, c: number): void {
  s[c >> 5]! |= 1 << (c & 31);
}

export function addRange(s: CharSet, from: number, to: number): void {
  for (let c = from; c <= to; c++) add(s, c);
}

export function has(s: CharSet, c: number): boolean {
  return (s[c >> 5]! & (1 << (c & 31))) !== 0;
}

export function union(into: CharSet, other: CharSet): void {
  for (let i = 0; i < 8; i++) into[i]! |= other[i]!;
}

export function invert(s: CharSet): CharSet {
  const r = new Uint32Array(8);
  for (let i = 0; i < 8; i++) r[i] = ~s[i]!;
  return r;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 8; i++) if ((a[i]! & b[i]!) !== 0) return true;
  return false;
}

export function isSubset(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 8; i++) if ((a[i]! & ~b[i]!) !== 0) return false;
  return true;
}

export function sameSet(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function size(s: CharSet): number {
  let n = 0;
  for (let i = 0; i < 8; i++) {
    let w = s[i]!;
    while (w !== 0) {
      w &= w - 1;
      n++;
    }
  }
  return n;
}

export function setOf(...codes: number[]): CharSet {
  const s = emptySet();
  for (const c of codes) add(s, c);
  return s;
}

function ranges(...pairs: Array<[number, number]>): CharSet {
  const s = emptySet();
  for (const [a, b] of pairs) addRange(s, a, b);
  return s;
}

/** PCRE's byte-mode escapes (default tables): `\s` includes VT but not U+00A0; `\h \v` do include U+00A0 and U+0085. */
export const DIGIT = ranges([0x30, 0x39]);
export const WORD = ranges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]);
export const SPACE = ranges([0x09, 0x0d], [0x20, 0x20]);
export const HSPACE = setOf(0x09, 0x20, 0xa0);
export const VSPACE = ranges([0x0a, 0x0d], [0x85, 0x85]);
export const NOT_NEWLINE = invert(setOf(0x0a));

/** POSIX bracket names in the C locale. */
export const POSIX_CLASSES: Readonly<Record<string, CharSet>> = {
  alpha: ranges([0x41, 0x5a], [0x61, 0x7a]),
  digit: DIGIT,
  alnum: ranges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]),
  upper: ranges([0x41, 0x5a]),
  lower: ranges([0x61, 0x7a]),
  space: SPACE,
  blank: setOf(0x09, 0x20),
  cntrl: ranges([0x00, 0x1f], [0x7f, 0x7f]),
  graph: ranges([0x21, 0x7e]),
  print: ranges([0x20, 0x7e]),
  punct: ranges([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]),
  xdigit: ranges([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]),
  word: WORD,
  ascii: ranges([0x00, 0x7f]),
};

/** Adds the other case of every ASCII letter (PCRE's caseless matching in byte mode). */
export function caseClose(s: CharSet): void {
  for (let c = 0x41; c <= 0x5a; c++) {
    if (has(s, c) || has(s, c + 32)) {
      add(s, c);
      add(s, c + 32);
    }
  }
}

/** True when the set contains a letter (ASCII or a Latin-1 letter that JS case folding would pair). */
export function hasCasedLetter(s: CharSet): boolean {
  for (let c = 0; c < 256; c++) if (has(s, c) && jsCasePartner(c) !== c) return true;
  return false;
}

/**
 * The character a non-unicode JavaScript `i` RegExp treats as the same as c
 * within Latin-1 (c itself when none): ASCII letters and the Latin-1 pairs
 * U+00C0..U+00DE / U+00E0..U+00FE except the multiplication and division signs.
 */
export function jsCasePartner(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  if (c >= 0x61 && c <= 0x7a) return c - 32;
  if (c >= 0xc0 && c <= 0xde && c !== 0xd7) return c + 32;
  if (c >= 0xe0 && c <= 0xfe && c !== 0xf7) return c - 32;
  return c;
}

/** True when JS `i` folding would not change what the set matches. */
export function jsFoldClosed(s: CharSet): boolean {
  for (let c = 0; c < 256; c++) if (has(s, c) !== has(s, jsCasePartner(c))) return false;
  return true;
}

/** The only member of a one-character set, else -1. */
export function single(s: CharSet): number {
  if (size(s) !== 1) return -1;
  for (let c = 0; c < 256; c++) if (has(s, c)) return c;
  return -1;
}
