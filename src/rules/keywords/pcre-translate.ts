/**
 * Translates a PCRE pattern (as used in rules) into a JavaScript RegExp
 * source with the same meaning on Latin-1 strings of the buffer bytes:
 * `$` keeps PCRE's "end or before a final newline", `\A \Z \z` become
 * lookarounds, `/x` whitespace is dropped, `/G` flips greediness and leading
 * `(?i)`-style flags become RegExp flags. Constructs JS cannot express
 * (possessive quantifiers, atomic groups, inline flag groups) are errors.
 */

export interface PcreFlags {
  caseless: boolean;
  dotall: boolean;
  multiline: boolean;
  extended: boolean;
  ungreedy: boolean;
  dollarEndOnly: boolean;
}

const END = '(?![\\s\\S])';

/**
 * @example translatePcre('^GET\\s', flags) // { source: '^GET\\s', flags: '' }
 */
export function translatePcre(
  pattern: string,
  f: PcreFlags,
): { source: string; flags: string } | { error: string } {
  let p = pattern;
  // Leading inline option settings such as (?i) or (?si).
  for (let m = /^\(\?([imsxU]+)\)/.exec(p); m; m = /^\(\?([imsxU]+)\)/.exec(p)) {
    for (const ch of m[1]!) {
      if (ch === 'i') f.caseless = true;
      else if (ch === 's') f.dotall = true;
      else if (ch === 'm') f.multiline = true;
      else if (ch === 'x') f.extended = true;
      else if (ch === 'U') f.ungreedy = true;
    }
    p = p.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return { error: 'pattern ends with a lone backslash' };
      i++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += `(?=\\n?${END})`;
      else if (!inClass && n === 'z') out += END;
      else if (n === 'e') out += '\\x1b';
      else if (n === 'h') out += inClass ? ' \\t' : '[ \\t]';
      else if (
        n === 'Q' ||
        n === 'K' ||
        n === 'G' ||
        n === 'R' ||
        n === 'X' ||
        n === 'C' ||
        n === 'p' ||
        n === 'P'
      )
        return { error: `\\${n} has no JavaScript equivalent` };
      else if (n === 'x' && p[i + 1] === '{') {
        const close = p.indexOf('}', i);
        const hex = p.slice(i + 2, close);
        if (close < 0 || !/^[0-9a-fA-F]{1,2}$/.test(hex)) return { error: `unsupported \\x{${hex}}` };
        out += `\\x${hex.padStart(2, '0')}`;
        i = close;
      } else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (c === '[' && p[i + 1] === ':') {
        const close = p.indexOf(':]', i);
        const posix = POSIX[p.slice(i + 2, close)];
        if (close < 0 || !posix) return { error: 'unsupported POSIX class' };
        out += posix;
        i = close + 1;
        continue;
      }
      out += c;
      continue;
    }
    if (f.extended && /\s/.test(c)) continue;
    if (f.extended && c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += `\\${p[++i]}`;
      continue;
    }
    if (c === '$') {
      out += f.multiline ? '$' : f.dollarEndOnly ? END : `(?=\\n?${END})`;
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i + 2, i + 4);
      if (rest.startsWith('>')) return { error: 'atomic groups (?>...) have no JavaScript equivalent' };
      if (rest.startsWith('P=')) {
        const close = p.indexOf(')', i);
        if (close < 0) return { error: 'unclosed (?P=name)' };
        out += `\\k<${p.slice(i + 4, close)}>`;
        i = close;
        continue;
      }
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (/^[imsxU-]/.test(rest)) return { error: 'inline option groups need a newer JavaScript engine' };
      if (rest.startsWith('#')) {
        const close = p.indexOf(')', i);
        if (close < 0) return { error: 'unclosed comment group' };
        i = close;
        continue;
      }
      out += '(?';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(p.slice(i)))) {
      let q = c;
      if (c === '{') {
        const close = p.indexOf('}', i);
        q = p.slice(i, close + 1);
        i = close;
      }
      // A '?' right after '(' is group syntax, handled above; here it is a quantifier.
      const next = p[i + 1];
      if (next === '+') return { error: 'possessive quantifiers have no JavaScript equivalent' };
      const lazy = next === '?';
      if (lazy) i++;
      out += q + (lazy !== f.ungreedy ? '?' : '');
      continue;
    }
    out += c;
  }
  if (inClass) return { error: 'unclosed character class' };
  let flags = '';
  if (f.caseless) flags += 'i';
  if (f.multiline) flags += 'm';
  if (f.dotall) flags += 's';
  try {
    new RegExp(out, flags);
  } catch (e) {
    return {
      error: `not valid as a JavaScript regex: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
    };
  }
  return { source: out, flags };
}

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\r\\n\\v\\f',
  xdigit: '0-9a-fA-F',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  cntrl: '\\x00-\\x1f\\x7f',
  word: '\\w',
};
