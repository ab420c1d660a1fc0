import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Alarm } from '../../schema/alarm.js';
import { buildAlarm } from '../../triage/alarm/build.js';
import { builtGroup, unknownSteps } from '../../triage/alarm/testing/steps.js';
import { openSqliteStore, openStore } from '../index.js';
import { applyMigrations } from '../migrations/apply.js';
import { migrations } from '../migrations/list.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-alarms-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_795_432_331;
const NESSUS = 'ET SCAN Nessus User Agent';
const JOOMLA = 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)';
const BRUTE = 'ET SCAN LibSSH Based Frequent SSH Connections Likely Bruteforce Attack';

/** Five alarms with distinct sources, targets, rules, dispositions and priorities (and hostile text). */
function alarms(): Alarm[] {
  const hostileUa = '}__test|O:21:"JDatabaseDriverMysqli":3:{s:4:"\\0\\0\\0a";<script>\u202e\u0000';
  return [
    buildAlarm(
      builtGroup(NESSUS, { sid: 2002664, src: '10.99.1.68', dst: '10.99.0.10', ts: T0 }),
      unknownSteps(NESSUS, 'scan', {
        connection: { established: 'yes' },
        response: { answered: 'yes', attemptFailed: 'no', http: { status: 200, server: 'nginx/1.22.1' } },
      }),
    ),
    buildAlarm(
      builtGroup(JOOMLA, { sid: 2022261, src: '10.99.1.68', dst: '10.99.0.10', ts: T0 + 5 }),
      unknownSteps(JOOMLA, 'exploit', {
        connection: { established: 'yes' },
        rule: { matched: [{ buffer: 'http.user_agent', excerpt: hostileUa, start: 0, end: 9 }] },
        response: { answered: 'yes', http: { status: 200 } },
        relevance: { applicable: 'no', reason: 'nginx, no Joomla' },
      }),
    ),
    buildAlarm(
      builtGroup(BRUTE, {
        sid: 2006546,
        src: '10.99.1.67',
        dst: '10.99.0.11',
        dstPort: 22,
        ts: T0 + 10,
        count: 40,
      }),
      unknownSteps(BRUTE, 'brute-force', {
        connection: { established: 'yes' },
        response: { answered: 'yes', attemptFailed: 'yes', loginSucceeded: 'no', basis: 'sshd' },
      }),
    ),
    buildAlarm(
      builtGroup(BRUTE, {
        sid: 2006546,
        src: '10.99.1.70',
        dst: '10.99.0.11',
        dstPort: 22,
        ts: T0 + 20,
        count: 9,
      }),
      unknownSteps(BRUTE, 'brute-force', {
        connection: { established: 'yes' },
        response: { answered: 'yes', attemptFailed: 'no', loginSucceeded: 'yes', basis: 'sshd' },
      }),
    ),
    buildAlarm(
      builtGroup(NESSUS, { sid: 2002664, src: '10.99.1.66', dst: '10.99.0.12', ts: T0 + 30 }),
      unknownSteps(NESSUS, 'scan', { connection: { blocked: 'yes', established: 'no' } }),
    ),
  ];
}

const byTime = (xs: Alarm[]) => [...xs].sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : 1));

test('alarms round-trip exactly through a database file and read back after reopening read-only', async () => {
  const all = alarms();
  assert.deepEqual(
    all.map((a) => a.disposition),
    ['needs-investigation', 'not-applicable', 'failed-attempt', 'likely-compromise', 'blocked'],
  );
  const path = join(dir, 'roundtrip.db');
  const store = openSqliteStore(path);
  const run = await store.beginRun({ command: 'analyze examples/lab', inputs: [] });
  await store.writeAlarms(all, run);
  await store.close();

  const again = openSqliteStore(path, { readonly: true });
  assert.deepEqual(await again.queryAlarms(), byTime(all));
  assert.deepEqual(await again.alarm(all[1]!.uid), all[1]);
  assert.equal((await again.alarm(all[1]!.uid))?.rule.matched[0]?.excerpt, all[1]!.rule.matched[0]?.excerpt);
  assert.equal(await again.alarm('Anosuchalarm'), undefined);
  await again.close();
});

