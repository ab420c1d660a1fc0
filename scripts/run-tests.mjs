#!/usr/bin/env node
// Runs every colocated *.test.ts (src/, test/) with node's test runner through tsx.
// Arguments narrow the set: `npm test -- src/read` runs the tests under src/read only.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'test'];
const files = [];
function walk(dir) {
  let st;
  try {
    st = statSync(dir);
  } catch {
    return;
  }
  if (st.isFile()) {
    if (dir.endsWith('.test.ts')) files.push(dir);
    return;
  }
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'work' || name.startsWith('.')) continue;
    walk(join(dir, name));
  }
}
for (const r of roots) walk(join(root, r));
files.sort();
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(res.status ?? 1);
