import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Event } from '../../schema/event.js';
import { createProblemLog } from '../../util/problems.js';
import { DEFAULT_STORE_PATH, latestSchemaVersion, openStore } from '../index.js';
import { openSqliteStore } from './open.js';
import { syntheticFlow, syntheticFlows, syntheticHttp, syntheticSsh } from './testing/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `t${n++}`, 'sub', 'picket.db');

test('creates the parent folder, uses WAL, and stamps the latest schema version', async () => {
  const path = fresh();
  const store = openSqliteStore(path);
  assert.ok(existsSync(path));
  const raw = new Database(path, { readonly: true });
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(raw.pragma('user_version', { simple: true }), latestSchemaVersion);
  raw.close();
  assert.deepEqual(await store.stats(), {
    flows: 0,
    http: 0,
    ssh: 0,
    events: 0,
    assets: 0,
    runs: 0,
    schemaVersion: latestSchemaVersion,
  });
  await store.close();
});

test('every record type round-trips exactly, optional fields included and omitted', async () => {
  const store = openSqliteStore(fresh());
  const flows = syntheticFlows('rt', 0, 12); // covers vlan/innerVlan/source present and absent
  await store.writeFlows(flows);
  for (const f of flows) assert.deepEqual(await store.flow(f.uid), f);
  assert.equal(await store.flow('nope'), undefined);

  const txs = [syntheticHttp('rt-1', 1), syntheticHttp('rt-1', 0), syntheticHttp('rt-2', 0)];
  await store.writeHttp(txs);
  assert.deepEqual(await store.httpFor('rt-1'), [txs[1], txs[0]]);
  assert.deepEqual(await store.httpFor('rt-2'), [txs[2]]);
  assert.deepEqual(await store.httpFor('rt-3'), []);

  const banner = syntheticSsh('rt-0');
  await store.writeSsh([banner]);
  assert.deepEqual(await store.sshFor('rt-0'), banner);
  assert.equal(await store.sshFor('rt-1'), undefined);
  await store.close();
});

test('writing the same records twice stores them once; a rewrite replaces the values', async () => {
  const path = fresh();
  const store = openSqliteStore(path, { batchSize: 1000 });
  const flows = syntheticFlows('id', 0, 2500);
  await store.writeFlows(flows);
  await store.writeFlows(flows);
  await store.writeHttp([syntheticHttp('id-1', 0), syntheticHttp('id-1', 0)]);
  await store.writeSsh([syntheticSsh('id-1')]);
  await store.writeSsh([syntheticSsh('id-1')]);
  assert.deepEqual(await store.stats(), {
    flows: 2500,
    http: 1,
    ssh: 1,
    events: 0,
    assets: 0,
    runs: 0,
    schemaVersion: latestSchemaVersion,
  });

  const changed = { ...syntheticFlow('id', 5), connState: 'SF' as const, history: 'ShAdDaFf', duration: 9.5 };
  await store.writeFlows([changed]);
  assert.deepEqual(await store.flow('id-5'), changed);
  await store.close();

  // A second open of the same file sees the same data (nothing lived only in memory).
  const again = openSqliteStore(path);
  assert.equal((await again.stats()).flows, 2500);
  await again.close();
});

