/**
 * Differential test: random patterns from a small PCRE grammar, random
 * subjects over a few bytes (ASCII letters, CR/LF, Latin-1 é/É, NBSP), and
 * Perl as the reference engine (its regex semantics are PCRE's for this
 * subset). Every pattern the translator accepts must give the same match
 * start and end as Perl on every subject.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { needTools } from '../../../test/support/env.js';
import { remapHighBytes } from './pcre-emit.js';
import { analyzePcre, pcreModeFlags } from './pcre-translate.js';

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

const pattern = fc.letrec<{
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

const subject = fc
  .array(fc.constantFrom('a', 'b', 'A', 'B', '1', ' ', '\n', '\r', '\xe9', '\xc9', '\xa0'), { maxLength: 10 })
  .map((a) => a.join(''));

const PERL = `
binmode STDIN; binmode STDOUT; no warnings;
while (my $line = <STDIN>) {
  chomp $line;
  my ($f, $ph, $sh) = split / /, $line, -1;
  my $p = pack('H*', $ph); my $s = pack('H*', $sh);
  my $re = eval { $f eq '-' ? qr/$p/ : qr/(?$f)$p/ };
  if (!defined $re) { print "E\\n"; next; }
  if ($s =~ $re) { print "$-[0] $+[0]\\n" } else { print "-\\n" }
}`;

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');

test('translated patterns match exactly where Perl (PCRE semantics) does', {
  skip: needTools('perl'),
}, () => {
  const cases = fc.sample(
    fc.tuple(
      pattern,
      fc.constantFrom('', 'i', 's', 'm', 'x', 'im', 'is'),
      fc.array(subject, { minLength: 4, maxLength: 4 }),
    ),
    { numRuns: Number(process.env.ORACLE_RUNS ?? 3000), seed: Number(process.env.ORACLE_SEED ?? 20240611) },
  );
  const lines: string[] = [];
  const runs: Array<{ p: string; f: string; s: string; js: string }> = [];
  let translated = 0;
  let caselessRefs = 0;
  for (const [p, f, subjects] of cases) {
    const t = analyzePcre(p, pcreModeFlags(f));
    if ('error' in t) continue;
    translated++;
    if (t.flags === 'i') caselessRefs++;
    const re = new RegExp(t.source, t.flags);
    for (const s of subjects) {
      const m = re.exec(t.remapHigh ? remapHighBytes(s) : s);
      runs.push({ p, f, s, js: m ? `${m.index} ${m.index + m[0].length}` : '-' });
      lines.push(`${f || '-'} ${hex(p)} ${hex(s)}`);
    }
  }
  const perl = spawnSync('perl', ['-e', PERL], { input: `${lines.join('\n')}\n`, maxBuffer: 1 << 26 });
  const answers = perl.stdout.toString('latin1').trimEnd().split('\n');
  assert.equal(answers.length, runs.length);
  let compared = 0;
  const wrong: string[] = [];
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k]!;
    if (answers[k] === 'E') continue; // Perl rejects a few things PCRE accepts
    compared++;
    if (answers[k] !== r.js)
      wrong.push(`/${r.p}/${r.f} on ${JSON.stringify(r.s)}: perl ${answers[k]}, js ${r.js}`);
  }
  console.log(
    `oracle: ${cases.length} patterns, ${translated} translated (${caselessRefs} with caseless back references), ${compared} matches compared`,
  );
  assert.deepEqual(wrong.slice(0, 10), []);
  assert.ok(translated > cases.length / 2, `only ${translated} of ${cases.length} translated`);
  assert.ok(compared > 4000);
  assert.ok(caselessRefs > 10, 'the i-flag path is exercised');
});
