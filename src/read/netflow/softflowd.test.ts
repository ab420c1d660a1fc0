/**
 * Real exporters: softflowd turns a capture into NetFlow v9 / IPFIX sent at
 * to Picket (a UDP socket on 127.0.0.1), which relays each datagram unchanged to nfcapd
 * (softflowd exports only to its last -n); nfdump's CSV of
 * what nfcapd stored must equal Picket's decode, record for record.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, sharedData } from '../../../test/support/env.js';
import { createProblemLog } from '../../util/problems.js';
import { parseNfdumpCsv } from './nfdump-csv.js';
import type { NetflowRecord } from './record.js';
import { createNetflowSession } from './session.js';

const tools = needTools('softflowd', 'nfcapd', 'nfdump');
const pcap = sharedData('pcaps/sweeps/hs-tcp_synPingSweepRand.pcapng');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  s.close();
  return p;
}

async function waitExit(p: ChildProcess, ms: number): Promise<void> {
  if (p.exitCode !== null) return;
  await Promise.race([new Promise((r) => p.once('exit', r)), sleep(ms)]);
}

async function exportBoth(version: 5 | 9 | 10) {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nf-'));
  const problems = createProblemLog();
  const ours: NetflowRecord[] = [];
  const session = createNetflowSession({ problems, onRecord: (r) => r.kind === 'flow' && ours.push(r) });
  const sock = createSocket('udp4');
  let datagrams = 0;
  sock.on('message', (msg, rinfo) => {
    datagrams++;
    session.datagram(msg, `${rinfo.address}:${rinfo.port}`, Date.now() / 1000);
    sock.send(msg, capPort, '127.0.0.1');
  });
  const capPort = await freePort();
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const ourPort = (sock.address() as AddressInfo).port;
  const nfcapd = spawn('nfcapd', ['-w', dir, '-p', String(capPort), '-b', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    // nfcapd says "Startup" once its socket is bound (bounded wait).
    let log = '';
    await Promise.race([
      new Promise<void>((r) => {
        const on = (d: Buffer) => {
          log += d.toString();
          if (log.includes('Startup')) r();
        };
        nfcapd.stdout!.on('data', on);
        nfcapd.stderr!.on('data', on);
      }),
      sleep(5000),
    ]);
    await sleep(100);
    // softflowd sends only to its last -n, and two runs differ in export times, so Picket's
    // socket relays every datagram unchanged to nfcapd: both decode the same bytes.
    const sf = spawnSync(
      'softflowd',
      ['-r', pcap.path, '-n', `127.0.0.1:${ourPort}`, '-v', String(version), '-c', 'none', '-d'],
      { timeout: 20_000, encoding: 'utf8' },
    );
    assert.equal(sf.status, 0, `softflowd: ${sf.stderr}`);
    // Wait until our socket has been quiet for a while (bounded), then let nfcapd write.
    let last = -1;
    for (let i = 0; i < 40 && last !== datagrams; i++) {
      last = datagrams;
      await sleep(150);
    }
    await sleep(300);
  } finally {
    nfcapd.kill('SIGTERM');
    await waitExit(nfcapd, 5000);
    if (nfcapd.exitCode === null) nfcapd.kill('SIGKILL');
    sock.close();
  }
  const files = readdirSync(dir).filter((f) => f.startsWith('nfcapd.'));

  assert.ok(files.length > 0, 'nfcapd wrote a file');
  const theirs: NetflowRecord[] = [];
  for (const f of files) {
    const out = spawnSync('nfdump', ['-r', join(dir, f), '-o', 'csv', '-q'], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
      timeout: 20_000,
    });
    assert.equal(out.status, 0, out.stderr);
    const text = out.stdout.startsWith('ts,')
      ? out.stdout
      : `ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt\n${out.stdout}`;
    parseNfdumpCsv(
      text,
      (r) => theirs.push(r),
      (p) => assert.fail(p.message),
    );
  }
  rmSync(dir, { recursive: true, force: true });
  session.flush();
  return { ours, theirs, problems, datagrams };
}

const key = (r: NetflowRecord) =>
  `${r.srcAddr}|${r.srcPort}|${r.dstAddr}|${r.dstPort}|${r.proto}|${r.packets}|${r.bytes}`;
/** 2^32 ms: a 32-bit uptime wrap, in seconds. */
const WRAP = 4294967.296;

for (const version of [5, 9, 10] as const) {
  test(`softflowd -v ${version}: Picket's decode equals nfdump's, record for record`, {
    skip: tools || pcap.skip,
    timeout: 60_000,
  }, async () => {
    const { ours, theirs, problems, datagrams } = await exportBoth(version);
    assert.equal(problems.total(), 0, JSON.stringify(problems.samples));
    assert.ok(datagrams > 0 && ours.length > 100, `${ours.length} flows from ${datagrams} datagrams`);
    assert.equal(ours.length, theirs.length, 'same number of flows');
    const want = new Map<string, NetflowRecord[]>();
    for (const t of theirs) {
      const k = key(t);
      want.set(k, [...(want.get(k) ?? []), t]);
    }
    let same = 0;
    let badTd = 0;
    let wrapped = 0;
    for (const o of ours) {
      const list = want.get(key(o));
      assert.ok(list && list.length > 0, `nfdump has no flow ${key(o)}`);
      const t = list.shift()!;
      assert.equal(o.packets, t.packets, `packets of ${key(o)}`);
      assert.equal(o.bytes, t.bytes, `bytes of ${key(o)}`);
      assert.equal(o.tcpFlags, t.tcpFlags, `flags of ${key(o)}`);
      // softflowd -r stamps flows with the capture's (later) times while sysUptime follows the clock:
      // first/last exceed sysUptime. We read the difference as signed (flow after export);
      // nfdump reads v5's as unsigned, 2^32 ms earlier. Either agree or differ by exactly that wrap.
      const shift = Math.abs(o.start! - t.start! - WRAP) < 2 ? WRAP : 0;
      if (shift) wrapped++;
      assert.equal(Math.floor(o.start! - shift), t.start, `start of ${key(o)}`);
      assert.equal(Math.floor(o.end! - shift), Math.floor(t.end!), `end of ${key(o)}`);
      const td = t.fields.durationSeconds;
      // nfdump 1.7.1 prints an underflowed td (~2^64 ms) for some IPFIX sysUpTime flows; not a duration.
      if (typeof td === 'number' && td > 1e9) badTd++;
      else if (typeof td === 'number')
        assert.ok(Math.abs(o.end! - o.start! - td) < 0.0015, `duration of ${key(o)}`);
      same++;
    }
    console.log(
      `softflowd v${version}: ${same}/${theirs.length} flows equal nfdump's (${datagrams} datagrams; ${badTd} nfdump durations unusable; ${wrapped} v5 times exactly 2^32 ms apart)`,
    );
  });
}
