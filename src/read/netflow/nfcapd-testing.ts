/**
 * Test support: real nfcapd files made by Debian's tools (softflowd exporting
 * the lab capture to nfcapd; nfpcapd; `nfdump -w` re-writes with another
 * compression) and nfdump's own reading of them as the reference.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNfdumpCsv } from './nfdump-csv.js';
import type { NetflowRecord } from './record.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A UDP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  s.close();
  return p;
}

/** Resolves when the child prints `word` on stdout or stderr, or after `ms` at the latest. */
export function waitFor(p: ChildProcess, word: string, ms: number): Promise<void> {
  let log = '';
  return Promise.race([
    new Promise<void>((r) => {
      const on = (d: Buffer) => {
        log += d.toString();
        if (log.includes(word)) r();
      };
      p.stdout?.on('data', on);
      p.stderr?.on('data', on);
    }),
    sleep(ms),
  ]);
}

/** Sends `signal` to a running child, waits up to 5 s for it to exit, then kills it. */
export async function stopChild(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill(signal);
  await Promise.race([new Promise((r) => p.once('exit', r)), sleep(5000)]);
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

/** A fresh temporary folder for one test's files. */
export function nfcapdTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'picket-nfcapd-'));
}

/**
 * softflowd reads `pcap` and exports NetFlow `version` to an nfcapd on
 * loopback, started with `nfcapdFlags` (e.g. ['-z'] for LZO); returns the files
 * nfcapd wrote.
 */
export async function softflowdToNfcapd(
  pcap: string,
  version: 5 | 9 | 10,
  dir: string,
  nfcapdFlags: string[] = [],
): Promise<string[]> {
  const port = await freePort();
  const nfcapd = spawn('nfcapd', ['-w', dir, '-p', String(port), '-b', '127.0.0.1', ...nfcapdFlags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await waitFor(nfcapd, 'Startup', 5000);
    await sleep(200);
    const sf = spawnSync(
      'softflowd',
      ['-r', pcap, '-n', `127.0.0.1:${port}`, '-v', String(version), '-c', 'none', '-d'],
      {
        timeout: 20_000,
        encoding: 'utf8',
      },
    );
    if (sf.status !== 0) throw new Error(`softflowd failed: ${sf.stderr}`);
    await sleep(700);
  } finally {
    await stopChild(nfcapd, 'SIGTERM');
  }
  return readdirSync(dir)
    .filter((f) => f.startsWith('nfcapd.'))
    .map((f) => join(dir, f));
}

/** `nfdump -r src -w dst` with a compression flag ('-z' LZO, '-y' LZ4, '-j' BZ2, '' none). */
export function rewriteNfcapd(src: string, dst: string, flag: '' | '-z' | '-y' | '-j'): string {
  const args = ['-r', src, '-w', dst];
  if (flag) args.push(flag);
  const r = spawnSync('nfdump', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`nfdump -w failed: ${r.stderr}`);
  return dst;
}

/** nfdump's reading of a file: its CSV rows as NetflowRecords, each with nfdump's ms start and received times. */
export function nfdumpReference(file: string): NetflowRecord[] {
  const run = (args: string[]) => {
    const r = spawnSync('nfdump', ['-r', file, ...args], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
      timeout: 60_000,
      maxBuffer: 1 << 30,
    });
    if (r.status !== 0) throw new Error(`nfdump failed: ${r.stderr}`);
    return r.stdout;
  };
  const rows: NetflowRecord[] = [];
  parseNfdumpCsv(
    run(['-o', 'csv']),
    (r) => rows.push(r),
    (p) => {
      throw new Error(`nfdump CSV: ${p.message}`);
    },
  );
  // CSV times are whole seconds; the fmt output gives the same rows' times in ms.
  const times = run(['-q', '-o', 'fmt:%tsr|%trr'])
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (times.length !== rows.length)
    throw new Error(`nfdump gave ${rows.length} CSV rows but ${times.length} time rows`);
  for (let i = 0; i < rows.length; i++) {
    const [ts, tr] = times[i]!.split('|').map((s) => Number(s.trim()));
    rows[i]!.start = ts!;
    rows[i]!.recvTs = tr!;
  }
  return rows;
}
