/**
 * Step 3 over random evidence: whatever the lookup answers (records that do
 * not fit the question, NaN counts, hostile URIs and statuses), the verdict
 * never throws and its tri-states stay consistent. The generators are
 * shared with src/triage/connection/property.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forRandomGroups, tri, UNSAFE } from '../connection/testing/random-evidence.js';
import { responseVerdict } from './verdict.js';

const bases = new Set(['http', 'weblog', 'eve', 'sshd', 'session-shape', 'flow', 'none']);

test('responseVerdict over random lookups: never throws, tri-states valid and consistent', async () => {
  await forRandomGroups(true, async (g, lookup) => {
    const v = await responseVerdict(g, lookup);
    for (const s of [v.answered, v.attemptFailed, v.loginSucceeded ?? 'unknown']) assert.ok(tri.has(s), s);
    assert.ok(bases.has(v.basis), v.basis);
    if (v.loginSucceeded === 'yes') assert.equal(v.attemptFailed, 'no');
    if (v.loginSucceeded === 'no') assert.equal(v.basis, 'sshd', 'only sshd logs may say no login');
    if (v.http?.status !== undefined) assert.equal(v.answered, 'yes');
    if (v.basis === 'none') assert.equal(v.answered, 'unknown');
    assert.ok(v.meaning.length > 0);
    for (const t of [v.meaning, ...v.evidence.map((e) => e.note ?? '')]) assert.doesNotMatch(t, UNSAFE);
    assert.ok(v.evidence.length <= 20);
  });
});
