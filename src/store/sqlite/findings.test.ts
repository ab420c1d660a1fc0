import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildIncidents } from '../../detect/incident/build.js';
import {
  BRUTE,
  LAB_T0,
  labFindings,
  labSummaries,
  SCANNER,
  WEBBOT,
} from '../../detect/incident/testing/lab-story.js';
import { openSqliteStore, openStore } from '../index.js';
import { applyMigrations } from '../migrations/apply.js';
import { migrations } from '../migrations/list.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-findings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const findings = labFindings();
const incidents = buildIncidents({ findings, addresses: labSummaries() });

test('findings and incidents round-trip exactly through a database file, and survive reopening', async () => {
  const path = join(dir, 'roundtrip.db');
  const store = openSqliteStore(path);
  const run = await store.beginRun({ command: 'analyze examples/lab', inputs: [] });
  await store.writeFindings(findings, run);
  await store.writeIncidents(incidents, run);
  await store.close();

  const again = openSqliteStore(path, { readonly: true });
  const byTime = [...findings].sort((a, b) => a.ts - b.ts || a.uid.localeCompare(b.uid));
  assert.deepEqual(await again.queryFindings({ limit: 100 }), byTime);
  const incidentsByTime = [...incidents].sort((a, b) => a.ts - b.ts || a.uid.localeCompare(b.uid));
  assert.deepEqual(await again.queryIncidents(), incidentsByTime);
  await again.close();
});

test('queries filter by address, kind, time overlap, run and limit', async () => {
  const store = openSqliteStore(join(dir, 'query.db'));
  const run = await store.beginRun({ command: 'analyze', inputs: [] });
  await store.writeFindings(findings, run);
  await store.writeIncidents(incidents, run);

  const scanner = await store.queryFindings({ src: SCANNER });
  assert.equal(scanner.length, findings.filter((f) => f.src === SCANNER).length);
  assert.ok(scanner.every((f) => f.src === SCANNER));
  const sweeps = await store.queryFindings({ src: SCANNER, kind: 'sweep' });
  assert.deepEqual(sweeps.map((f) => f.sourceKind).sort(), ['firewall', 'netflow', 'pcap']);
  assert.deepEqual(
    (await store.queryFindings({ kind: 'brute-force' })).map((f) => f.src),
    [BRUTE, BRUTE],
  );

  // Overlap: a window after the sweep but inside the brute force.
  const late = await store.queryFindings({ since: LAB_T0 + 9.5, until: LAB_T0 + 20 });
  assert.deepEqual(
    late.map((f) => `${f.src} ${f.kind} ${f.sourceKind}`),
    [`${BRUTE} brute-force pcap`],
  );
  assert.deepEqual(await store.queryFindings({ until: LAB_T0 - 1 }), []);
  assert.equal((await store.queryFindings({ limit: 2 })).length, 2);
  assert.equal((await store.queryFindings({ runId: run + 1 })).length, 0);

  assert.deepEqual(
    (await store.queryIncidents({ src: WEBBOT })).map((i) => i.src),
    [WEBBOT],
  );
  const during = await store.queryIncidents({ since: LAB_T0 + 9.95, until: LAB_T0 + 9.99 });
  assert.deepEqual(during.map((i) => i.src).sort(), [SCANNER, WEBBOT].sort());
  assert.equal((await store.queryIncidents({ runId: run })).length, incidents.length);
  await assert.rejects(store.queryIncidents({ limit: -1 }), /limit must be a non-negative number/);
  await store.close();
});

test('re-analysis stores each finding and incident once; the newer run takes them, a write without a run keeps it', async () => {
  const path = join(dir, 'upsert.db');
  const store = openSqliteStore(path);
  const first = await store.beginRun({ command: 'analyze', inputs: [] });
  await store.writeFindings(findings, first);
  await store.writeIncidents(incidents, first);
  const second = await store.beginRun({ command: 'analyze', inputs: [] });
  const retitled = incidents.map((i) => (i.src === SCANNER ? { ...i, title: 'changed', severityId: 5 } : i));
  await store.writeFindings(findings, second);
  await store.writeIncidents(retitled, second);
  await store.writeIncidents(retitled.slice(0, 1));

  const raw = new Database(path, { readonly: true });
  const count = (t: string) => (raw.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  assert.equal(count('findings'), findings.length);
  assert.equal(count('incidents'), incidents.length);
  const runs = raw.prepare('SELECT DISTINCT run_id AS r FROM incidents').all() as { r: number }[];
  assert.deepEqual(runs, [{ r: second }]);
  raw.close();
  assert.equal((await store.queryIncidents({ runId: first })).length, 0);
  const [scanner] = await store.queryIncidents({ src: SCANNER, runId: second });
  assert.equal(scanner?.title, 'changed');
  assert.equal(scanner?.severityId, 5);
  await store.close();
});

test('through the writer thread, findings wait for earlier bulk writes and read back', async () => {
  const path = join(dir, 'worker.db');
  const store = await openStore(path);
  const run = await store.beginRun({ command: 'analyze', inputs: [] });
  await store.writeFindings(findings, run);
  await store.writeIncidents(incidents, run);
  assert.equal((await store.queryFindings({ runId: run, limit: 1000 })).length, findings.length);
  assert.equal((await store.queryIncidents({ runId: run })).length, incidents.length);
  await store.close();
});

test('a version-6 database upgrades to hold findings and incidents', async () => {
  const path = join(dir, 'v6.db');
  const db = new Database(path);
  applyMigrations(db, path, migrations.slice(0, 6));
  db.close();
  const store = openSqliteStore(path);
  await store.writeFindings(findings.slice(0, 1));
  assert.deepEqual(await store.queryFindings(), findings.slice(0, 1));
  await store.close();
});
