/**
 * Random PCRE patterns from a small grammar (atoms with every escape and
 * assertion the translator handles, groups of every kind, quantifiers in
 * every mode, lookarounds) and random subjects over a few bytes (ASCII
 * letters, CR/LF, Latin-1 é/É, NBSP), for the differential tests of the
 * translator and the regex runner.
 */
import fc from 'fast-check';

const ATOMS = [
  'a',
  'b',
  'A',
  'B',
  '1',
  ' ',
  '\\n',
  '\\r',
  '\\xe9',
  '\\xc9',
  '\\xa0',
  '.',
  '\\d',
  '\\w',
  '\\s',
  '\\h',
  '\\v',
  '\\R',
  '\\N',
  '\\W',
  '[ab]',
  '[^a]',
  '[a-c\\xe9]',
  '[[:alpha:]]',
  '[^[:space:]]',
  '\\x{41}',
  '\\o{142}',
  '\\x62',
  '(?#c)',
  '^',
  '$',
  '\\A',
  '\\Z',
  '\\z',
  '\\b',
  '\\B',
  '\\1',
  '\\2',
  '(?i)',
  '(?-i)',
  '(?s)',
  '(?m)',
  '\\g{-1}',
  '\\Q.a\\E',
  'a{1',
  '{',
  '(?P=n)',
  '\\k<n>',
];

export const pcrePattern = fc.letrec<{
  re: string;
  seq: string;
  alt: string;
  group: string;
  quant: string;
  look: string;
}>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ATOMS),
    tie('seq'),
    tie('alt'),
    tie('group'),
    tie('quant'),
    tie('look'),
  ),
  seq: fc.array(tie('re'), { minLength: 2, maxLength: 4 }).map((a) => a.join('')),
  alt: fc.array(tie('re'), { minLength: 2, maxLength: 3 }).map((a) => a.join('|')),
  group: fc
    .tuple(
      fc.constantFrom('(', '(', '(?:', '(?>', '(?i:', '(?-i:', '(?s:', '(?m:', '(?P<n>', '(?x: '),
      tie('re'),
    )
    .map(([open, r]) => `${open}${r})`),
  quant: fc
    .tuple(
      tie('re'),
      fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '{0,}', '{0,2}'),
      fc.constantFrom('', '?', '+'),
    )
    .map(([r, q, mode]) => `(?:${r})${q}${mode}`),
  look: fc
    .tuple(
      fc.constantFrom('(?=', '(?!', '(?<=', '(?<!'),
      fc.constantFrom('a', 'b', '\\n', 'ab', '[ab]', 'a|bc', 'A', '\\s'),
    )
    .map(([open, r]) => `${open}${r})`),
})).re;

export const pcreSubject = fc
  .array(fc.constantFrom('a', 'b', 'A', 'B', '1', ' ', '\n', '\r', '\xe9', '\xc9', '\xa0'), { maxLength: 10 })
  .map((a) => a.join(''));

/**
 * Patterns built around what cannot run on V8's linear-time engine (a back
 * reference to an earlier group, an atomic group or possessive quantifier,
 * a lookaround) between random parts, so the reference is in a position
 * where it decides the match.
 */
export const pcreNonLinearPattern = fc
  .tuple(
    fc.constantFrom('', 'a', 'b', '\\s', '[ab]'),
    pcrePattern,
    fc.constantFrom(
      '(X)Y\\1',
      '(?P<n>X)Y(?P=n)',
      '(X)+Y\\1',
      '(X)Y\\1+',
      '(?i)(X)Y\\1',
      '(?>X)Y',
      'X++Y',
      '(?=X)Y',
      '(?!X)Y',
      '(?<=a)XY',
      '(X)(?=Y\\1)',
    ),
    fc.constantFrom('a', 'b', 'A', '\\s', 'a|b', '[^b]', '.', 'a*'),
    fc.constantFrom('', 'a', 'b', '$', '\\n'),
  )
  .map(([before, x, shape, y, after]) => before + shape.replace('X', x).replace('Y', y) + after);