test('flow queries filter by address, port, protocol, time and state, oldest first', async () => {
  const store = openSqliteStore(fresh());
  const all = syntheticFlows('q', 0, 3000);
  await store.writeFlows(all);
  const expect = (pred: (f: (typeof all)[0]) => boolean, limit = 1000) => all.filter(pred).slice(0, limit);

  assert.deepEqual(
    await store.flows({ src: '10.0.1.7' }),
    expect((f) => f.origH === '10.0.1.7'),
  );
  assert.deepEqual(
    await store.flows({ dst: 'fe80::1', limit: 50 }),
    expect((f) => f.respH === 'fe80::1', 50),
  );
  assert.deepEqual(
    await store.flows({ host: '192.168.1.3', port: 443 }),
    expect((f) => (f.origH === '192.168.1.3' || f.respH === '192.168.1.3') && f.respP === 443),
  );
  const since = all[100]!.ts;
  const until = all[200]!.ts;
  const window = await store.flows({ since, until, connState: 'REJ' });
  assert.deepEqual(
    window,
    expect((f) => f.ts >= since && f.ts < until && f.connState === 'REJ'),
  );
  assert.ok(window.length > 0);
  assert.deepEqual(
    await store.flows({ proto: 'udp', limit: 5 }),
    expect((f) => f.proto === 'udp', 5),
  );
  assert.equal((await store.flows()).length, 1000);
  assert.equal((await store.flows({ limit: 0 })).length, 0);
  await assert.rejects(store.flows({ limit: -1 }), /limit/);
  await assert.rejects(store.flows({ limit: 5e6 }), /narrow the query/);

  const states: Record<string, number> = {};
  for (const f of all) states[f.connState] = (states[f.connState] ?? 0) + 1;
  assert.deepEqual(await store.countFlowsByState(), states);
  const s0Udp = all.filter((f) => f.proto === 'udp' && f.connState === 'S0').length;
  assert.deepEqual(await store.countFlowsByState({ proto: 'udp', connState: 'S0' }), { S0: s0Udp });
  await store.close();
});

