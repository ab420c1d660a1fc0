/**
 * Several processes on one database file: two writers at once, and a writer
 * killed in the middle of a batch. These run real child processes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from './open.js';
import { syntheticFlows } from './testing/synthetic.js';

const child = new URL('./testing/write-flows-child.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'picket-procs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function startWriter(db: string, prefix: string, count: number, batch: number) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, db, prefix, String(count), String(batch)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, exited, out: () => out, err: () => err };
}

function waitFor(proc: ChildProcess, read: () => string, pattern: RegExp, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms; got: ${read()}`)), ms);
    const check = () => {
      if (pattern.test(read())) {
        clearTimeout(timer);
        proc.stdout!.off('data', check);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    check();
  });
}

test('two processes writing 50k flows each into one new file at the same time both finish', async (t) => {
  const db = join(dir, 'shared', 'picket.db');
  const a = startWriter(db, 'A', 50_000, 10_000);
  const b = startWriter(db, 'B', 50_000, 10_000);
  // Meanwhile this process reads: WAL readers see whole committed batches and never wait on the writers.
  const seen: number[] = [];
  let reader: Database.Database | undefined;
  const poll = setInterval(() => {
    try {
      reader ??= new Database(db, { readonly: true, fileMustExist: true });
      seen.push((reader.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n);
    } catch {
      // The file or its tables may not exist yet in the first few milliseconds.
    }
  }, 5);
  const [ea, eb] = await Promise.all([a.exited, b.exited]);
  clearInterval(poll);
  reader?.close();
  assert.ok(seen.length > 0, 'the reader never got to read');
  for (const n of seen) assert.equal(n % 10_000, 0, `a reader saw ${n} rows, part of a batch`);
  assert.deepEqual(
    seen,
    [...seen].sort((x, y) => x - y),
  );
  t.diagnostic(
    `reader took ${seen.length} snapshots while the writers ran; distinct counts ${new Set(seen).size}`,
  );
  assert.deepEqual(ea, { code: 0, signal: null }, a.err());
  assert.deepEqual(eb, { code: 0, signal: null }, b.err());

  const raw = new Database(db, { readonly: true });
  const byPrefix = raw
    .prepare('SELECT substr(uid, 1, 1) AS p, count(*) AS n FROM flows GROUP BY p ORDER BY p')
    .all();
  assert.deepEqual(byPrefix, [
    { p: 'A', n: 50_000 },
    { p: 'B', n: 50_000 },
  ]);
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  raw.close();
  for (const w of [a, b])
    t.diagnostic(`writer insert rate while contending: ${w.out().match(/rate (\d+)/)?.[1]} rows/s`);
});

test('a writer killed with SIGKILL mid-write leaves a sound file holding whole batches only', async (t) => {
  const db = join(dir, 'crash', 'picket.db');
  const batch = 10_000;
  const w = startWriter(db, 'K', 0, batch);
  await waitFor(w.proc, w.out, /done 2\n/, 60_000);
  // Kill as the next batch is being written, so the kill lands inside a transaction.
  await waitFor(w.proc, w.out, /begin 4\n/, 60_000);
  await new Promise((r) => setTimeout(r, 15));
  w.proc.kill('SIGKILL');
  assert.deepEqual(await w.exited, { code: null, signal: 'SIGKILL' });
  const done = [...w.out().matchAll(/done (\d+)/g)].length;
  const begun = [...w.out().matchAll(/begin (\d+)/g)].length;

  t.diagnostic(`killed after ${done} acknowledged batches, with ${begun - done} batch in flight`);
  const store = openSqliteStore(db);
  const raw = new Database(db, { readonly: true });
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  const flows = (await store.stats()).flows;
  assert.equal(flows % batch, 0, `${flows} rows is not a whole number of batches`);
  // Every acknowledged batch survived; at most the one in flight also made it.
  assert.ok(flows >= done * batch && flows <= begun * batch, `rows ${flows}, done ${done}, begun ${begun}`);
  // The batches present are complete and exactly the first ones.
  const batches = raw
    .prepare(
      `SELECT CAST(substr(uid, 3) AS INTEGER) / ${batch} AS b, count(*) AS n FROM flows GROUP BY b ORDER BY b`,
    )
    .all() as { b: number; n: number }[];
  assert.deepEqual(
    batches,
    Array.from({ length: flows / batch }, (_, b) => ({ b, n: batch })),
  );
  raw.close();
  // And the file keeps working.
  await store.writeFlows(syntheticFlows('after', 0, 10));
  assert.equal((await store.stats()).flows, flows + 10);
  await store.close();
});

test('insert rate for flows in 10k batches (measured, reported)', async (t) => {
  const store = openSqliteStore(join(dir, 'rate', 'picket.db'));
  const batches = Array.from({ length: 10 }, (_, i) => syntheticFlows('R', i * 10_000, 10_000));
  const start = performance.now();
  for (const b of batches) await store.writeFlows(b);
  const fresh = 100_000 / ((performance.now() - start) / 1000);
  const again = performance.now();
  for (const b of batches) await store.writeFlows(b);
  const upsert = 100_000 / ((performance.now() - again) / 1000);
  assert.equal((await store.stats()).flows, 100_000);
  await store.close();
  t.diagnostic(
    `new flows: ${Math.round(fresh)} rows/s; re-writing the same flows (upsert): ${Math.round(upsert)} rows/s`,
  );
});
