/**
 * The benchmark capture, shared by the capture and rule-engine benchmarks:
 * time-shifted copies of every Ethernet capture in ../shared/data/pcaps and
 * examples/lab, concatenated (editcap/mergecap) into one classic pcap of at
 * least N MB, built once and cached under bench/work/.
 *
 * @example
 * const file = buildCapture(64); // bench/work/mixed-64mb.pcap
 * packetCount(file);             // e.g. 540270
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const benchRoot = resolve(new URL('..', import.meta.url).pathname);
export const benchWork = join(benchRoot, 'bench', 'work');

/** Runs a command to completion and returns its stdout; throws with its stderr when it fails. */
export function sh(cmd: string, argv: string[], quiet = true): string {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: quiet ? 'pipe' : 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function sources(): string[] {
  const shared = resolve(benchRoot, '..', 'shared', 'data', 'pcaps');
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.pcap(ng)?$/.test(n)) out.push(p);
    }
  };
  walk(shared);
  walk(join(benchRoot, 'examples', 'lab'));
  // One link type, so the result is a classic pcap every peer reads (libpcap rejects mixed pcapng interfaces).
  return out.sort().filter((f) => sh('capinfos', ['-T', '-r', '-E', f]).trim().endsWith('ether'));
}

/** Concatenates time-shifted copies until the file reaches `mb` megabytes; returns its path. */
export function buildCapture(mb: number): string {
  mkdirSync(benchWork, { recursive: true });
  const target = join(benchWork, `mixed-${mb}mb.pcap`);
  if (existsSync(target)) return target;
  const srcs = sources();
  if (srcs.length === 0)
    throw new Error('no source captures found (need ../shared/data/pcaps or examples/lab)');
  const base = join(benchWork, 'base.pcap');
  sh('mergecap', ['-F', 'pcap', '-s', '65535', '-a', '-w', base, ...srcs]);
  const baseSize = statSync(base).size;
  const copies = Math.ceil((mb * 1e6) / baseSize);
  const parts: string[] = [];
  for (let i = 0; i < copies; i++) {
    const part = join(benchWork, `part-${i}.pcap`);
    // Each copy is shifted a day later so its connections are new ones, not continuations.
    sh('editcap', ['-t', String(i * 86400), base, part]);
    parts.push(part);
  }
  sh('mergecap', ['-F', 'pcap', '-a', '-w', target, ...parts]);
  for (const p of parts) rmSync(p);
  rmSync(base);
  return target;
}

/** Packets in a capture, by capinfos. */
export function packetCount(file: string): number {
  const out = sh('capinfos', ['-c', '-M', '-T', file]);
  return Number(out.trim().split('\n').pop()!.split('\t')[1]);
}

export interface Timing {
  name: string;
  seconds: number;
  peakMb: number;
}

/** Runs a command under /usr/bin/time: wall seconds and peak resident memory. */
export function timed(name: string, cmd: string, argv: string[]): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { name, seconds: Number(last[0]), peakMb: Number(last[1]) / 1024 };
}
