/**
 * Writes a PcreTree as JavaScript RegExp source with the same matches on
 * Latin-1 strings. Every class is spelled out byte by byte, assertions
 * become lookarounds, and atomic groups and possessive quantifiers use the
 * exact emulation `(?=(X))\N`: a lookahead is atomic in JavaScript, and the
 * back reference consumes what it captured. Those helper groups shift group
 * numbers, so user back references are renumbered and `groupMap` says where
 * each user group landed.
 *
 * With `trimEnd`, an end assertion that ends the match (`$`, `\Z`, and `$`
 * under /m, last in the pattern and outside capturing groups and loops) is
 * written without lookahead: it consumes the one newline it may stand before,
 * in a helper group listed in `trimGroups`, and the caller shortens the match
 * by one when that group took part. Lookahead keeps a pattern off V8's
 * linear-time engine; this form does not.
 */
import type { PcreNode, PcreTree } from './pcre-ast.js';
import { allChars, walk } from './pcre-ast.js';
import {
  type CharSet,
  DIGIT,
  fullSet,
  has,
  invert,
  jsCasePartner,
  sameSet,
  single,
  size,
  WORD,
} from './pcre-charset.js';

export interface EmittedPcre {
  source: string;
  flags: string;
  /** groupMap[k] = JavaScript group number of PCRE group k (index 0 unused). */
  groupMap: number[];
  /**
   * True when the source expects subjects whose bytes 0x80..0xFF are moved to
   * U+3480..U+34FF (see remapHighBytes): only patterns that need the `i` flag
   * for a caseless back reference, so that JS folds no Latin-1 letters.
   */
  remapHigh: boolean;
  /**
   * JavaScript groups that consume the newline an end assertion stands
   * before (trimEnd only): when one took part, the PCRE match ends one
   * character earlier than the JavaScript one.
   */
  trimGroups: number[];
}

export interface EmitOptions {
  /** Write end assertions that end the match without lookahead (see trimGroups). */
  trimEnd?: boolean;
}

/** Where remapped high bytes start: CJK code points, which have no case. */
export const REMAP_BASE = 0x3400;

/**
 * Moves bytes 0x80..0xFF of a latin1 string to U+3480..U+34FF, for sources
 * with remapHigh. Returns the string itself when it has no high bytes.
 * @example remapHighBytes('a\xe9') // 'a\u34e9'
 */
export function remapHighBytes(s: string): string {
  if (!HIGH.test(s)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    out += s.slice(from, i) + String.fromCharCode(REMAP_BASE + c);
    from = i + 1;
  }
  return out + s.slice(from);
}
const HIGH = /[\x80-\xff]/;

const ASSERTS = {
  start: '^',
  // The JavaScript flags are only ever '' or 'i', so `$` is the end of the subject, as \z is.
  end: '$',
  'end-nl': '(?=\\n?(?![\\s\\S]))',
  'line-start': '(?:^|(?<=\\n)(?=[\\s\\S]))',
  'line-end': '(?![^\\n])',
  word: '\\b',
  'not-word': '\\B',
} as const;

/** End assertions written as a trailing optional newline (trimEnd). */
const TRIMMED = {
  'end-nl': '(\\n)?$',
  'line-end': '(?:(\\n)|$)',
} as const;

