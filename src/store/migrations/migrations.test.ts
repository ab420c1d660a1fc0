import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../sqlite/open.js';
import { applyMigrations, PICKET_APPLICATION_ID, StoreVersionError } from './apply.js';
import { latestSchemaVersion, migrations } from './list.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('migrations are numbered 1, 2, 3... with a description each', () => {
  migrations.forEach((m, i) => {
    assert.equal(m.version, i + 1);
    assert.ok(m.description.length > 10, `migration ${m.version} needs a description`);
  });
  assert.equal(latestSchemaVersion, migrations.length);
});

test('a version-1 database with data upgrades to the latest and keeps its rows', async () => {
  const path = join(dir, 'v1.db');
  const old = new Database(path);
  applyMigrations(old, path, migrations.slice(0, 1));
  assert.equal(old.pragma('user_version', { simple: true }), 1);
  // A flow as version 1 stored it: no wire byte columns yet.
  old
    .prepare(
      `INSERT INTO flows (uid, ts, orig_h, orig_p, resp_h, resp_p, proto, service, duration, orig_bytes, resp_bytes,
        conn_state, missed_bytes, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, ip_proto, vlan,
        inner_vlan, community_id, source)
       VALUES ('C1', 1700000000.5, '10.0.0.1', 5555, '10.0.0.2', 22, 'tcp', 'ssh', 1.5, 10, 20, 'SF', 0, 'ShADadFf',
        5, 300, 4, 250, 6, NULL, NULL, '1:abc=', NULL)`,
    )
    .run();
  old.prepare("INSERT INTO runs (command, started_at) VALUES ('analyze old.pcap', 1700000000)").run();
  old.close();

  const store = openSqliteStore(path);
  assert.equal((await store.stats()).schemaVersion, latestSchemaVersion);
  assert.deepEqual(await store.flow('C1'), {
    ts: 1700000000.5,
    uid: 'C1',
    origH: '10.0.0.1',
    origP: 5555,
    respH: '10.0.0.2',
    respP: 22,
    proto: 'tcp',
    service: 'ssh',
    duration: 1.5,
    origBytes: 10,
    respBytes: 20,
    connState: 'SF',
    missedBytes: 0,
    history: 'ShADadFf',
    origPkts: 5,
    origIpBytes: 300,
    respPkts: 4,
    respIpBytes: 250,
    ipProto: 6,
    origWireBytes: 0,
    respWireBytes: 0,
    communityId: '1:abc=',
  });
  // The tables of later versions exist and work on the upgraded file.
  const [run] = await store.runs();
  await store.writeProblems(run!.id, new Map([['x.y', 3]]), []);
  assert.deepEqual((await store.problems(run!.id)).counts, { 'x.y': 3 });
  await store.close();

  const raw = new Database(path, { readonly: true });
  assert.equal(raw.pragma('application_id', { simple: true }), PICKET_APPLICATION_ID);
  raw.close();
});

test('a failing migration rolls back every step and names the migration', () => {
  const path = join(dir, 'broken.db');
  const db = new Database(path);
  const broken = [
    ...migrations,
    { version: migrations.length + 1, description: 'a bad step', up: 'CREATE TABLE (' },
  ];
  assert.throws(() => applyMigrations(db, path, broken), /migration \d+ \(a bad step\) failed/);
  assert.equal(db.pragma('user_version', { simple: true }), 0);
  assert.equal(
    (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
    0,
  );
  db.close();
});

test('a database from a newer Picket is refused with advice, and left untouched', async () => {
  const path = join(dir, 'future.db');
  await openSqliteStore(path).close();
  const raw = new Database(path);
  raw.pragma(`user_version = ${latestSchemaVersion + 5}`);
  raw.pragma('journal_mode = DELETE'); // so the file alone holds everything and can be compared byte for byte
  raw.close();
  const before = readFileSync(path);
  assert.throws(
    () => openSqliteStore(path),
    (err: Error) =>
      err instanceof StoreVersionError &&
      err.message.includes(`schema version ${latestSchemaVersion + 5}`) &&
      err.message.includes(`up to ${latestSchemaVersion}`) &&
      /Upgrade Picket/.test(err.message) &&
      /--db/.test(err.message),
  );
  assert.throws(() => openSqliteStore(path, { readonly: true }), StoreVersionError);
  assert.deepEqual(readFileSync(path), before);
});

test('an SQLite file that Picket did not create is refused, not altered', () => {
  const path = join(dir, 'other.db');
  const other = new Database(path);
  other.exec('CREATE TABLE notes (body TEXT)');
  other.close();
  assert.throws(() => openSqliteStore(path), /not create/);
  const foreign = new Database(path);
  foreign.pragma('application_id = 42');
  foreign.close();
  assert.throws(() => openSqliteStore(path), /not a Picket database/);
});

test('a read-only open of an old database asks for an upgrade first', () => {
  const path = join(dir, 'old-ro.db');
  const db = new Database(path);
  applyMigrations(db, path, migrations.slice(0, 2));
  db.close();
  assert.throws(
    () => openSqliteStore(path, { readonly: true }),
    /older than this Picket's.*open it once for writing/,
  );
});

test('a version-5 database with events upgrades to one with assets and keeps its events', async () => {
  const path = join(dir, 'v5.db');
  const old = new Database(path);
  applyMigrations(old, path, migrations.slice(0, 5));
  old
    .prepare(
      `INSERT INTO events (uid, ts, type, class_uid, src, source_kind, data)
       VALUES ('E1', 1700000000, 'login-failure', 3002, '10.0.0.9', 'sshd', '{"uid":"E1"}')`,
    )
    .run();
  old.close();
  const store = openSqliteStore(path);
  const stats = await store.stats();
  assert.equal(stats.events, 1);
  assert.equal(stats.assets, 0);
  assert.deepEqual(await store.assets(), []);
  await store.close();
});
