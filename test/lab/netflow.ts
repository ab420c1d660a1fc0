/**
 * NetFlow for the lab: softflowd replays the capture and exports NetFlow v9
 * to nfcapd on the gateway namespace's own loopback; nfdump turns the
 * resulting file into CSV. Both the nfcapd file and the CSV are kept.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { labEnv, type Processes, waitFor } from './services.js';
import { inNs, run } from './topology.js';

const PORT = 2055;

/** Export `pcap` as NetFlow v9 into out/netflow; returns the nfcapd file name and the CSV row count. */
export async function exportNetflow(
  p: Processes,
  ns: string,
  pcap: string,
  out: string,
  work: string,
): Promise<{ file: string; rows: number }> {
  const dir = join(out, 'netflow');
  mkdirSync(dir, { recursive: true });
  p.start(
    'nfcapd',
    ns,
    ['nfcapd', '-w', dir, '-b', '127.0.0.1', '-p', String(PORT)],
    join(work, 'nfcapd.out'),
  );
  await waitFor('nfcapd on udp/2055', () => run(inNs(ns, ['ss', '-Hlun', `sport = :${PORT}`])).trim() !== '');
  const sf = spawnSync(
    'ip',
    inNs(ns, [
      'softflowd',
      '-d',
      '-a',
      '-r',
      pcap,
      '-n',
      `127.0.0.1:${PORT}`,
      '-v',
      '9',
      '-p',
      join(work, 'softflowd.pid'),
      // No control socket: with -r, softflowd 1.1.0 may block in accept() on it
      // (its poll state is read uninitialised), hanging depending on the environment.
      '-c',
      'none',
    ]).slice(1),
    { encoding: 'utf8', env: labEnv(), timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  writeFileSync(join(work, 'softflowd.out'), `${sf.stdout}${sf.stderr}`);
  if (sf.status !== 0) throw new Error(`softflowd failed (${sf.status}): ${sf.stderr}`);
  await sleep(1000);
  await p.stopOne('nfcapd');
  const files = readdirSync(dir).filter((f) => /^nfcapd\.\d{12}$/.test(f));
  const file = files[0];
  if (files.length !== 1 || !file)
    throw new Error(`expected one nfcapd file in ${dir}, found: ${readdirSync(dir).join(', ')}`);
  const csv = run(['nfdump', '-r', join(dir, file), '-o', 'csv']);
  writeFileSync(join(dir, 'flows.csv'), csv);
  return { file, rows: Math.max(0, csv.split('\n').filter((l) => /^\d{4}-/.test(l)).length) };
}
