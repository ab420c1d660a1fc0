/**
 * Random and mutated YAML for the inventory and the catalogue: never a throw,
 * never a hang; either a value or errors whose lines lie inside the text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CATALOGUE, loadCatalogue, parseCatalogue } from './catalogue.js';
import { parseInventory } from './inventory.js';

const catalogue = loadCatalogue();
const INV = `version: 1
assets:
  - address: 10.99.0.10
    name: web
    runs:
      - { product: nginx, version: 1.22.1, port: 80 }
    doesNotRun: [joomla, { product: wordpress, port: 80 }]
  - address: 10.99.0.0/27
    doesNotRun: [cisco-ios]
`;
const CAT = readFileSync(DEFAULT_CATALOGUE, 'utf8');

/** A text with some characters replaced, inserted or deleted. */
function mutated(base: string) {
  const edit = fc.tuple(
    fc.nat(base.length),
    fc.constantFrom('del', 'ins', 'rep'),
    fc.constantFrom(...':-[]{}\'"#&*!|> \n\t0aZ%@`,?'.split('')),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let s = base;
    for (const [at, op, ch] of edits) {
      const i = at % (s.length + 1);
      s =
        op === 'del'
          ? s.slice(0, i) + s.slice(i + 1)
          : op === 'ins'
            ? s.slice(0, i) + ch + s.slice(i)
            : s.slice(0, i) + ch + s.slice(i + 1);
    }
    return s;
  });
}

function checkLines(text: string, errors: { line?: number }[]) {
  const lines = text.split('\n').length;
  for (const e of errors)
    if (e.line !== undefined) assert.ok(e.line >= 1 && e.line <= lines + 1, `line ${e.line} of ${lines}`);
}

test('inventory: random text and mutations of a valid file never throw; errors point inside the file', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutated(INV)), (text) => {
      const r = parseInventory(text, 'inventory.yaml', catalogue);
      if (!r.ok) {
        assert.ok(r.errors.length > 0);
        checkLines(text, r.errors);
      } else r.inventory.knowledgeOf('10.99.0.10');
    }),
    { numRuns: 400 },
  );
});

test('catalogue: mutations of the shipped file never throw; errors point inside the file', () => {
  fc.assert(
    fc.property(mutated(CAT), (text) => {
      const r = parseCatalogue(text);
      if (!r.ok) checkLines(text, r.errors);
      else r.catalogue.fromBanner('nginx/1.22.1');
    }),
    { numRuns: 150 },
  );
});

test('alias bombs and huge inputs are refused quickly', () => {
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
  const started = Date.now();
  assert.equal(parseInventory(bomb, 'inventory.yaml', catalogue).ok, false);
  assert.equal(parseInventory('#'.repeat(5 * 1024 * 1024), 'inventory.yaml', catalogue).ok, false);
  assert.ok(Date.now() - started < 2000);
});
