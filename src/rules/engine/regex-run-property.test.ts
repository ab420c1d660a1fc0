/**
 * The regex runner against the plain translation: whatever route a call
 * takes (backtracking in-thread, the linear-time engine with rewritten end
 * assertions, or the prescreen then the worker), it must give the match the
 * translated pattern gives as an ordinary RegExp, from any start, anchored
 * or not. The plain translation itself is checked against Perl in
 * keywords/pcre-oracle.test.ts.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { PcreMatch } from '../ast.js';
import { remapHighBytes } from '../keywords/pcre-emit.js';
import { pcreNonLinearPattern, pcrePattern, pcreSubject } from '../keywords/pcre-testing.js';
import { analyzePcre, pcreModeFlags } from '../keywords/pcre-translate.js';
import { compileRuleRegex, regexRunCounters } from './regex-run.js';
import { stopRegexWorker } from './regex-run-thread.js';

after(() => stopRegexWorker());

/** Patterns that often end in an end assertion, so the rewritten forms are exercised too. */
const patterns = fc.oneof(
  fc.tuple(pcrePattern, fc.constantFrom('', '', '$', '\\Z', '(?:a$|b)', '\\n?$')).map(([p, e]) => p + e),
  pcreNonLinearPattern,
);

test('every route of the regex runner gives the plain translation’s match (start, end, groups)', () => {
  const before = { ...regexRunCounters };
  const engines = { backtracking: 0, linear: 0, worker: 0 };
  let compared = 0;
  fc.assert(
    fc.property(
      patterns,
      fc.constantFrom('', 'i', 's', 'm', 'im', 'E'),
      fc.array(fc.tuple(pcreSubject, fc.nat(4), fc.boolean()), { minLength: 3, maxLength: 3 }),
      (p, f, calls) => {
        const t = analyzePcre(p, pcreModeFlags(f));
        if ('error' in t) return;
        const m: PcreMatch = {
          kind: 'pcre',
          buffer: 'pkt',
          transforms: [],
          negated: false,
          source: p,
          flags: f,
          relative: false,
          js: { source: t.source, flags: t.flags, anchored: false },
        };
        const r = compileRuleRegex(m);
        engines[r.engine]++;
        for (const [s, at, anchored] of calls) {
          const from = Math.min(at, s.length);
          const ref: RegExp = new RegExp(t.source, `${t.flags}${anchored ? 'y' : 'g'}`);
          ref.lastIndex = from;
          const want: RegExpExecArray | null = ref.exec(t.remapHigh ? remapHighBytes(s) : s);
          const got = r.exec(s, from, anchored);
          assert.notEqual(got, 'bounded');
          if (want === null) assert.equal(got, null, `/${p}/${f} on ${JSON.stringify(s)} from ${from}`);
          else {
            assert.ok(got !== null && got !== 'bounded', `/${p}/${f} on ${JSON.stringify(s)}: no match`);
            assert.equal(got.start, want.index);
            assert.equal(got.end, want.index + want[0]!.length, `/${p}/${f} on ${JSON.stringify(s)}`);
            // Groups: compare where the plain translation sets them (the runner gives '' for unset ones).
            if (got.groups !== undefined)
              for (let k = 1; k < t.groupMap.length; k++) {
                const g: string | undefined = want[t.groupMap[k]!];
                const text: string = g === undefined ? '' : t.remapHigh ? unmap(g) : g;
                assert.equal(got.groups[k - 1], text);
              }
          }
          compared++;
        }
      },
    ),
    { numRuns: Number(process.env.REGEX_RUNS ?? 1500), seed: Number(process.env.REGEX_SEED ?? 20261123) },
  );
  console.log(
    `regex runner: ${compared} calls compared; patterns by route ${JSON.stringify(engines)}; ` +
      `worker calls ${regexRunCounters.inWorker - before.inWorker}, screened out ${regexRunCounters.screenedOut - before.screenedOut}`,
  );
  assert.ok(compared > 2000);
  assert.ok(engines.linear > 20 && engines.worker > 50 && engines.backtracking > 50, 'every route exercised');
  assert.ok(regexRunCounters.screenedOut > before.screenedOut, 'the prescreen answered some calls');
});

function unmap(s: string): string {
  return s.replace(/[\u3480-\u34ff]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x3400));
}

test('a prescreen matches at every start where its exact pattern matches', () => {
  let checked = 0;
  let starts = 0;
  fc.assert(
    fc.property(
      patterns,
      fc.constantFrom('', 'i', 's', 'm', 'im'),
      fc.array(pcreSubject, { maxLength: 4 }),
      (p, f, subjects) => {
        const t = analyzePcre(p, pcreModeFlags(f));
        if ('error' in t) return;
        const r = compileRuleRegex({
          kind: 'pcre',
          buffer: 'pkt',
          transforms: [],
          negated: false,
          source: p,
          flags: f,
          relative: false,
          js: { source: t.source, flags: t.flags, anchored: false },
        });
        if (r.prescreen === undefined) return;
        checked++;
        const exact = new RegExp(t.source, `${t.flags}y`);
        const screen = new RegExp(r.prescreen, 'y');
        for (const s of subjects)
          for (let i = 0; i <= s.length; i++) {
            exact.lastIndex = i;
            if (exact.exec(t.remapHigh ? remapHighBytes(s) : s) === null) continue;
            starts++;
            screen.lastIndex = i;
            assert.ok(
              screen.test(s),
              `/${p}/${f} matches ${JSON.stringify(s)} at ${i}; prescreen /${r.prescreen}/ does not`,
            );
          }
      },
    ),
    { numRuns: Number(process.env.REGEX_RUNS ?? 3000), seed: Number(process.env.REGEX_SEED ?? 20261123) },
  );
  console.log(`prescreen: ${checked} patterns, ${starts} matching starts checked`);
  assert.ok(checked > 300 && starts > 1000);
});