/** @example emitPcre(tree) // { source: '(?:(?=(a+))\\1)b', flags: '', groupMap: [0], trimGroups: [] } */
export function emitPcre(
  tree: PcreTree,
  neverSet: ReadonlySet<PcreNode>,
  options: EmitOptions = {},
): EmittedPcre | { error: string } {
  const mode = caseMode(tree);
  if (typeof mode === 'string') return { error: mode };
  const { useI, remap } = mode;
  // Helper groups take numbers in the order their "(" is written (pre-order).
  const groupMap = [0];
  const helperOf = new Map<PcreNode, number>();
  const trimmed = options.trimEnd === true ? matchEndAsserts(tree.root) : new Set<PcreNode>();
  const trimGroups: number[] = [];
  let next = 0;
  walk(tree.root, (n) => {
    if (n.t === 'group' && n.capture > 0) groupMap[n.capture] = ++next;
    else if (n.t === 'atomic' || (n.t === 'repeat' && n.possessive)) helperOf.set(n, ++next);
    else if (trimmed.has(n)) trimGroups.push(++next);
  });
  const atomic = (n: PcreNode, inner: string) => `(?:(?=(${inner}))\\${helperOf.get(n)})`;

  const emit = (n: PcreNode): { text: string; atom: boolean } => {
    switch (n.t) {
      case 'set':
        return { text: setText(n.set, useI, remap), atom: true };
      case 'seq': {
        const parts = n.items.map((c) => (c.t === 'alt' ? `(?:${emit(c).text})` : emit(c).text));
        return { text: parts.join(''), atom: false };
      }
      case 'alt':
        return { text: n.branches.map((b) => emit(b).text).join('|'), atom: false };
      case 'group': {
        const open = n.capture === 0 ? '(?:' : n.name !== undefined ? `(?<${n.name}>` : '(';
        return { text: `${open}${emit(n.body).text})`, atom: true };
      }
      case 'atomic':
        return { text: atomic(n, emit(n.body).text), atom: true };
      case 'look': {
        const open = `(?${n.behind ? '<' : ''}${n.negate ? '!' : '='}`;
        return { text: `${open}${emit(n.body).text})`, atom: true };
      }
      case 'repeat': {
        const body = emit(n.body);
        const inner = (body.atom ? body.text : `(?:${body.text})`) + quantText(n.min, n.max, n.lazy);
        return { text: n.possessive ? atomic(n, inner) : inner, atom: n.possessive };
      }
      case 'backref':
        return { text: neverSet.has(n) ? '(?!)' : `(?:\\${groupMap[n.group]})`, atom: true };
      case 'assert':
        if (trimmed.has(n) && (n.kind === 'end-nl' || n.kind === 'line-end'))
          return { text: TRIMMED[n.kind], atom: n.kind === 'line-end' };
        return {
          text: ASSERTS[n.kind],
          atom: n.kind === 'word' || n.kind === 'not-word' || n.kind === 'start',
        };
    }
  };
  const source = emit(tree.root).text;
  const flags = useI ? 'i' : '';
  try {
    new RegExp(source, flags);
  } catch (e) {
    return { error: `translation is not a valid JavaScript regex (${(e as Error).message})` };
  }
  return { source, flags, groupMap, remapHigh: remap, trimGroups };
}

/**
 * The `\Z`/`$` and /m `$` assertions after which nothing more is matched:
 * last in the pattern, reached through sequences, alternatives and
 * non-capturing groups only (a capturing group would take the newline into
 * its text, a loop or lookaround would continue after it).
 */
export function matchEndAsserts(root: PcreNode): Set<PcreNode> {
  const out = new Set<PcreNode>();
  const visit = (n: PcreNode): void => {
    if (n.t === 'seq') {
      const last = n.items[n.items.length - 1];
      if (last !== undefined) visit(last);
    } else if (n.t === 'alt') for (const b of n.branches) visit(b);
    else if (n.t === 'group' && n.capture === 0) visit(n.body);
    else if (n.t === 'assert' && (n.kind === 'end-nl' || n.kind === 'line-end')) out.add(n);
  };
  visit(root);
  return out;
}

/**
 * JavaScript can only compare a back reference caselessly under the `i`
 * flag, which folds the whole pattern. So `i` is used only when some
 * caseless reference needs it and every letter in the pattern is caseless
 * anyway; Latin-1 letters, which JS would fold and PCRE's byte tables do
 * not, are then moved out of the way (remap). Otherwise it is an error.
 */
function caseMode(tree: PcreTree): { useI: boolean; remap: boolean } | string {
  const groupChars = new Map<number, CharSet>();
  const refs: Array<{ group: number; caseless: boolean }> = [];
  const sets: CharSet[] = [];
  walk(tree.root, (n) => {
    if (n.t === 'group' && n.capture > 0) groupChars.set(n.capture, allChars(n.body));
    else if (n.t === 'backref') refs.push(n);
    else if (n.t === 'set') sets.push(n.set);
  });
  const useI = refs.some((r) => r.caseless && hasAsciiLetter(groupChars.get(r.group)!));
  if (!useI) return { useI: false, remap: false };
  const why = 'a case-insensitive back reference needs the JavaScript i flag, which this pattern cannot take';
  if (!sets.every(asciiCaseClosed)) return `${why} (it mixes case-sensitive and caseless letters)`;
  if (refs.some((r) => !r.caseless && hasAsciiLetter(groupChars.get(r.group)!)))
    return `${why} (it also has a case-sensitive back reference)`;
  return { useI: true, remap: sets.some(hasLatin1Letter) };
}

