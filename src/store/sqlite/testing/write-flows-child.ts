/**
 * A separate process that writes synthetic flows into a store, for the
 * concurrency and crash tests: `node --import tsx write-flows-child.ts DB PREFIX COUNT BATCH`.
 * COUNT 0 means "until killed". Before each batch it prints `begin N`, after
 * it `done N` (written synchronously, so the parent sees them in order).
 */
import { writeSync } from 'node:fs';
import { openSqliteStore } from '../open.js';
import { syntheticFlows } from './synthetic.js';

const [dbPath, prefix, countArg, batchArg] = process.argv.slice(2);
if (!dbPath || !prefix) throw new Error('usage: write-flows-child.ts DB PREFIX COUNT BATCH');
const count = Number(countArg ?? 0);
const batch = Number(batchArg ?? 10_000);

const store = openSqliteStore(dbPath, { batchSize: batch });
const started = performance.now();
let written = 0;
for (let n = 0; count === 0 || written < count; n++) {
  const rows = syntheticFlows(prefix, n * batch, count === 0 ? batch : Math.min(batch, count - written));
  writeSync(1, `begin ${n}\n`);
  await store.writeFlows(rows);
  written += rows.length;
  writeSync(1, `done ${n}\n`);
}
const seconds = (performance.now() - started) / 1000;
await store.close();
writeSync(1, `rate ${Math.round(written / seconds)}\n`);
