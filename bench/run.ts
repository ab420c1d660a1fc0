/**
 * Capture benchmark: Picket against tshark and softflowd on the same large capture.
 *
 *   npm run bench -- [--size-mb 256] [--skip-tshark] [--file FILE]
 *
 * Builds (once, cached under bench/work/) a capture of at least --size-mb by
 * concatenating time-shifted copies of real captures (the shared pcaps and the
 * lab capture) with editcap/mergecap, then times each tool with /usr/bin/time
 * and prints packets/s, MB/s, peak memory and ratios. Also runs Picket on half
 * the file to show whether memory stays flat as the input grows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const work = join(root, 'bench', 'work');
const args = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeMb = Number(opt('size-mb', '256'));
const skipTshark = args.includes('--skip-tshark');

function sh(cmd: string, argv: string[], quiet = true) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: quiet ? 'pipe' : 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function sources(): string[] {
  const shared = resolve(root, '..', 'shared', 'data', 'pcaps');
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
  walk(join(root, 'examples', 'lab'));
  // One link type, so the result is a classic pcap every peer reads (libpcap rejects mixed pcapng interfaces).
  return out.sort().filter((f) => sh('capinfos', ['-T', '-r', '-E', f]).trim().endsWith('ether'));
}

/** Concatenates time-shifted copies until the file reaches `mb` megabytes. */
function buildCapture(mb: number): string {
  mkdirSync(work, { recursive: true });
  const target = join(work, `mixed-${mb}mb.pcap`);
  if (existsSync(target)) return target;
  const srcs = sources();
  if (srcs.length === 0)
    throw new Error('no source captures found (need ../shared/data/pcaps or examples/lab)');
  const base = join(work, 'base.pcap');
  sh('mergecap', ['-F', 'pcap', '-s', '65535', '-a', '-w', base, ...srcs]);
  const baseSize = statSync(base).size;
  const copies = Math.ceil((mb * 1e6) / baseSize);
  const parts: string[] = [];
  for (let i = 0; i < copies; i++) {
    const part = join(work, `part-${i}.pcap`);
    // Each copy is shifted a day later so its connections are new ones, not continuations.
    sh('editcap', ['-t', String(i * 86400), base, part]);
    parts.push(part);
  }
  sh('mergecap', ['-F', 'pcap', '-a', '-w', target, ...parts]);
  for (const p of parts) rmSync(p);
  rmSync(base);
  return target;
}

/** Half of the capture's packets, for the memory-growth check. */
function halfCapture(file: string, packets: number): string {
  const half = file.replace(/\.pcap$/, '-half.pcap');
  if (!existsSync(half)) sh('editcap', ['-r', file, half, `1-${Math.floor(packets / 2)}`]);
  return half;
}

interface Timing {
  name: string;
  seconds: number;
  peakMb: number;
}

function timed(name: string, cmd: string, argv: string[]): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { name, seconds: Number(last[0]), peakMb: Number(last[1]) / 1024 };
}

function packetCount(file: string): number {
  const out = sh('capinfos', ['-c', '-M', '-T', file]);
  return Number(out.trim().split('\n').pop()!.split('\t')[1]);
}

const file = opt('file') ?? buildCapture(sizeMb);
const bytes = statSync(file).size;
const packets = packetCount(file);
const half = halfCapture(file, packets);
const picket = join(root, 'dist', 'serve', 'cli', 'main.js');
if (!existsSync(picket)) throw new Error('build first: npm run build');
const db = join(work, 'bench.db');
rmSync(db, { force: true });

const runs: Timing[] = [];
runs.push(
  timed('picket analyze (default, stored)', process.execPath, [
    picket,
    'analyze',
    file,
    '--db',
    db,
    '--quiet',
  ]),
);
runs.push(
  timed('picket analyze --no-store', process.execPath, [picket, 'analyze', file, '--no-store', '--quiet']),
);
runs.push(
  timed('picket flow path (read+decode+flows)', process.execPath, [
    '--import',
    'tsx',
    join(root, 'bench', 'flow-path.ts'),
    file,
  ]),
);
runs.push(
  timed('softflowd -r (C flow exporter)', 'softflowd', [
    '-r',
    file,
    '-n',
    '127.0.0.1:9',
    '-v',
    '9',
    '-c',
    'none',
  ]),
);
if (!skipTshark)
  runs.push(timed('tshark -q -z conv,tcp', 'tshark', ['-n', '-q', '-z', 'conv,tcp', '-r', file]));
rmSync(db, { force: true });
const halfRun = timed('picket analyze on half the file', process.execPath, [
  picket,
  'analyze',
  half,
  '--db',
  db,
  '--quiet',
]);
rmSync(db, { force: true });

const mbs = bytes / 1e6;
console.log(`capture: ${file}\n  ${mbs.toFixed(0)} MB, ${packets.toLocaleString('en')} packets`);
console.log(
  `machine: ${sh('nproc', []).trim()} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
const head = [
  'tool',
  'seconds',
  'packets/s',
  'MB/s',
  'peak MB',
  'picket default is ×',
  'picket flow path is ×',
];
const rows = runs.map((r) => [
  r.name,
  r.seconds.toFixed(2),
  Math.round(packets / r.seconds).toLocaleString('en'),
  (mbs / r.seconds).toFixed(1),
  r.peakMb.toFixed(0),
  (r.seconds / runs[0]!.seconds).toFixed(2),
  (r.seconds / runs[2]!.seconds).toFixed(2),
]);
const widths = head.map((_, i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
console.log(head.map((h, i) => h.padEnd(widths[i]!)).join(' | '));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join(' | '));
console.log(
  `\nmemory growth: half the file ${halfRun.peakMb.toFixed(0)} MB peak, whole file ${runs[0]!.peakMb.toFixed(0)} MB peak`,
);
