/** Hostile input: random and mutated rules never crash or hang the parser. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/env.js';
import { newSpecCache } from './header.js';
import { splitRuleLines } from './lines.js';
import { defaultReferenceSystems } from './reference.js';
import { parseRule } from './rule.js';
import { splitRule } from './tokenize.js';
import { defaultVars } from './variables.js';

const ctx = {
  vars: defaultVars(),
  cache: newSpecCache(),
  keywords: { classifications: new Map(), references: defaultReferenceSystems() },
  file: 'fc',
};

function parseText(text: string): void {
  for (const l of splitRuleLines(text)) {
    const r = parseRule(l, ctx);
    assert.ok('rule' in r || typeof r.error === 'string');
  }
}

test('tokenizer and parser survive random text', () => {
  const alphabet = fc.constantFrom(
    ...'alert tcp any -> ( ) ; : " \\ | ! [ ] , $ # \n content pcre sid 1 2 / x'.split(' '),
  );
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 200 }), (parts) => {
      const text = parts.join('');
      splitRule(text);
      parseText(text);
      parseText(`alert tcp any any -> any any (${text})`);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 500 }), (s) => parseText(`alert tcp any any -> any any (${s})`)),
    { numRuns: 2000 },
  );
});

const et = sharedData('rules/et-open-suricata-5.0');
test('mutated real rules never crash', { skip: et.skip }, () => {
  const lines = readFileSync(join(et.path, 'emerging-scan.rules'), 'latin1')
    .split('\n')
    .filter((l) => l.startsWith('alert'))
    .slice(0, 300);
  fc.assert(
    fc.property(fc.nat(lines.length - 1), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), (i, a, b, ins) => {
      const l = lines[i]!;
      const p = a % (l.length + 1);
      const q = Math.min(l.length, p + (b % 20));
      parseText(l.slice(0, p) + ins + l.slice(q));
    }),
    { numRuns: 3000 },
  );
});

test('extreme inputs are rejected with a clear reason', () => {
  const huge = `alert tcp any any -> any any (content:"${'A'.repeat(300_000)}"; sid:1;)`;
  const r1 = parseRule({ line: 1, text: huge, disabled: false }, ctx);
  assert.ok('error' in r1 && /longer than/.test(r1.error));
  const many = `alert tcp any any -> any any (${'nocase;'.repeat(5000)} sid:1;)`;
  const r2 = parseRule({ line: 1, text: many, disabled: false }, ctx);
  assert.ok('error' in r2);
  const deep = `alert tcp ${'['.repeat(5000)}1.2.3.4${']'.repeat(5000)} any -> any any (sid:1;)`;
  const r3 = parseRule({ line: 1, text: deep, disabled: false }, ctx);
  assert.ok('error' in r3 && /nested deeper/.test(r3.error));
  const big = parseRule(
    {
      line: 1,
      text: 'alert tcp any any -> any any (content:"a"; offset:99999999999999999999; sid:1;)',
      disabled: false,
    },
    ctx,
  );
  assert.ok('error' in big && /offset: .* out of range/.test(big.error));
  const pcreBomb = parseRule(
    {
      line: 1,
      text: `alert tcp any any -> any any (pcre:"/${'('.repeat(10000)}/"; sid:1;)`,
      disabled: false,
    },
    ctx,
  );
  assert.ok('error' in pcreBomb);
});
