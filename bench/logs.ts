/**
 * Log and NetFlow reading speed against the peer tools (issue 3), on the same
 * 1,000,000-line files:
 *   sshd auth log      Picket vs `fail2ban-regex FILE /etc/fail2ban/filter.d/sshd.conf`
 *   iptables LOG lines Picket vs `psad -A -m FILE` (analysis mode, no daemon)
 *   combined access    Picket vs `goaccess FILE --log-format=COMBINED -o /dev/null`
 *   NetFlow            Picket (nfdump CSV) vs `nfdump -r FILE -o csv > /dev/null` (nfcapd file)
 *   NetFlow (nfcapd)   Picket reading the nfcapd file itself vs the same nfdump command
 *
 *   npm run bench:logs [-- --lines 1000000] [--psad-lines N] [--cli dist/serve/cli/main.js]
 *                      [--only netflow,nfcapd]  (run only these inputs)
 *
 * Peers (not installed by .ci/run, which installs no bench tools):
 *   apt-get install -y fail2ban psad goaccess nfdump time
 *
 * The text logs repeat the real lines of examples/lab with varied attacker
 * addresses, ports and times; the NetFlow input is nfpcapd's flows from the
 * capture benchmark's 256 MB pcap (bench/capture.ts), cut to N records. Files
 * are built once under bench/work/. Picket is timed twice: its reader and
 * normalizer in a child process (`--inner`), and `picket analyze FILE
 * --no-store -q --no-rules` end to end from a private build of the tree.
 */
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { benchWork, buildCapture, benchRoot as root, sh } from './capture.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const log = (s: string) => process.stderr.write(`${s}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en');

type Kind = 'sshd' | 'firewall' | 'weblog' | 'netflow' | 'nfcapd';

// ---------- inner mode: Picket's reader + normalizer, timed from inside ----------
async function inner(kind: Kind, file: string): Promise<void> {
  // Modules load before the clock starts, so the figure is the reading alone.
  const { createProblemLog } = await import('../src/util/problems.js');
  const { analyzeNfdumpCsv } = await import('../src/pipeline/analyze-nfdump.js');
  const { analyzeNfcapd } = await import('../src/pipeline/analyze-nfcapd.js');
  const { readLogFile } = await import('../src/read/logs.js');
  const { normalizeLogRecord } = await import('../src/normalize/index.js');
  const problems = createProblemLog();
  let records = 0;
  let events = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (kind === 'netflow' || kind === 'nfcapd') {
    const sink = {
      count: 0,
      add() {
        this.count++;
      },
      maybeFlush: async () => {},
      flush: async () => {},
    };
    if (kind === 'nfcapd') {
      const r = await analyzeNfcapd(file, { problems, sink });
      records = r.lines;
      events = r.events;
    } else {
      const r = await analyzeNfdumpCsv(file, { problems, sink });
      records = r.lines - 1;
      events = r.events;
    }
  } else {
    const pos = { file, line: 0 };
    await readLogFile(file, problems, (rec, _reader, ctx) => {
      records++;
      pos.line = ctx.line;
      if (normalizeLogRecord(rec, pos)) events++;
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ records, events, problems: problems.total(), seconds, cpuSeconds }));
}

// ---------- building the inputs ----------
const base = Date.UTC(2026, 10, 23, 0, 0, 0) / 1000;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
function syslogTime(t: number): string {
  const d = new Date(t * 1000);
  const day = d.getUTCDate();
  return `${months[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
function clfTime(t: number): string {
  const d = new Date(t * 1000);
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * Copy `c` of the lab file: the lab's attacker addresses (10.99.1.x) move to
 * 10.(128+c/256).(c%256).x, source ports shift by c, and time runs on at
 * 12 lines a second from midnight (a million lines stay within one day).
 */
function vary(kind: Kind, line: string, c: number, i: number): string {
  const addr = `10.${128 + ((c >> 8) & 127)}.${c & 255}.`;
  const t = base + Math.floor(i / 12);
  let s = line.replace(/\b10\.99\.1\./g, addr);
  const port = (p: string) => String(1024 + ((Number(p) + c * 7) % 64000));
  if (kind === 'weblog') return s.replace(/\[[^\]]+\]/, `[${clfTime(t)}]`);
  s = `${syslogTime(t)}${s.slice(15)}`;
  if (kind === 'sshd') return s.replace(/ port (\d+)/, (_m, p: string) => ` port ${port(p)}`);
  return s.replace(/ SPT=(\d+)/, (_m, p: string) => ` SPT=${port(p)}`);
}

async function buildText(kind: Kind, source: string, lines: number): Promise<string> {
  const out = join(benchWork, `${kind}-${lines}.log`);
  if (existsSync(out)) return out;
  const src = readFileSync(join(root, 'examples', 'lab', source), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const tmp = `${out}.part`;
  const w = createWriteStream(tmp);
  let batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    batch.push(vary(kind, src[i % src.length]!, Math.floor(i / src.length), i));
    if (batch.length === 10_000 || i === lines - 1) {
      if (!w.write(`${batch.join('\n')}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
      batch = [];
    }
  }
  await new Promise<void>((r, j) => w.end((e?: Error | null) => (e ? j(e) : r())));
  spawnSync('mv', [tmp, out]);
  return out;
}