function hasAsciiLetter(s: CharSet): boolean {
  for (let c = 0x41; c <= 0x5a; c++) if (has(s, c) || has(s, c + 32)) return true;
  return false;
}

function asciiCaseClosed(s: CharSet): boolean {
  for (let c = 0x41; c <= 0x5a; c++) if (has(s, c) !== has(s, c + 32)) return false;
  return true;
}

function hasLatin1Letter(s: CharSet): boolean {
  for (let c = 0xc0; c < 256; c++) if (has(s, c) && jsCasePartner(c) !== c) return true;
  return false;
}

function quantText(min: number, max: number, lazy: boolean): string {
  let q: string;
  if (min === 0 && max === Infinity) q = '*';
  else if (min === 1 && max === Infinity) q = '+';
  else if (min === 0 && max === 1) q = '?';
  else if (min === max) q = `{${min}}`;
  else q = max === Infinity ? `{${min},}` : `{${min},${max}}`;
  return lazy ? `${q}?` : q;
}

const FULL = fullSet();
const NOT_DIGIT = invert(DIGIT);
const NOT_WORD = invert(WORD);

/** setText's answers by set and mode: rulesets reuse a few classes (\s, \d, [^\r\n] ...) everywhere. */
const setTexts = new Map<string, string>();

/** One character from the set, as a literal or a class. */
function setText(s: CharSet, useI: boolean, remap: boolean): string {
  // The set's 256 bits as sixteen 16-bit characters, and the mode.
  const key = String.fromCharCode(
    s[0]! & 0xffff,
    s[0]! >>> 16,
    s[1]! & 0xffff,
    s[1]! >>> 16,
    s[2]! & 0xffff,
    s[2]! >>> 16,
    s[3]! & 0xffff,
    s[3]! >>> 16,
    s[4]! & 0xffff,
    s[4]! >>> 16,
    s[5]! & 0xffff,
    s[5]! >>> 16,
    s[6]! & 0xffff,
    s[6]! >>> 16,
    s[7]! & 0xffff,
    s[7]! >>> 16,
    (useI ? 2 : 0) + (remap ? 1 : 0),
  );
  let text = setTexts.get(key);
  if (text === undefined) {
    text = spellSet(s, useI, remap);
    // At most 4 modes per distinct set; a bound for processes that translate endless new patterns.
    if (setTexts.size >= 50_000) setTexts.clear();
    setTexts.set(key, text);
  }
  return text;
}

function spellSet(s: CharSet, useI: boolean, remap: boolean): string {
  const one = single(s);
  if (one >= 0) return charText(one, false, remap);
  // Under the i flag an ASCII case pair is written as its lower-case letter.
  if (useI && size(s) === 2) {
    for (let c = 0x61; c <= 0x7a; c++) if (has(s, c) && has(s, c - 32)) return charText(c, false, remap);
  }
  if (sameSet(s, FULL)) return '[\\s\\S]';
  if (sameSet(s, DIGIT)) return '\\d';
  if (sameSet(s, WORD)) return '\\w';
  if (sameSet(s, NOT_DIGIT)) return '\\D';
  if (sameSet(s, NOT_WORD)) return '\\W';
  return size(s) <= 128 ? `[${rangesText(s, remap)}]` : `[^${rangesText(invert(s), remap)}]`;
}

/** Ranges never cross 0x7F/0x80, where remapped bytes jump to U+3480. */
function rangesText(s: CharSet, remap: boolean): string {
  let out = '';
  for (let c = 0; c < 256; c++) {
    if (!has(s, c)) continue;
    let end = c;
    while (end < 255 && end !== 0x7f && has(s, end + 1)) end++;
    out += charText(c, true, remap);
    if (end > c + 1) out += `-${charText(end, true, remap)}`;
    else if (end === c + 1) out += charText(end, true, remap);
    c = end;
  }
  return out;
}

const SPECIAL = new Set('\\^$.*+?()[]{}|/-');

function charText(c: number, inClass: boolean, remap: boolean): string {
  const ch = String.fromCharCode(c);
  if (c > 0x20 && c < 0x7f) {
    if (/[A-Za-z0-9_]/.test(ch)) return ch;
    if (SPECIAL.has(ch)) return inClass || ch !== '-' ? `\\${ch}` : ch;
    return ch;
  }
  if (c >= 0x80 && remap) return `\\u${(REMAP_BASE + c).toString(16)}`;
  return `\\x${c.toString(16).padStart(2, '0')}`;
}
