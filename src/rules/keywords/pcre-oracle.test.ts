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
import { pcrePattern as pattern, pcreSubject as subject } from './pcre-testing.js';
import { analyzePcre, pcreModeFlags } from './pcre-translate.js';

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

/** Each translated pattern's answer on each subject ('start end' or '-') against Perl's; the mismatches. */
function againstPerl(
  cases: Array<[string, string, string[]]>,
  translate: (p: string, f: string) => ((s: string) => string) | { error: string },
): { translated: number; compared: number; wrong: string[] } {
  const lines: string[] = [];
  const runs: Array<{ p: string; f: string; s: string; js: string }> = [];
  let translated = 0;
  for (const [p, f, subjects] of cases) {
    const run = translate(p, f);
    if (typeof run !== 'function') continue;
    translated++;
    for (const s of subjects) {
      runs.push({ p, f, s, js: run(s) });
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
  return { translated, compared, wrong };
}

const runs = Number(process.env.ORACLE_RUNS ?? 3000);
const seed = Number(process.env.ORACLE_SEED ?? 20240611);

test('translated patterns match exactly where Perl (PCRE semantics) does', {
  skip: needTools('perl'),
}, () => {
  const cases = fc.sample(
    fc.tuple(
      pattern,
      fc.constantFrom('', 'i', 's', 'm', 'x', 'im', 'is'),
      fc.array(subject, { minLength: 4, maxLength: 4 }),
    ),
    { numRuns: runs, seed },
  );
  let caselessRefs = 0;
  const { translated, compared, wrong } = againstPerl(cases, (p, f) => {
    const t = analyzePcre(p, pcreModeFlags(f));
    if ('error' in t) return t;
    if (t.flags === 'i') caselessRefs++;
    const re = new RegExp(t.source, t.flags);
    return (s) => {
      const m = re.exec(t.remapHigh ? remapHighBytes(s) : s);
      return m ? `${m.index} ${m.index + m[0].length}` : '-';
    };
  });
  console.log(
    `oracle: ${cases.length} patterns, ${translated} translated (${caselessRefs} with caseless back references), ${compared} matches compared`,
  );
  assert.deepEqual(wrong.slice(0, 10), []);
  assert.ok(translated > cases.length / 2, `only ${translated} of ${cases.length} translated`);
  assert.ok(compared > 4000);
  assert.ok(caselessRefs > 10, 'the i-flag path is exercised');
});

test('with trimEnd, end assertions that end the match (newline consumed, then given back) match where Perl does', {
  skip: needTools('perl'),
}, () => {
  // Patterns ending in `$` or `\Z` (or an alternative that does), with and without /m.
  const ending = fc.constantFrom('$', '\\Z', '(?:$)', '(?:a$|b\\Z)', '(?:$|\\n)', '(?m:$)', '\\n?$');
  const cases = fc.sample(
    fc.tuple(
      fc.tuple(pattern, ending).map(([p, e]) => p + e),
      fc.constantFrom('', 'i', 's', 'm', 'im'),
      fc.array(subject, { minLength: 4, maxLength: 4 }),
    ),
    { numRuns: runs, seed },
  );
  let trimmed = 0;
  const { translated, compared, wrong } = againstPerl(cases, (p, f) => {
    const t = analyzePcre(p, pcreModeFlags(f), { trimEnd: true });
    if ('error' in t) return t;
    if (t.trimGroups.length > 0) trimmed++;
    const re = new RegExp(t.source, t.flags);
    return (s) => {
      const m = re.exec(t.remapHigh ? remapHighBytes(s) : s);
      if (!m) return '-';
      const end = m.index + m[0].length - t.trimGroups.filter((g) => m[g] !== undefined).length;
      return `${m.index} ${end}`;
    };
  });
  console.log(
    `oracle (trimEnd): ${translated} translated, ${trimmed} with a rewritten end, ${compared} compared`,
  );
  assert.deepEqual(wrong.slice(0, 10), []);
  assert.ok(trimmed > cases.length / 4, `only ${trimmed} rewritten`);
  assert.ok(compared > 4000);
});
