/**
 * CLI for the lab: `sudo npx tsx test/lab/run.ts --scenario basic --out DIR`.
 * Refuses to run without root; prints what it does on stderr.
 */
import { parseArgs } from 'node:util';
import { runLab } from './lab.js';
import { SCENARIOS } from './scenarios.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'basic' },
    out: { type: 'string' },
    'keep-work': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.out) {
  process.stderr.write(
    `usage: npx tsx test/lab/run.ts --scenario NAME --out DIR [--keep-work]\nscenarios: ${Object.keys(SCENARIOS).join(', ')}\n`,
  );
  process.exit(values.help ? 0 : 2);
}
if (process.getuid?.() !== 0) {
  process.stderr.write(
    'picket lab: must run as root (it creates network namespaces, iptables rules and mounts)\n',
  );
  process.exit(1);
}

try {
  const r = await runLab({
    scenario: values.scenario ?? 'basic',
    out: values.out,
    keepWork: values['keep-work'] ?? false,
    log: (l) => process.stderr.write(`lab: ${l}\n`),
  });
  process.stderr.write(`lab: done, ${r.truth.length} actions, artefacts in ${r.out}\n`);
} catch (err) {
  process.stderr.write(`picket lab failed: ${(err as Error).message}\n`);
  process.exit(1);
}
