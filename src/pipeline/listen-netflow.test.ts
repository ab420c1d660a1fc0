/**
 * Real exporters into the live collector: softflowd exports the lab capture
 * to `startListeners`' NetFlow socket, and (in a second run, since softflowd
 * exports to one target only) to nfcapd. The stored connection events must
 * equal nfdump's records, record for record on the 5-tuple, packets and bytes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, repoRoot } from '../../test/support/env.js';
import { parseNfdumpCsv } from '../read/netflow/nfdump-csv.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import type { Event } from '../schema/event.js';
import { openStore } from '../store/index.js';
import { createProblemLog } from '../util/problems.js';
import { startListeners } from './listen.js';
import { splitHostPort, udpReceiveQueue, waitFor } from './listen-testing.js';

const tools = needTools('softflowd', 'nfcapd', 'nfdump');
const capture = join(repoRoot, 'examples', 'lab', 'capture.pcap');

/** Runs softflowd over the capture to 127.0.0.1:port; resolves when it has exited (everything sent). */
async function softflowd(port: number, version: 5 | 9 | 10): Promise<void> {
  const p = spawn(
    'softflowd',
    ['-r', capture, '-n', `127.0.0.1:${port}`, '-v', String(version), '-c', 'none', '-d'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  p.stderr!.on('data', (d) => {
    err += d;
  });
  const code = await exitOf(p, 30_000);
  assert.equal(code, 0, `softflowd: ${err}`);
}

async function exitOf(p: ChildProcess, maxMs: number): Promise<number | null> {
  if (p.exitCode !== null) return p.exitCode;
  const t = setTimeout(() => p.kill('SIGKILL'), maxMs);
  const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
  clearTimeout(t);
  return code;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** What nfcapd stored of a softflowd run, as nfdump prints it. */
async function viaNfcapd(version: 5 | 9 | 10): Promise<NetflowRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nfcapd-'));
  const port = await freeUdpPort();
  const nfcapd = spawn('nfcapd', ['-w', dir, '-p', String(port), '-b', '127.0.0.1', '-B', String(4 << 20)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let log = '';
    const onOut = (d: Buffer) => {
      log += d;
    };
    nfcapd.stdout!.on('data', onOut);
    nfcapd.stderr!.on('data', onOut);
    await waitFor(() => log.includes('Startup') || nfcapd.exitCode !== null, 'nfcapd to start', 10_000);
    assert.equal(nfcapd.exitCode, null, `nfcapd: ${log}`);
    await softflowd(port, version);
    await waitFor(() => udpReceiveQueue(port) === 0, "nfcapd's socket to be read", 10_000);
    nfcapd.kill('SIGTERM');
    await exitOf(nfcapd, 10_000);
    const out: NetflowRecord[] = [];
    for (const f of readdirSync(dir).filter((n) => n.startsWith('nfcapd.'))) {
      const r = spawnSync('nfdump', ['-r', join(dir, f), '-o', 'csv', '-q'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
        timeout: 20_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const text = r.stdout.startsWith('ts,')
        ? r.stdout
        : `ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt\n${r.stdout}`;
      parseNfdumpCsv(
        text,
        (rec) => out.push(rec),
        (p) => assert.fail(p.message),
      );
    }
    return out;
  } finally {
    if (nfcapd.exitCode === null) nfcapd.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const protoNumber: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, 'ipv6-icmp': 58 };
const isIcmp = (p: number | undefined) => p === 1 || p === 58;
/**
 * The 5-tuple with packets and bytes. ICMP has no ports: nfdump prints type·256+code as its
 * destination port, which v5 events carry but v9/IPFIX events do not, so ICMP is compared without.
 */
function key(
  src: unknown,
  sp: number | undefined,
  dst: unknown,
  dp: number | undefined,
  proto: number | undefined,
  pk: unknown,
  by: unknown,
) {
  const ports = isIcmp(proto) ? '-|-' : `${sp ?? 0}|${dp ?? 0}`;
  return `${src}|${dst}|${ports}|${proto}|${pk}|${by}`;
}
const eventKey = (e: Event) =>
  key(e.src, e.srcPort, e.dst, e.dstPort, protoNumber[e.proto ?? ''] ?? Number(e.proto), e.packets, e.bytes);
const recordKey = (r: NetflowRecord) =>
  key(r.srcAddr, r.srcPort, r.dstAddr, r.dstPort, r.proto, r.packets, r.bytes);

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

for (const version of [5, 9, 10] as const) {
  test(`softflowd -v ${version} into picket listen: stored events equal nfcapd's records`, {
    skip: tools,
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'picket-listen-nf-'));
    const store = await openStore(join(dir, 'p.db'));
    const problems = createProblemLog();
    const l = await startListeners({ netflowUdp: { host: '127.0.0.1', port: 0 }, store, problems });
    try {
      const at = l.stats().collectors[0]!.address;
      const { port } = splitHostPort(at);
      await softflowd(port, version);
      // softflowd has exited, so every datagram is in our socket or counted as a kernel drop.
      await waitFor(() => udpReceiveQueue(port) === 0, 'our socket to be read');
      const final = await l.close();
      const c = final.collectors[0]!;
      assert.equal(c.kernelDropped, 0);
      assert.equal(c.dropped, 0);
      assert.equal(c.rejected, 0, JSON.stringify(problems.samples));
      const events = await store.events({ sourceKind: 'netflow', limit: 1_000_000 });
      assert.equal(events.length, c.events);
      assert.ok(events.length > 10, `${events.length} flows`);
      for (const e of events) {
        assert.equal(e.type, 'connection');
        assert.equal(e.source.sender, '127.0.0.1');
        assert.equal(e.source.format, version === 5 ? 'netflow-v5' : version === 9 ? 'netflow-v9' : 'ipfix');
      }
      const theirs = await viaNfcapd(version);
      assert.equal(events.length, theirs.length, 'as many flows as nfcapd stored');
      assert.deepEqual(multiset(events.map(eventKey)), multiset(theirs.map(recordKey)));
      console.log(`softflowd v${version}: ${events.length} flows stored = nfdump's ${theirs.length}`);
    } finally {
      await l.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