test('top talkers rank originators (or responders) by flows or by bytes', async () => {
  const store = openSqliteStore(fresh());
  const all = syntheticFlows('tt', 0, 2000);
  await store.writeFlows(all);
  const tally = (key: 'origH' | 'respH') => {
    const m = new Map<string, { addr: string; flows: number; bytes: number }>();
    for (const f of all) {
      const t = m.get(f[key]) ?? { addr: f[key], flows: 0, bytes: 0 };
      t.flows++;
      t.bytes += f.origIpBytes + f.respIpBytes;
      m.set(f[key], t);
    }
    return [...m.values()];
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byBytes = tally('origH').sort(
    (a, b) => b.bytes - a.bytes || b.flows - a.flows || cmp(a.addr, b.addr),
  );
  assert.deepEqual(await store.topTalkers({ limit: 5, by: 'bytes' }), byBytes.slice(0, 5));
  const byFlows = tally('respH').sort(
    (a, b) => b.flows - a.flows || b.bytes - a.bytes || cmp(a.addr, b.addr),
  );
  assert.deepEqual(await store.topTalkers({ limit: 3, by: 'flows', side: 'resp' }), byFlows.slice(0, 3));
  const ssh = await store.topTalkers({ limit: 100, by: 'flows', port: 22, side: 'resp' });
  assert.equal(
    ssh.reduce((s, t) => s + t.flows, 0),
    all.filter((f) => f.respP === 22).length,
  );
  await store.close();
});

test('runs keep their inputs, summary and problems; lookup by input fingerprint', async () => {
  const store = openSqliteStore(fresh());
  const inputs = [
    { path: '/cap/a.pcap', size: 1234, mtime: 1_700_000_000.5, fingerprint: 'sha256:aa' },
    { path: '/cap/b.pcap', size: 99, fingerprint: 'sha256:bb' },
  ];
  const r1 = await store.beginRun({ command: 'analyze /cap/a.pcap /cap/b.pcap', inputs });
  const r2 = await store.beginRun({ command: 'analyze /cap/b.pcap', inputs: [inputs[1]!] });
  assert.notEqual(r1, r2);
  assert.deepEqual(await store.runsForFingerprint('sha256:bb'), [], 'unfinished runs do not count');
  await store.finishRun(r1, { flows: 12, nested: { ok: true } });
  await assert.rejects(store.finishRun(9999, {}), /no run with id 9999/);

  const [latest, first] = await store.runs();
  assert.equal(latest!.id, r2);
  assert.equal(latest!.finishedAt, undefined);
  assert.deepEqual(first!.inputs, inputs);
  assert.deepEqual(first!.summary, { flows: 12, nested: { ok: true } });
  assert.ok(first!.finishedAt! >= first!.startedAt);
  assert.deepEqual(
    (await store.runsForFingerprint('sha256:bb')).map((r) => r.id),
    [r1],
  );

  const log = createProblemLog(2);
  for (let i = 0; i < 5; i++) {
    log.add({
      stage: 'read',
      code: 'pcap.truncated-record',
      message: `cut ${i}`,
      file: 'a.pcap',
      offset: 24 + i,
    });
  }
  log.add({ stage: 'decode', code: 'tcp.bad-offset', message: 'bad', frame: 0, line: 3 });
  await store.writeProblems(r1, log.counts, log.samples);
  await store.writeProblems(r1, log.counts, log.samples); // replaces, does not add
  const stored = await store.problems(r1);
  assert.deepEqual(stored.counts, { 'pcap.truncated-record': 5, 'tcp.bad-offset': 1 });
  assert.deepEqual(stored.samples, log.samples);
  assert.deepEqual(await store.problems(r2), { counts: {}, samples: [] });
  assert.equal((await store.stats()).runs, 2);
  await store.close();
});

test('openStore accepts sqlite:PATH and plain paths, and refuses unknown kinds', async () => {
  const a = fresh();
  const s1 = await openStore(`sqlite:${a}`);
  await s1.writeFlows([syntheticFlow('spec', 1)]);
  await s1.close();
  const s2 = await openStore(a);
  assert.equal((await s2.stats()).flows, 1);
  await s2.close();
  await assert.rejects(
    openStore('clickhouse://localhost:8123/picket'),
    /ClickHouse backend is not available/,
  );
  await assert.rejects(openStore('postgres://x/y'), /unknown store kind/);
  assert.equal(DEFAULT_STORE_PATH, join('.picket', 'picket.db'));
});

test('a read-only store reads but cannot write', async () => {
  const path = fresh();
  const w = openSqliteStore(path);
  await w.writeFlows([syntheticFlow('ro', 1)]);
  const r = openSqliteStore(path, { readonly: true });
  assert.deepEqual(await r.flow('ro-1'), syntheticFlow('ro', 1));
  await assert.rejects(r.writeFlows([syntheticFlow('ro', 2)]), /readonly/);
  await r.close();
  await w.close();
  // Also with no writer around (the WAL side files are gone then).
  const alone = openSqliteStore(path, { readonly: true });
  assert.equal((await alone.stats()).flows, 1);
  await alone.close();
  assert.throws(() => openSqliteStore(join(dir, 'missing.db'), { readonly: true }));
});

test('a record that does not fit the schema is a clear error naming it, and its batch is not half-written', async () => {
  const store = openSqliteStore(fresh());
  const good = syntheticFlow('bad', 1);
  const broken = { ...syntheticFlow('bad', 2), origP: 'x' as unknown as number };
  await assert.rejects(store.writeFlows([good, broken]), /cannot write flow bad-2/);
  assert.equal((await store.stats()).flows, 0);
  await store.close();
});

test('events round-trip as written, filter by address, type and time, count by type, and upsert by uid', async () => {
  const store = await openStore(fresh());
  const mk = (i: number, type: 'firewall-deny' | 'login-failure', src: string): Event => ({
    ts: 1_700_000_000 + i,
    uid: `E${i}`,
    type,
    classUid: type === 'firewall-deny' ? 4001 : 3002,
    activityId: 1,
    src,
    dst: '10.0.0.1',
    dstPort: 22,
    action: type === 'firewall-deny' ? 'denied' : 'unknown',
    message: `event ${i} \u202e<script>`,
    source: {
      kind: type === 'firewall-deny' ? 'firewall' : 'sshd',
      format: 'test',
      file: '/x.log',
      line: i + 1,
    },
    attrs: { n: i },
  });
  const events = [
    mk(0, 'firewall-deny', '203.0.113.9'),
    mk(1, 'login-failure', '203.0.113.9'),
    mk(2, 'firewall-deny', '198.51.100.7'),
  ];
  await store.writeEvents(events);
  await store.writeEvents(events);
  assert.equal((await store.stats()).events, 3);
  assert.deepEqual(await store.events(), events);
  assert.deepEqual(
    (await store.events({ src: '203.0.113.9' })).map((e) => e.uid),
    ['E0', 'E1'],
  );
  assert.deepEqual(
    (await store.events({ type: 'firewall-deny', since: 1_700_000_001 })).map((e) => e.uid),
    ['E2'],
  );
  assert.deepEqual(await store.countEvents({ host: '10.0.0.1' }), { 'firewall-deny': 2, 'login-failure': 1 });
  await store.close();
});
