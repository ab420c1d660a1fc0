/**
 * The writer-thread store: same results as the inline one, reads see earlier
 * writes, errors reach the caller, memory stays bounded, close drains.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { FlowRecord } from '../../schema/flow.js';
import { openStore } from '../index.js';
import { forEachPackedFlow, packFlows } from './flow-pack.js';
import { openSqliteStore } from './open.js';
import { flowParams } from './rows.js';
import { syntheticFlow, syntheticFlows, syntheticHttp, syntheticSsh } from './testing/synthetic.js';
import { MAX_IN_FLIGHT } from './worker-store.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `w${n++}`, 'picket.db');

test('packing keeps every field, absent optionals and any text', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ uid: text, origH: text, history: text, source: fc.option(text, { nil: undefined }) }),
        { maxLength: 20 },
      ),
      (parts) => {
        const flows = parts.map((p, i) => {
          const f: FlowRecord = { ...syntheticFlow('p', i), uid: p.uid, origH: p.origH, history: p.history };
          if (p.source === undefined) delete f.source;
          else f.source = p.source;
          return f;
        });
        const seen: unknown[][] = [];
        forEachPackedFlow(packFlows(flows, 0, flows.length), (params) => seen.push([...params]));
        const inline = flows.map((f) => {
          const s = flowParams(f);
          return s;
        });
        assert.deepEqual(seen, inline);
      },
    ),
  );
});

test('written through the thread, every record reads back exactly, and reads see earlier writes', async () => {
  const store = openSqliteStore(fresh(), { writer: 'worker', batchSize: 1000 });
  const flows = syntheticFlows('wt', 0, 5500);
  await store.writeFlows(flows);
  await store.writeHttp([syntheticHttp('wt-1', 0), syntheticHttp('wt-1', 1)]);
  await store.writeSsh([syntheticSsh('wt-2')]);
  // No flush: the read itself waits for the writes before it.
  assert.equal((await store.stats()).flows, 5500);
  for (const i of [0, 1, 7, 11, 999, 1000, 5499]) assert.deepEqual(await store.flow(`wt-${i}`), flows[i]);
  assert.equal((await store.httpFor('wt-1')).length, 2);
  assert.deepEqual(await store.sshFor('wt-2'), syntheticSsh('wt-2'));
  await store.writeFlows(flows); // upsert: no duplicates
  assert.equal((await store.stats()).flows, 5500);
  await store.close();
});

test('close commits everything handed over, and the file is sound', async () => {
  const path = fresh();
  const store = openSqliteStore(path, { writer: 'worker', batchSize: 2000 });
  for (let b = 0; b < 20; b++) await store.writeFlows(syntheticFlows('cl', b * 2000, 2000));
  await store.close();
  const raw = new Database(path, { readonly: true });
  assert.equal((raw.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n, 40_000);
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  raw.close();
});

test('at most MAX_IN_FLIGHT batches wait for the thread: a write call waits for room', async () => {
  const store = openSqliteStore(fresh(), { writer: 'worker', batchSize: 500 });
  // One call of many batches returns only after all but the last few are committed.
  const total = 500 * (MAX_IN_FLIGHT * 4);
  await store.writeFlows(syntheticFlows('bp', 0, total));
  const raw = new Database(store.path, { readonly: true });
  const committed = (raw.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n;
  raw.close();
  assert.ok(committed >= total - 500 * MAX_IN_FLIGHT, `only ${committed} of ${total} committed`);
  await store.close();
});

test('a batch the database refuses is reported by the next flush, naming the record; other batches stay', async () => {
  const store = openSqliteStore(fresh(), { writer: 'worker', batchSize: 10 });
  const broken = { ...syntheticFlow('bad', 12), origP: 'x' as unknown as number };
  await store.writeFlows(syntheticFlows('ok', 0, 10));
  await store.writeFlows([syntheticFlow('bad', 11), broken]);
  await store.writeFlows(syntheticFlows('ok', 10, 10));
  await assert.rejects(store.flush(), /cannot write flow bad-12/);
  await store.flush(); // reported once
  assert.equal((await store.stats()).flows, 20);
  assert.equal(await store.flow('bad-11'), undefined, 'the failing batch is not half-written');
  await store.close();
});

test('openStore writes through the thread; a store only queried starts none', async () => {
  const path = fresh();
  const store = await openStore(path);
  await store.writeFlows(syntheticFlows('os', 0, 3));
  assert.equal((await store.stats()).flows, 3);
  await store.close();
  const reader = await openStore(path);
  assert.equal((await reader.flows({ limit: 10 })).length, 3);
  await reader.close();
  await assert.rejects(reader.writeFlows([syntheticFlow('late', 0)]), /after close/);
});
