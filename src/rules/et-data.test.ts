/** Real data: both ET sets and every suricata-verify rules file load without a crash; coverage asserted. */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import { rulesCheck } from './check.js';
import { loadRules } from './load.js';

const suricata = sharedData('rules/et-open-suricata-5.0');
const snort = sharedData('rules/et-open-snort-2.9');
const verify = sharedData('verify/tests');

for (const [name, d, enabledCount] of [
  ['Suricata 5.0', suricata, 24827],
  ['Snort 2.9', snort, 9799],
] as const) {
  test(`ET open ${name}: all rules load, >= 99% of enabled rules are full`, { skip: d.skip }, () => {
    const r = loadRules([d.path]);
    const c = rulesCheck(r);
    console.log(`${name}: ${JSON.stringify({ ...c, rejectReasons: undefined })}`);
    assert.equal(c.enabled, enabledCount);
    assert.ok(c.enabledFull / c.enabled >= 0.99, `enabled full ${c.enabledFull}/${c.enabled}`);
    assert.ok(r.classifications.size > 30, 'classification.config beside the rules is read');
  });
}

test('every suricata-verify rules file loads without a crash', { skip: verify.skip }, () => {
  const files: string[] = [];
  for (const t of readdirSync(verify.path)) {
    const dir = join(verify.path, t);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.rules')) files.push(join(dir, f));
  }
  assert.ok(files.length > 50);
  // Each test is its own rule set (they reuse sids), so each file loads alone.
  let total = 0;
  let loaded = 0;
  const reasons: string[] = [];
  for (const f of files) {
    const c = rulesCheck(loadRules([f]));
    total += c.total;
    loaded += c.full + c.partial;
    for (const r of Object.keys(c.rejectReasons)) reasons.push(r);
  }
  console.log(
    `verify: ${files.length} files, ${loaded}/${total} rules loaded; rejected: ${reasons.join(' | ')}`,
  );
  // verify's rules are Suricata 6/7 syntax with keywords beyond ET's; the floor
  // is the level reached, so a regression fails.
  assert.ok(loaded >= 0.88 * total, `${loaded}/${total} loaded`);
});
