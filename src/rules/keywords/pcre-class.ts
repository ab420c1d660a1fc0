/**
 * PCRE character classes and single-character escapes, read into Latin-1
 * character sets. Unknown letter escapes are the literal letter, as in PCRE 1
 * (which Suricata 5 and 6 link); values above 255 are errors (byte mode).
 */
import {
  add,
  addRange,
  type CharSet,
  caseClose,
  DIGIT,
  emptySet,
  HSPACE,
  invert,
  NOT_NEWLINE,
  POSIX_CLASSES,
  SPACE,
  union,
  VSPACE,
  WORD,
} from './pcre-charset.js';

export type EscapeResult = { code: number; end: number } | { set: CharSet; end: number } | { error: string };

const SIMPLE: Readonly<Record<string, number>> = { a: 7, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };
const SETS: Readonly<Record<string, CharSet>> = { d: DIGIT, w: WORD, s: SPACE, h: HSPACE, v: VSPACE };

/**
 * Reads the escape starting at p[i] (a backslash). Back references and
 * assertions are the caller's; here `\b` is a backspace.
 * @example parseClassEscape('\\x41', 0, true) // { code: 0x41, end: 4 }
 */
export function parseClassEscape(p: string, i: number, inClass: boolean): EscapeResult {
  const n = p[i + 1];
  if (n === undefined) return { error: 'pattern ends with a lone backslash' };
  const end = i + 2;
  if (SIMPLE[n] !== undefined) return { code: SIMPLE[n], end };
  if (n === 'b') return { code: 8, end };
  const lower = n.toLowerCase();
  if (SETS[lower]) return { set: n === lower ? SETS[lower] : invert(SETS[lower]), end };
  if (n === 'N' && !inClass) return { set: NOT_NEWLINE, end };
  if (n === 'x') return numeric(p, end, 16, /^[0-9a-fA-F]{1,2}/, 'x');
  if (n === 'o') {
    if (p[end] !== '{') return { code: 0x6f, end };
    return numeric(p, end, 8, /^$/, 'o');
  }
  if (n >= '0' && n <= '7') {
    // \0 takes two more octal digits; \1..\7 (when not a back reference) three in all.
    const m = (n === '0' ? /^[0-7]{1,3}/ : /^[0-7]{1,3}/).exec(p.slice(i + 1, i + 4))!;
    const code = Number.parseInt(m[0], 8);
    if (code > 0xff) return { error: `octal value \\${m[0]} is above \\377 (byte mode)` };
    return { code, end: i + 1 + m[0].length };
  }
  if (n === 'c') {
    const x = p[end];
    if (x === undefined) return { error: '\\c at end of pattern' };
    const code = x.toUpperCase().charCodeAt(0);
    if (code > 0x7f) return { error: '\\c must be followed by an ASCII character' };
    return { code: code ^ 0x40, end: end + 1 };
  }
  if (n === 'u' || n === 'U' || n === 'L' || n === 'l') return { error: `PCRE does not support \\${n}` };
  if (n === 'p' || n === 'P') return { error: `\\${n} (Unicode properties) is not supported` };
  const code = n.charCodeAt(0);
  if (code > 0xff) return { error: `character U+${code.toString(16)} is outside Latin-1` };
  return { code, end };
}

function numeric(p: string, at: number, radix: number, bare: RegExp, letter: string): EscapeResult {
  if (p[at] === '{') {
    const close = p.indexOf('}', at);
    const digits = close < 0 ? '' : p.slice(at + 1, close);
    const ok = radix === 16 ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-7]+$/.test(digits);
    if (!ok) return { error: `malformed \\${letter}{...}` };
    const code = Number.parseInt(digits, radix);
    if (code > 0xff) return { error: `\\${letter}{${digits}} is above 255 (byte mode)` };
    return { code, end: close + 1 };
  }
  const m = bare.exec(p.slice(at, at + 2));
  // A bare \x with no hex digits is NUL in PCRE.
  return m?.[0] ? { code: Number.parseInt(m[0], radix), end: at + m[0].length } : { code: 0, end: at };
}

/**
 * Reads a class whose "[" is just before p[i]; returns the set of bytes it
 * matches (negation and caselessness applied) and the index after "]".
 * @example parseClass('[^a-c]', 1, false) // { set: everything but a, b, c, end: 6 }
 */
export function parseClass(
  p: string,
  i: number,
  caseless: boolean,
): { set: CharSet; end: number } | { error: string } {
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  const s = emptySet();
  let first = true;
  for (;;) {
    const c = p[i];
    if (c === undefined) return { error: 'missing ] for character class' };
    if (c === ']' && !first) {
      i++;
      break;
    }
    first = false;
    if (c === '[' && (p[i + 1] === ':' || p[i + 1] === '.' || p[i + 1] === '=')) {
      const m = /^\[([:.=])(\^?)([a-z]*)\1\]/.exec(p.slice(i, i + 16));
      if (m) {
        if (m[1] !== ':') return { error: `POSIX collating element [${m[1]}...${m[1]}] is not supported` };
        const name = caseless && (m[3] === 'upper' || m[3] === 'lower') ? 'alpha' : m[3]!;
        const posix = POSIX_CLASSES[name];
        if (!posix) return { error: `unknown POSIX class [:${m[3]}:]` };
        union(s, m[2] ? invert(posix) : posix);
        i += m[0].length;
        continue;
      }
    }
    if (c === '\\' && p[i + 1] === 'Q') {
      const e = p.indexOf('\\E', i + 2);
      const stop = e < 0 ? p.length : e;
      for (let k = i + 2; k < stop; k++) add(s, p.charCodeAt(k));
      i = e < 0 ? stop : e + 2;
      continue;
    }
    if (c === '\\' && p[i + 1] === 'E') {
      i += 2;
      continue;
    }
    const item = classItem(p, i);
    if ('error' in item) return item;
    i = item.end;
    if ('set' in item) {
      union(s, item.set);
      continue;
    }
    // A range, unless the hyphen is last or the far end is a class or POSIX name.
    if (
      p[i] === '-' &&
      p[i + 1] !== ']' &&
      p[i + 1] !== undefined &&
      !/^\[:\^?[a-z]*:\]/.test(p.slice(i + 1))
    ) {
      const far = classItem(p, i + 1);
      if ('error' in far) return far;
      if ('code' in far) {
        if (far.code < item.code) return { error: 'range out of order in character class' };
        addRange(s, item.code, far.code);
        i = far.end;
        continue;
      }
    }
    add(s, item.code);
  }
  if (caseless) caseClose(s);
  return { set: negate ? invert(s) : s, end: i };
}

function classItem(p: string, i: number): EscapeResult {
  if (p[i] !== '\\') {
    const code = p.charCodeAt(i);
    if (code > 0xff) return { error: `character U+${code.toString(16)} is outside Latin-1` };
    return { code, end: i + 1 };
  }
  return parseClassEscape(p, i, true);
}
