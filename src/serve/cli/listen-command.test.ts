/**
 * `picket listen` as a user runs it: a child process, real sockets on
 * loopback, SIGINT, then the JSON counters and the store on disk.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import {
  connectTcp,
  endTcp,
  octetFrame,
  sendUdp,
  udpSender,
  waitFor,
  writeAll,
} from '../../pipeline/listen-testing.js';
import { Bytes, concat, set, templateRecord, v9 } from '../../read/netflow/testing/build.js';
import { openStore } from '../../store/index.js';
import { ExitCode } from './exit-codes.js';
import { parseListenAddress } from './listen-command.js';

const cli = join(repoRoot, 'src', 'serve', 'cli', 'main.ts');
const lab = join(repoRoot, 'examples', 'lab');
const linesOf = (f: string) => readFileSync(join(lab, f), 'utf8').split('\n').filter(Boolean);

function picket(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `picket listen`, collecting its JSON lines. */
function startPicket(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, 'listen', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { child, lines, exited, stderr: () => err };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON lines from the child
type Json = any;

test('picket listen: syslog TCP+UDP and NetFlow into the store, JSON counters, SIGINT flushes', {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-listen-'));
  const db = join(dir, 'p.db');
  const p = startPicket([
    '--syslog-udp',
    '127.0.0.1:0',
    '--syslog-tcp',
    '127.0.0.1:0',
    '--netflow',
    '127.0.0.1:0',
    '--db',
    db,
    '--json',
    '--interval',
    '0.2',
  ]);
  try {
    await waitFor(() => p.lines.length > 0 || p.child.exitCode !== null, 'the listening line', 60_000);
    const hello: Json = p.lines[0];
    assert.equal(hello.event, 'listening', p.stderr());
    const addr = (kind: string) => hello.collectors.find((c: Json) => c.kind === kind).address as string;

    const auth = linesOf('auth.log').map((l) => `<38>${l}`);
    const tcp = await connectTcp(addr('syslog-tcp'));
    await writeAll(tcp, auth.map(octetFrame).join(''));
    await endTcp(tcp);
    const firewall = linesOf('firewall.log').map((l) => `<4>${l}`);
    const udpSent = await sendUdp(addr('syslog-udp'), [...firewall, 'garbage without a header']);
    const tpl = templateRecord(256, [
      [8, 4],
      [12, 4],
      [7, 2],
      [11, 2],
      [4, 1],
      [2, 4],
      [1, 4],
    ]);
    const flow = (i: number) =>
      new Bytes()
        .u32(0x0a000100 + i)
        .u32(0x0a000001)
        .u16(50000 + i)
        .u16(22)
        .u8(6)
        .u32(2)
        .u32(120)
        .bytes();
    const exporter = udpSender(addr('netflow-udp'));
    await exporter.send([v9([set(0, tpl), set(256, concat(flow(1), flow(2), flow(3)))], { seq: 1 })]);
    exporter.close();

    const last = () => [...p.lines].reverse().find((l: Json) => l.event === 'stats') as Json;
    const by = (s: Json, kind: string) => s.collectors.find((c: Json) => c.kind === kind);
    await waitFor(() => {
      const s = last();
      return (
        s !== undefined &&
        by(s, 'syslog-tcp').received === auth.length &&
        by(s, 'syslog-udp').received === udpSent &&
        by(s, 'netflow-udp').parsed === 3
      );
    }, 'the counters to show everything sent');
    p.child.kill('SIGINT');
    assert.equal(await p.exited, ExitCode.OK, p.stderr());

    const final: Json = p.lines.at(-1);
    assert.equal(final.event, 'final');
    const t = by(final, 'syslog-tcp');
    const u = by(final, 'syslog-udp');
    const n = by(final, 'netflow-udp');
    assert.equal(t.received, auth.length);
    assert.equal(t.rejected, 0);
    assert.equal(u.rejectedBy['syslog.no-header'], 1);
    assert.equal(u.events, firewall.length);
    assert.equal(n.events, 3);
    assert.equal(final.store.events, t.events + u.events + n.events);

    const store = await openStore(db);
    try {
      const counts = await store.countEvents();
      assert.equal(
        Object.values(counts).reduce((a, b) => a + b, 0),
        final.store.events,
      );
      assert.equal(counts['firewall-deny'], firewall.length);
      assert.equal(counts.connection, 3);
      const [run] = await store.runs({ limit: 1 });
      assert.match(run!.command, /^listen /);
      assert.ok(run!.finishedAt !== undefined, 'the run is finished');
      assert.equal((await store.problems(run!.id)).counts['syslog.no-header'], 1);
    } finally {
      await store.close();
    }
  } finally {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('picket listen: a port in use, a bad address and no collector are usage errors with a hint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-cli-listen-'));
  const db = join(dir, 'p.db');
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  try {
    const port = (busy.address() as { port: number }).port;
    const inUse = picket(['listen', '--syslog-tcp', `127.0.0.1:${port}`, '--db', db]);
    assert.equal(inUse.code, ExitCode.USAGE, inUse.stderr);
    assert.match(
      inUse.stderr,
      new RegExp(`syslog-tcp cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
    );
    assert.match(inUse.stderr, /hint: another program/);

    const bad = picket(['listen', '--netflow', '127.0.0.1:99999', '--db', db]);
    assert.equal(bad.code, ExitCode.USAGE);
    assert.match(bad.stderr, /--netflow "127\.0\.0\.1:99999" is not an address to listen on/);

    const none = picket(['listen', '--db', db]);
    assert.equal(none.code, ExitCode.USAGE);
    assert.match(none.stderr, /nothing to listen on/);
  } finally {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseListenAddress: PORT, HOST:PORT, [IPv6]:PORT', () => {
  assert.deepEqual(parseListenAddress('514', '--x'), { host: '0.0.0.0', port: 514 });
  assert.deepEqual(parseListenAddress('127.0.0.1:5514', '--x'), { host: '127.0.0.1', port: 5514 });
  assert.deepEqual(parseListenAddress('[::1]:2055', '--x'), { host: '::1', port: 2055 });
  assert.deepEqual(parseListenAddress('localhost:0', '--x'), { host: 'localhost', port: 0 });
  for (const bad of ['', ':514', '::1:514', '[zz]:1', 'host:', '70000', 'a b:1', '1.2.3.4:-1'])
    assert.throws(() => parseListenAddress(bad, '--x'), /not an address/, bad);
});
