/**
 * Keeps ARCHITECTURE.md's one-way flow true: a stage may import schema/, util/
 * and earlier stages, never a later one. util/ imports only schema/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/env.js';

/** Stages in data-flow order; pipeline wires them, serve (CLI, API) calls pipeline. */
const ORDER = [
  'schema',
  'util',
  'read',
  'decode',
  'flow',
  'normalize',
  'rules',
  'detect',
  'triage',
  'store',
  'pipeline',
  'serve',
];

const src = join(repoRoot, 'src');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const importRe =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function stageOf(file: string): string {
  return relative(src, file).split('/')[0]!;
}

test('every top-level folder of src/ is a known stage', () => {
  for (const name of readdirSync(src)) {
    if (statSync(join(src, name)).isDirectory())
      assert.ok(ORDER.includes(name), `src/${name} is not in ARCHITECTURE order`);
  }
});

test('imports only flow forward (no stage imports a later stage)', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = stageOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src)) continue;
      const to = stageOf(target);
      if (to === from) continue;
      const allowed =
        from === 'util'
          ? to === 'schema'
          : from === 'schema'
            ? false
            : ORDER.indexOf(to) < ORDER.indexOf(from);
      if (!allowed) violations.push(`${relative(repoRoot, file)} imports ${to}/ (${spec})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the guard itself catches a backward import', () => {
  const sample = "import { x } from '../serve/cli/main.js';";
  const spec = [...sample.matchAll(importRe)][0]?.[1];
  assert.equal(spec, '../serve/cli/main.js');
  assert.ok(ORDER.indexOf('serve') > ORDER.indexOf('flow'));
});
