import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { runVerifySuite, runVerifyTest } from './runner.js';

const suite = sharedData('verify');

// The measured floor: raising it is the point; a drop is a regression.
const MIN_PASSING = 137;

test('suricata-verify conformance: the alert checks of TESTS.txt', { skip: suite.skip }, () => {
  const results = runVerifySuite(suite.path);
  const failed = results.filter((r) => r.status !== 'pass');
  const passed = results.length - failed.length;
  for (const r of failed)
    console.log(
      `  ${r.status} ${r.name}: ${[r.reason, ...r.failures].filter(Boolean).join(' | ').slice(0, 300)}`,
    );
  console.log(`  ${passed}/${results.length} verify tests pass`);
  assert.ok(results.length >= 140, `TESTS.txt lists ${results.length} tests`);
  assert.ok(passed >= MIN_PASSING, `${passed} pass, expected at least ${MIN_PASSING}`);
});

test('a verify test with a missing capture fails with the reason, not a crash', { skip: suite.skip }, () => {
  const r = runVerifyTest(`${suite.path}/tests/linktype_name`, 'linktype_name');
  assert.equal(r.status, 'fail');
  assert.match(r.reason ?? '', /not available/);
});

test('count: 0 checks fail when the rule fires', { skip: suite.skip }, () => {
  // alert-no-3whs-established expects no alert: content without a handshake must not count as established.
  const r = runVerifyTest(`${suite.path}/tests/alert-no-3whs-established`);
  assert.equal(r.status, 'pass');
  assert.equal(r.alerts, 0);
});
