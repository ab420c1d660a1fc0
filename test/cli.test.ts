/**
 * The `picket` command end to end, as a user runs it: real files, the real
 * store on disk, real subprocesses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { needTools, repoRoot, sharedData } from './support/env.js';

const cli = join(repoRoot, 'src', 'serve', 'cli', 'main.ts');

function picket(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const httpGet = sharedData('pcaps/zeek/http/get.pcap');

test('analyze writes flows.jsonl, stores, and a second run does not duplicate', {
  skip: httpGet.skip,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const db = join(dir, 'p.db');
  const first = picket(['analyze', httpGet.path, '--db', db, '--out', join(dir, 'out'), '--json']);
  assert.equal(first.code, 0, first.stderr);
  const s = JSON.parse(first.stdout);
  assert.equal(s.inputs.length, 1);
  assert.ok(s.packets > 0);
  const lines = readFileSync(join(dir, 'out', 'flows.jsonl'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length, s.flows);
  const web = lines.map((l) => JSON.parse(l)).find((f) => f['id.resp_p'] === 80);
  assert.ok(web, 'the HTTP connection is in flows.jsonl');
  assert.equal(web.conn_state, 'SF');
  assert.equal(web.service, 'http');
  assert.match(web.community_id, /^1:[A-Za-z0-9+/]{27}=$/);
  assert.ok(s.http >= 1, 'the HTTP transaction was parsed');

  const listed = picket(['flows', '--db', db, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const before = listed.stdout.trim().split('\n').length;
  assert.equal(before, s.flows);

  const again = picket(['analyze', httpGet.path, '--db', db, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const after = picket(['flows', '--db', db, '--json']).stdout.trim().split('\n').length;
  assert.equal(after, before, 're-analysing the same capture adds no records');
});

test('session writes the packets of one connection to a pcap', {
  skip: httpGet.skip || needTools('tshark'),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const db = join(dir, 'p.db');
  assert.equal(picket(['analyze', httpGet.path, '--db', db, '--quiet']).code, 0);
  const flow = JSON.parse(
    picket(['flows', '--db', db, '--port', '80', '--json']).stdout.trim().split('\n')[0]!,
  );
  const out = join(dir, 'session.pcap');
  const r = picket(['session', flow.uid, '-o', out, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.packets, flow.orig_pkts + flow.resp_pkts);
  const t = spawnSync('tshark', ['-n', '-r', out, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  const streams = new Set(t.stdout.trim().split('\n'));
  assert.deepEqual([...streams], ['0'], 'exactly one TCP conversation in the session file');
});

test('unknown uid and non-capture input exit 3 with a hint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const junk = join(dir, 'notes.txt');
  writeFileSync(junk, 'this is not a capture\n');
  const r = picket(['analyze', junk, '--db', join(dir, 'p.db')]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /nothing readable/);
  assert.match(r.stderr, /hint:/);
  const s = picket(['session', 'Cnope', '-o', join(dir, 'x.pcap'), '--db', join(dir, 'p.db')]);
  assert.equal(s.code, 3);
  assert.match(s.stderr, /no flow with uid Cnope/);
});

test('a truncated capture is read up to the damage and the problem is reported with its offset', {
  skip: httpGet.skip,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const full = readFileSync(httpGet.path);
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, full.subarray(0, full.length - 7));
  const r = picket(['analyze', cut, '--no-store', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.ok(s.packets > 0, 'frames before the damage are read');
  assert.ok(s.problems.total >= 1);
  const sample = s.problems.samples[0];
  assert.equal(sample.file, cut);
  assert.equal(typeof sample.offset, 'number');
});

test('a usage error exits 2', () => {
  assert.equal(picket(['analyze']).code, 2);
  assert.equal(picket(['no-such-command']).code, 2);
});

test('the bundled example analyses (the quick start): capture and logs, idempotent in the store', {
  skip: existsSync(join(repoRoot, 'examples', 'lab')) ? false : 'examples/lab not made yet',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const db = join(dir, 'p.db');
  const r = picket(['analyze', 'examples/lab', '--db', db, '--out', join(dir, 'out'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.ok(s.packets > 100);
  assert.ok(s.flowsByState.S0 || s.flowsByState.REJ, 'the scans left unanswered or rejected probes');
  const formats = s.inputs.map((i: { format: string }) => i.format).sort();
  assert.deepEqual(formats, [
    'log:firewall',
    'log:sshd',
    'log:weblog',
    'log:weblog',
    'netflow:nfcapd',
    'pcap',
  ]);
  assert.ok(s.eventsByType['login-failure'] >= 6, 'hydra left failed logins in auth.log');
  assert.ok(s.eventsByType['firewall-deny'] >= 1);
  assert.ok(s.eventsByType['web-access'] >= 1);
  const lines = readFileSync(join(dir, 'out', 'events.jsonl'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length, s.events);
  const failed = lines.map((l) => JSON.parse(l)).filter((e) => e.type === 'login-failure');
  assert.ok(
    failed.every((e) => e.src === '10.99.1.67' && e.source.file.endsWith('auth.log') && e.source.line > 0),
  );
  const again = picket(['analyze', 'examples/lab', '--db', db, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const raw = new Database(db, { readonly: true });
  const counts = raw
    .prepare('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM flows) AS flows')
    .get() as { events: number; flows: number };
  raw.close();
  assert.deepEqual(counts, { events: s.events, flows: s.flows }, 'a second run adds no records');
});

const etScan = sharedData('rules/et-open-suricata-5.0/emerging-scan.rules');

test('rules check reports the coverage of a ruleset', { skip: etScan.skip }, () => {
  const r = picket(['rules', 'check', etScan.path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  for (const k of ['total', 'enabled', 'full', 'partial', 'rejected']) assert.equal(typeof c[k], 'number', k);
  assert.ok(c.enabled > 100);
  assert.equal(c.full + c.partial + c.rejected, c.total);
  assert.ok(c.full / c.total > 0.99);
  const bad = picket(['rules', 'check', etScan.path, '--var', 'no-equals-sign']);
  assert.equal(bad.code, 2, bad.stderr);
});

test('summary shows, per address, what each source recorded over time', {
  skip: existsSync(join(repoRoot, 'examples', 'lab')) ? false : 'examples/lab not made yet',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const db = join(dir, 'p.db');
  assert.equal(picket(['analyze', 'examples/lab', '--db', db, '--quiet']).code, 0);
  const brute = picket(['summary', '--src', '10.99.1.67', '--db', db, '--bucket', '1d', '--json']);
  assert.equal(brute.code, 0, brute.stderr);
  const cells: { type: string; sourceKind: string; count: number; bucket: number }[] = JSON.parse(
    brute.stdout,
  ).cells;
  const count = (type: string, kind: string) =>
    cells.filter((c) => c.type === type && c.sourceKind === kind).reduce((n, c) => n + c.count, 0);
  assert.ok(count('login-failure', 'sshd') >= 6, 'the sshd log saw the brute force');
  assert.ok(count('connection', 'pcap') >= 6, 'the capture saw its connections');
  assert.equal(count('firewall-deny', 'firewall'), 0, 'the firewall let SSH through');
  const scanner = JSON.parse(picket(['summary', '--src', '10.99.1.66', '--db', db, '--json']).stdout)
    .cells as typeof cells;
  assert.ok(scanner.some((c) => c.type === 'firewall-deny' && c.sourceKind === 'firewall'));
  assert.ok(scanner.some((c) => c.type === 'connection-refused' && c.sourceKind === 'pcap'));
  assert.ok(
    scanner.some((c) => c.type === 'connection' && c.sourceKind === 'netflow'),
    'NetFlow saw the scanner too',
  );
  const text = picket(['summary', '--src', '10.99.1.67', '--db', db]);
  assert.match(text.stdout, /^Type summary for 10\.99\.1\.67 \(per 1h, UTC\)/);
  assert.match(text.stdout, /login-failure\s+sshd/);
  assert.equal(picket(['summary', '--bucket', '0h', '--db', db]).code, 2);
});

test('events export as OCSF or ECS JSON for other tools', {
  skip: existsSync(join(repoRoot, 'examples', 'lab')) ? false : 'examples/lab not made yet',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
  const read = (sub: string) =>
    readFileSync(join(dir, sub, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  for (const f of ['picket', 'ocsf', 'ecs']) {
    const r = picket([
      'analyze',
      'examples/lab/auth.log',
      '--no-store',
      '--quiet',
      '--out',
      join(dir, f),
      '--format',
      f,
    ]);
    assert.equal(r.code, 0, r.stderr);
  }
  const own = read('picket');
  const ocsf = read('ocsf');
  const ecs = read('ecs');
  assert.equal(ocsf.length, own.length);
  assert.equal(ecs.length, own.length);
  const i = own.findIndex((e) => e.type === 'login-failure');
  assert.ok(i >= 0);
  assert.equal(ocsf[i].class_uid, own[i].classUid);
  assert.equal(ocsf[i].type_uid, ocsf[i].class_uid * 100 + ocsf[i].activity_id);
  assert.equal(ocsf[i].time, Math.round(own[i].ts * 1000));
  assert.equal(ocsf[i].src_endpoint.ip, '10.99.1.67');
  assert.equal(ecs[i]['@timestamp'], new Date(own[i].ts * 1000).toISOString());
  assert.equal(ecs[i].source.ip, '10.99.1.67');
  assert.equal(ecs[i].event.outcome, 'failure');
  assert.equal(picket(['analyze', 'examples/lab', '--no-store', '--format', 'xml']).code, 2);
});