/** nfpcapd's flows from the 256 MB capture, merged and cut to `lines` records; plus nfdump's CSV of it. */
function buildNetflow(lines: number): { nfcapd: string; csv: string } {
  const nfcapd = join(benchWork, `netflow-${lines}.nfcapd`);
  const csv = join(benchWork, `netflow-${lines}.csv`);
  if (existsSync(nfcapd) && existsSync(csv)) return { nfcapd, csv };
  const pcap = buildCapture(256);
  const dir = join(benchWork, 'nfpcapd');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  sh('nfpcapd', ['-r', pcap, '-l', dir]);
  if (readdirSync(dir).length === 0) throw new Error('nfpcapd wrote no files');
  sh('nfdump', ['-R', dir, '-c', String(lines), '-w', nfcapd]);
  rmSync(dir, { recursive: true, force: true });
  // Picket reads nfdump's CSV with its header; -q drops the header and the summary, so add the header back.
  const header = sh('nfdump', ['-r', nfcapd, '-o', 'csv', '-c', '1']).split('\n')[0]!;
  sh('sh', ['-c', `{ echo '${header}'; nfdump -q -r '${nfcapd}' -o csv; } > '${csv}'`]);
  return { nfcapd, csv };
}

// ---------- timing ----------
interface Run {
  tool: string;
  seconds: number;
  peakMb: number;
  /** User + system CPU seconds: steadier than wall time when other work shares the cores. */
  cpu: number;
  stdout: string;
  load: number;
}

/** Runs under /usr/bin/time (wall seconds, peak RSS, CPU); stdout kept for the inner runs' own figures. */
function timed(tool: string, cmd: string, argv: string[]): Run {
  const load = loadavg()[0]!;
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return {
    tool,
    seconds: Number(last[0]),
    peakMb: Number(last[1]) / 1024,
    cpu: Number(last[2]) + Number(last[3]),
    stdout: r.stdout,
    load,
  };
}

function privateBuild(): string {
  const out = join(benchWork, 'dist');
  // tsc exits non-zero on type errors elsewhere in the tree but still emits; the entry point must exist.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'ignore' });
  const main = join(out, 'serve', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`private build failed: ${main} missing`);
  // The build finds shipped data (rules/catalogue.yaml) next to its folder, as dist/ finds ../rules.
  const rules = join(benchWork, 'rules');
  if (!existsSync(rules)) symlinkSync(join(root, 'rules'), rules);
  return main;
}

