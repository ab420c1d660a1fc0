/**
 * Step 1 over random evidence: whatever the lookup answers (records that do
 * not even fit the question, NaN counts, hostile strings), the verdict never
 * throws and its tri-states stay consistent.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forRandomGroups, tri, UNSAFE } from './testing/random-evidence.js';
import { connectionVerdict } from './verdict.js';

test('connectionVerdict over random lookups: never throws, tri-states valid and consistent', async () => {
  await forRandomGroups(false, async (g, lookup) => {
    const v = await connectionVerdict(g, lookup);
    for (const s of [v.established, v.dataExchanged, v.blocked]) assert.ok(tri.has(s), s);
    if (v.dataExchanged === 'yes') assert.notEqual(v.established, 'no', v.summary);
    if (v.established === 'no') assert.equal(v.dataExchanged, 'no', v.summary);
    if (v.blocked === 'yes' && !g.alerts.some((a) => a.action === 'denied'))
      assert.notEqual(v.established, 'yes');
    assert.ok(v.summary.length > 0);
    for (const t of [v.summary, ...v.evidence.map((e) => e.note ?? '')]) assert.doesNotMatch(t, UNSAFE);
    assert.ok(v.evidence.length <= 40);
    const counts = [v.packetsToServer, v.packetsToClient, v.bytesToServer, v.bytesToClient];
    assert.ok(counts.every((c) => c === undefined) || counts.every((c) => typeof c === 'number'));
  });
});
