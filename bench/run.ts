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
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildCapture,
  packetCount,
  benchRoot as root,
  sh,
  type Timing,
  timed,
  benchWork as work,
} from './capture.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeMb = Number(opt('size-mb', '256'));
const skipTshark = args.includes('--skip-tshark');

/** Half of the capture's packets, for the memory-growth check. */
function halfCapture(file: string, packets: number): string {
  const half = file.replace(/\.pcap$/, '-half.pcap');
  if (!existsSync(half)) sh('editcap', ['-r', file, half, `1-${Math.floor(packets / 2)}`]);
  return half;
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
