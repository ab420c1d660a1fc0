/**
 * Asset observations in the store: exact round trip, upsert by uid, the
 * latest observation per address, through the inline and the writer-thread
 * store alike, and across a reopen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { assetSchema } from '../../schema/asset.js';
import { openStore } from '../index.js';
import { openSqliteStore } from './open.js';
import { syntheticAsset } from './testing/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-assets-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `a${n++}`, 'picket.db');

for (const writer of ['inline', 'worker'] as const) {
  test(`${writer} writer: assets round-trip exactly and the latest observation per address wins`, async () => {
    const path = fresh();
    const store = await openStore(path, { writer });
    const older = syntheticAsset('10.0.0.5', 1_700_000_000, 0);
    const newer = syntheticAsset('10.0.0.5', 1_700_000_500, 1);
    const v6 = syntheticAsset('2001:db8::10', 1_700_000_100, 2);
    const other = syntheticAsset('10.0.0.4', 1_600_000_000, 3);
    for (const a of [older, newer, v6, other]) assetSchema.parse(a);
    await store.writeAssets([newer, v6, older]);
    await store.writeAssets([other, older]); // again: stored once
    assert.equal((await store.stats()).assets, 4);

    assert.deepEqual(await store.assets('10.0.0.5'), [newer]);
    assert.deepEqual(await store.assets('2001:DB8:0::10'), [v6], 'any spelling of the address');
    assert.deepEqual(await store.assets('10.0.0.6'), []);
    assert.deepEqual(await store.assets(), [other, newer, v6], 'one per address, in address order');
    assert.deepEqual(await store.assets(undefined, 2), [other, newer]);
    assert.equal((await store.assets('10.0.0.5'))[0]!.services[0]!.version, '9.1p1');

    // A rewrite of the same uid replaces the observation.
    const changed = { ...newer, status: 'down', services: [] };
    await store.writeAssets([changed]);
    assert.deepEqual(await store.assets('10.0.0.5'), [changed]);
    await store.close();

    const again = openSqliteStore(path, { readonly: true });
    assert.deepEqual(await again.assets('10.0.0.5'), [changed]);
    await again.close();
  });
}

test('ties in observation time are broken by uid, so the answer is stable', async () => {
  const store = openSqliteStore(fresh());
  const a = { ...syntheticAsset('10.1.1.1', 5, 0), uid: 'A-b' };
  const b = { ...syntheticAsset('10.1.1.1', 5, 1), uid: 'A-a' };
  await store.writeAssets([a, b]);
  assert.deepEqual(await store.assets('10.1.1.1'), [a]);
  await store.close();
});

test('any text in an asset survives the store', async () => {
  const store = openSqliteStore(fresh());
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  await fc.assert(
    fc.asyncProperty(text, text, fc.integer({ min: 0, max: 2e9 }), async (product, script, ts) => {
      const base = syntheticAsset('192.0.2.7', ts, ts);
      const a = {
        ...base,
        uid: `u${ts}`,
        services: [{ ...base.services[0]!, product, scripts: { x: script } }],
      };
      await store.writeAssets([a]);
      const [back] = await store.assets('192.0.2.7');
      if (back!.uid === a.uid) assert.deepEqual(back, a);
      else assert.ok(back!.ts >= a.ts);
    }),
    { numRuns: 100 },
  );
  await store.close();
});

test('a bad asset names itself and leaves the batch unwritten', async () => {
  const store = openSqliteStore(fresh());
  const good = syntheticAsset('10.2.2.2', 1);
  const bad = { ...syntheticAsset('10.2.2.3', 2), uid: 'A-bad', address: null as unknown as string };
  await assert.rejects(store.writeAssets([good, bad]), /cannot write asset A-bad/);
  assert.equal((await store.stats()).assets, 0);
  await store.close();
});
