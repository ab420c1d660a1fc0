// Runs the suricata-verify conformance suite and prints one line per test.
import { resolve } from 'node:path';
import { runVerifySuite } from '../src/rules/verify/runner.js';

const root = resolve(process.argv[2] ?? '../shared/data/verify');
const filter = process.argv[3];
const results = runVerifySuite(root, filter ? (n) => n.includes(filter) : undefined);
let pass = 0;
for (const r of results) {
  if (r.status === 'pass') pass++;
  const extra = [r.reason, ...r.failures, ...r.rejectedRules.map((x) => `rejected ${x}`)]
    .filter(Boolean)
    .join(' | ');
  console.log(`${r.status.padEnd(4)} ${r.name} (${r.alerts} alerts) ${extra}`);
}
console.log(`${pass}/${results.length} pass (${((100 * pass) / results.length).toFixed(1)}%)`);