async function main(): Promise<void> {
  const lines = Number(opt('lines', '1000000'));
  const only = opt('only')?.split(',');
  const wanted = (k: Kind) => !only || only.includes(k);
  mkdirSync(benchWork, { recursive: true });
  log('building inputs ...');
  // Inputs not wanted are not built: their cases are dropped below.
  const sshd = wanted('sshd') ? await buildText('sshd', 'auth.log', lines) : '';
  const fw = wanted('firewall') ? await buildText('firewall', 'firewall.log', lines) : '';
  // psad is slow (about 1-2 k lines/s here): --psad-lines gives it the first N lines of the same kind of file.
  const psadLines = Math.min(lines, Number(opt('psad-lines', String(lines))));
  const fwPsad =
    !wanted('firewall') || psadLines === lines ? fw : await buildText('firewall', 'firewall.log', psadLines);
  const web = wanted('weblog') ? await buildText('weblog', 'access.log', lines) : '';
  const nf = wanted('netflow') || wanted('nfcapd') ? buildNetflow(lines) : { nfcapd: '', csv: '' };
  log('building Picket ...');
  const cli = opt('cli') ? resolve(opt('cli')!) : privateBuild();
  const self = new URL(import.meta.url).pathname;

  const allCases: Array<{ kind: Kind; file: string; peer: [string, string, string[]]; peerLines?: number }> =
    [
      {
        kind: 'sshd',
        file: sshd,
        peer: ['fail2ban-regex FILE sshd.conf', 'fail2ban-regex', [sshd, '/etc/fail2ban/filter.d/sshd.conf']],
      },
      {
        kind: 'firewall',
        file: fw,
        peer: [
          psadLines === lines ? 'psad -A -m FILE' : `psad -A -m FILE (first ${fmt(psadLines)} lines)`,
          'psad',
          ['-A', '-m', fwPsad, '--no-rdns', '--no-whois', '--no-fwcheck', '--no-ipt-errors'],
        ],
        peerLines: psadLines,
      },
      {
        kind: 'weblog',
        file: web,
        peer: ['goaccess FILE -o /dev/null', 'goaccess', [web, '--log-format=COMBINED', '-o', '/dev/null']],
      },
      {
        kind: 'netflow',
        file: nf.csv,
        peer: [
          'nfdump -r FILE -o csv > /dev/null',
          'sh',
          ['-c', `nfdump -r '${nf.nfcapd}' -o csv > /dev/null`],
        ],
      },
      {
        // The same flows, Picket reading nfdump's binary file itself (no CSV in between).
        kind: 'nfcapd',
        file: nf.nfcapd,
        peer: [
          'nfdump -r FILE -o csv > /dev/null',
          'sh',
          ['-c', `nfdump -r '${nf.nfcapd}' -o csv > /dev/null`],
        ],
      },
    ];
  const cases = allCases.filter((c) => wanted(c.kind));

  const rows: string[][] = [];
  for (const c of cases) {
    log(`${c.kind}: Picket in process ...`);
    const inProc = timed('picket reader + normalize', process.execPath, [
      '--import',
      'tsx',
      self,
      '--inner',
      c.kind,
      c.file,
    ]);
    const figures = JSON.parse(inProc.stdout.trim().split('\n').pop()!) as {
      records: number;
      events: number;
      problems: number;
      seconds: number;
      cpuSeconds: number;
    };
    log(`${c.kind}: picket analyze ...`);
    const e2e = timed('picket analyze', process.execPath, [
      cli,
      'analyze',
      c.file,
      '--no-store',
      '-q',
      '--no-rules',
    ]);
    log(`${c.kind}: ${c.peer[0]} ...`);
    const peer = timed(c.peer[0], c.peer[1], c.peer[2]);
    const peerRate = (c.peerLines ?? lines) / peer.seconds;
    const peerCpuPerLine = peer.cpu / (c.peerLines ?? lines);
    const row = (name: string, s: number, mb: number, load: number, cpu: number, n = lines) => [
      c.kind,
      name,
      s.toFixed(2),
      fmt(n / s),
      cpu.toFixed(2),
      mb.toFixed(0),
      load.toFixed(2),
      `${(n / s / peerRate).toFixed(2)}×`,
      `${((peerCpuPerLine * n) / cpu).toFixed(2)}×`,
    ];
    rows.push(
      row(
        `${c.kind === 'nfcapd' ? 'Picket reads the nfcapd file itself' : 'Picket reader + normalize'} (in process; ${fmt(figures.events)} events, ${figures.problems} problems)`,
        figures.seconds,
        inProc.peakMb,
        inProc.load,
        figures.cpuSeconds,
      ),
      row('`picket analyze --no-store -q --no-rules`', e2e.seconds, e2e.peakMb, e2e.load, e2e.cpu),
      row(`\`${c.peer[0]}\``, peer.seconds, peer.peakMb, peer.load, peer.cpu, c.peerLines ?? lines),
    );
  }
  // Picket/peer: lines/s against the peer's; peer CPU/Picket CPU: CPU per line, the peer's over Picket's.
  const head = [
    'input',
    'tool',
    'seconds',
    'lines/s',
    'CPU s',
    'peak MB',
    'load',
    'Picket/peer',
    'peer CPU/Picket CPU',
  ];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  console.log(
    `machine: ${sh('nproc', []).trim()} cores, node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(`lines per file: ${fmt(lines)}`);
  console.log([line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

if (args[0] === '--inner') await inner(args[1] as Kind, args[2]!);
else await main();