test('queries filter by source, target, sid, disposition, priority, time overlap, run and limit', async () => {
  const all = alarms();
  const store = openSqliteStore(join(dir, 'query.db'));
  const run = await store.beginRun({ command: 'analyze', inputs: [] });
  await store.writeAlarms(all, run);
  const srcs = async (q: Parameters<typeof store.queryAlarms>[0]) =>
    (await store.queryAlarms(q)).map((a) => a.src);

  assert.deepEqual(await srcs({ src: '10.99.1.68' }), ['10.99.1.68', '10.99.1.68']);
  assert.deepEqual(await srcs({ dst: '10.99.0.11' }), ['10.99.1.67', '10.99.1.70']);
  assert.deepEqual(await srcs({ sid: 2002664 }), ['10.99.1.68', '10.99.1.66']);
  assert.deepEqual(await srcs({ disposition: 'likely-compromise' }), ['10.99.1.70']);
  assert.deepEqual(await srcs({ priority: 'critical' }), ['10.99.1.70']);
  assert.deepEqual(await srcs({ sid: 2006546, priority: 'medium' }), ['10.99.1.67']);
  // The brute force of 40 alerts spans T0+10 … T0+29: a window after its start still meets it.
  assert.deepEqual(await srcs({ since: T0 + 25, until: T0 + 26 }), ['10.99.1.67', '10.99.1.70']);
  assert.deepEqual(await srcs({ until: T0 }), []);
  assert.equal((await store.queryAlarms({ limit: 2 })).length, 2);
  assert.equal((await store.queryAlarms({ runId: run })).length, all.length);
  assert.equal((await store.queryAlarms({ runId: run + 1 })).length, 0);
  await assert.rejects(store.queryAlarms({ limit: -1 }), /limit must be a non-negative number/);
  await store.close();
});

test('re-analysis stores each alarm once; the newer run takes it and its new verdict', async () => {
  const path = join(dir, 'upsert.db');
  const all = alarms();
  const store = openSqliteStore(path);
  const first = await store.beginRun({ command: 'analyze', inputs: [] });
  await store.writeAlarms(all, first);
  const second = await store.beginRun({ command: 'analyze', inputs: [] });
  const changed = all.map((a, i) =>
    i === 0 ? { ...a, disposition: 'no-action' as const, priority: 'low' as const } : a,
  );
  await store.writeAlarms(changed, second);
  await store.writeAlarms(changed.slice(0, 1));

  const raw = new Database(path, { readonly: true });
  assert.equal((raw.prepare('SELECT count(*) AS n FROM alarms').get() as { n: number }).n, all.length);
  assert.deepEqual(raw.prepare('SELECT DISTINCT run_id AS r FROM alarms').all(), [{ r: second }]);
  assert.deepEqual(raw.prepare('SELECT disposition FROM alarms WHERE uid = ?').get(all[0]!.uid), {
    disposition: 'no-action',
  });
  raw.close();
  assert.equal((await store.alarm(all[0]!.uid))?.disposition, 'no-action');
  assert.deepEqual(await store.queryAlarms({ disposition: 'needs-investigation' }), []);
  await store.close();
});

test('through the writer thread, alarms wait for earlier bulk writes and read back', async () => {
  const store = await openStore(join(dir, 'worker.db'));
  const run = await store.beginRun({ command: 'analyze', inputs: [] });
  await store.writeAlarms(alarms(), run);
  assert.equal((await store.queryAlarms({ runId: run })).length, 5);
  await store.close();
});

test('a version-7 database upgrades to hold alarms', async () => {
  const path = join(dir, 'v7.db');
  const db = new Database(path);
  applyMigrations(
    db,
    path,
    migrations.filter((m) => m.version <= 7),
  );
  db.close();
  const store = openSqliteStore(path);
  const [one] = alarms();
  await store.writeAlarms([one!]);
  assert.deepEqual(await store.queryAlarms(), [one]);
  await store.close();
});
