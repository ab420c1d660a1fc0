/**
 * Rule-engine benchmark (issue 6): the whole ET Open Suricata set against
 * tshark's bare dissection on the same capture.
 *
 *   npm run bench:rules -- [--size-mb 16] [--file FILE] [--rules DIR] [--skip-peers] [--cli MAIN_JS]
 *                          [--alerts-digest] [--engine-only]
 *
 * Measures, in order:
 *   1. rule load and parse (`loadRules`, 3 runs, median) and engine
 *      construction (`createDetectEngine`, which compiles rules and builds the
 *      prefilter; 3 runs, median), separately;
 *   2. in this process: reader + decoder alone, then reader + decoder + engine
 *      with every rule loaded (packets/s, MB/s, alerts, engine stats), so the
 *      difference is the engine's own cost;
 *   3. end to end under /usr/bin/time: `picket analyze FILE --no-store -q
 *      --rules DIR` and `tshark -r FILE > /dev/null`, with the ratio.
 * The end-to-end run uses a private build of the working tree (tsc into
 * bench/work/dist) so it runs the same code as step 2 and never touches dist/;
 * `--cli dist/serve/cli/main.js` uses the repository's build instead.
 * `--alerts-digest` prints the alert count and SHA-256 digests of the sorted
 * (sid, frame) pairs and of (sid, frame, spans), to show that an engine change
 * keeps the same alerts; `--engine-only` runs just the engine loop (one load,
 * one construction, no baseline, no peers) for quick before/after checks.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createDecoder } from '../src/decode/index.js';
import { openCapture } from '../src/read/index.js';
import type { Rule } from '../src/rules/ast.js';
import { createDetectEngine, type DetectEngine, type DetectStats } from '../src/rules/engine/engine.js';
import { createRuleGate } from '../src/rules/engine/rule-gate.js';
import { type LoadResult, loadRules } from '../src/rules/load.js';
import { applyVarOverrides, defaultVars } from '../src/rules/parse/variables.js';
import { createProblemLog } from '../src/util/problems.js';
import {
  benchWork,
  buildCapture,
  packetCount,
  benchRoot as root,
  sh,
  type Timing,
  timed,
} from './capture.js';

const HOME_NET = '[10.0.0.0/8,192.168.0.0/16,172.16.0.0/12]';
const args = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeMb = Number(opt('size-mb', '16'));
const rulesDir = resolve(
  opt('rules', resolve(root, '..', 'shared', 'data', 'rules', 'et-open-suricata-5.0'))!,
);
const engineOnly = args.includes('--engine-only');
const skipPeers = engineOnly || args.includes('--skip-peers');
const alertsDigest = args.includes('--alerts-digest');
const runs = engineOnly ? 1 : 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = (s: string) => process.stderr.write(`${s}\n`);
/** 1-minute load average before each measurement: the machine is shared, so the reader can judge the figures. */
const loads: string[] = [];
const noteLoad = (what: string) => loads.push(`${what} ${loadavg()[0]!.toFixed(2)}`);

// ---------- 1. load and build ----------
const vars = applyVarOverrides(defaultVars(), [`HOME_NET=${HOME_NET}`]);
noteLoad('load');
const loadMs: number[] = [];
let loaded: LoadResult | undefined;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  loaded = loadRules([rulesDir], { vars });
  loadMs.push(performance.now() - t0);
}
const rules: Rule[] = loaded!.rules;
const enabled = rules.filter((r) => r.enabled).length;
const rejectedActive = loaded!.rejected.filter((r) => !r.disabled).length;
const rejectedDisabled = loaded!.rejected.length - rejectedActive;
log(`load: ${loadMs.map((m) => m.toFixed(0)).join(', ')} ms`);

const buildMs: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  createDetectEngine({ rules, onAlert: () => {}, gate: createRuleGate([], vars) });
  buildMs.push(performance.now() - t0);
}
log(`engine construction: ${buildMs.map((m) => m.toFixed(0)).join(', ')} ms`);

// ---------- 2. in-process loops ----------
const file = resolve(opt('file') ?? buildCapture(sizeMb));
const bytes = statSync(file).size;
const mb = bytes / 1e6;

interface LoopResult {
  name: string;
  seconds: number;
  packets: number;
  alerts: number;
  stats?: DetectStats;
  bySid?: Map<number, number>;
}

/** Reads and decodes every packet of `file`, handing each to the engine when one is given. */
function loop(name: string, engine: DetectEngine | undefined, sink?: { alerts: number }): LoopResult {
  const problems = createProblemLog();
  const t0 = performance.now();
  const reader = openCapture(file, problems);
  if (!reader) throw new Error(`cannot read ${file}`);
  const decoder = createDecoder(problems, { file });
  let packets = 0;
  let checksum = 0;
  for (let f = reader.next(); f; f = reader.next()) {
    packets++;
    const p = decoder.decode(f);
    if (engine) engine.packet(p);
    else checksum += p.payload.length; // keeps the decode from being optimised away
  }
  engine?.finish();
  reader.close();
  const seconds = (performance.now() - t0) / 1000;
  if (checksum < 0) log('unreachable');
  return { name, seconds, packets, alerts: sink?.alerts ?? 0, ...(engine ? { stats: engine.stats } : {}) };
}

noteLoad('in-process');
const base = engineOnly
  ? { name: 'reader + decoder (skipped)', seconds: 0, packets: 0, alerts: 0 }
  : loop('reader + decoder (no rules)', undefined);
log(`baseline: ${base.seconds.toFixed(2)} s`);
const sink = { alerts: 0 };
const bySid = new Map<number, number>();
/** One line per alert: sid, frame, and the match spans (for the digests). */
const alertKeys: Array<{ pair: string; full: string }> = [];
const engine = createDetectEngine({
  rules,
  gate: createRuleGate([], vars),
  problems: createProblemLog(),
  file,
  onAlert: (a) => {
    sink.alerts++;
    bySid.set(a.rule.sid, (bySid.get(a.rule.sid) ?? 0) + 1);
    if (alertsDigest) {
      const pair = `${a.rule.sid} ${a.frame}`;
      const spans = a.spans.map((s) => `${s.buffer}:${s.start}-${s.end}`).join(',');
      alertKeys.push({ pair, full: `${pair} ${spans}` });
    }
  },
});
const withRules = loop(`reader + decoder + engine (${fmt(enabled)} rules)`, engine, sink);
withRules.bySid = bySid;
const inProcessRss = process.resourceUsage().maxRSS / 1024;
log(`engine: ${withRules.seconds.toFixed(2)} s`);

// ---------- 3. end to end against tshark ----------
function privateBuild(): string {
  const out = join(benchWork, 'dist');
  // tsc exits non-zero on type errors elsewhere in the tree but still emits; the entry point must exist.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'ignore' });
  const main = join(out, 'serve', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`private build failed: ${main} missing`);
  return main;
}

const e2e: Timing[] = [];
let packets = withRules.packets;
if (!skipPeers) {
  packets = packetCount(file);
  noteLoad('end-to-end');
  const cli = opt('cli') ? resolve(opt('cli')!) : privateBuild();
  e2e.push(
    timed('picket analyze --no-store -q --rules ET', process.execPath, [
      cli,
      'analyze',
      file,
      '--no-store',
      '-q',
      '--rules',
      rulesDir,
      '--var',
      `HOME_NET=${HOME_NET}`,
    ]),
  );
  e2e.push(
    timed('picket analyze --no-store -q --no-rules', process.execPath, [
      cli,
      'analyze',
      file,
      '--no-store',
      '-q',
      '--no-rules',
    ]),
  );
  // tshark's default output (one summary line per packet) to /dev/null: its bare dissection.
  e2e.push(timed('tshark -r FILE > /dev/null', 'sh', ['-c', `tshark -r '${file}' > /dev/null`]));
}

// ---------- report ----------
const table = (head: string[], rows: string[][]) => {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  return [line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};
const head = (() => {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', 'src'], { cwd: root, encoding: 'utf8' });
  const n = dirty.stdout.split('\n').filter(Boolean).length;
  return `${r.stdout.trim()}${n > 0 ? ` + ${n} uncommitted file(s) under src/` : ''}`;
})();

console.log(`capture: ${file}\n  ${mb.toFixed(1)} MB, ${fmt(packets)} packets`);
console.log(`machine: ${sh('nproc', []).trim()} cores, node ${process.version}, ${new Date().toISOString()}`);
console.log(`code: ${head}`);
console.log(`1-minute load average before each part (2 cores): ${loads.join(', ')}`);
console.log(`rules: ${rulesDir}`);
console.log(
  `  ${fmt(rules.length)} parsed (${fmt(enabled)} enabled), rejected ${fmt(loaded!.rejected.length)} ` +
    `(${fmt(rejectedActive)} enabled lines, ${fmt(rejectedDisabled)} commented-out), ${fmt(loaded!.stats.lines)} rule lines in ${loaded!.stats.files} files`,
);
console.log(
  `  load + parse: median ${median(loadMs).toFixed(0)} ms (runs ${loadMs.map((m) => m.toFixed(0)).join(', ')})`,
);
console.log(
  `  engine construction (compile + prefilter): median ${median(buildMs).toFixed(0)} ms (runs ${buildMs.map((m) => m.toFixed(0)).join(', ')})`,
);
console.log('\nin process (same file, page cache warm):\n');
console.log(
  table(
    ['loop', 'seconds', 'packets/s', 'MB/s', 'alerts'],
    [base, withRules].map((r) => [
      r.name,
      r.seconds.toFixed(2),
      fmt(r.packets / r.seconds),
      (mb / r.seconds).toFixed(1),
      r.stats ? fmt(r.alerts) : '-',
    ]),
  ),
);
const st = withRules.stats!;
console.log(
  `\nengine's own cost: ${(withRules.seconds - base.seconds).toFixed(2)} s, ` +
    `${(((withRules.seconds - base.seconds) * 1e9) / withRules.packets).toFixed(0)} ns per packet; peak RSS of this process ${inProcessRss.toFixed(0)} MB`,
);
console.log(
  `engine stats: packets ${fmt(st.packets)}, alerts ${fmt(st.alerts)}, inspections ${fmt(st.inspections)}, ` +
    `quiet ${fmt(st.quiet)}, regexBounded ${fmt(st.regexBounded)}, flowsEvicted ${fmt(st.flowsEvicted)}`,
);
const top = [...bySid].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log(`top sids: ${top.map(([s, n]) => `${s}×${fmt(n)}`).join(', ')} (${bySid.size} distinct)`);
if (alertsDigest) {
  const digest = (xs: string[]) =>
    createHash('sha256').update(xs.sort().join('\n')).digest('hex').slice(0, 16);
  console.log(
    `alerts digest: ${fmt(alertKeys.length)} alerts, (sid, frame) ${digest(alertKeys.map((k) => k.pair))}, ` +
      `(sid, frame, spans) ${digest(alertKeys.map((k) => k.full))}`,
  );
}

if (e2e.length > 0) {
  const tshark = e2e[e2e.length - 1]!;
  console.log('\nend to end (/usr/bin/time):\n');
  console.log(
    table(
      ['command', 'seconds', 'packets/s', 'MB/s', 'peak MB', 'picket/tshark time'],
      e2e.map((r) => [
        r.name,
        r.seconds.toFixed(2),
        fmt(packets / r.seconds),
        (mb / r.seconds).toFixed(1),
        r.peakMb.toFixed(0),
        (r.seconds / tshark.seconds).toFixed(2),
      ]),
    ),
  );
  const ratio = e2e[0]!.seconds / tshark.seconds;
  console.log(
    `\npicket with every rule takes ${ratio.toFixed(2)}× tshark's time: ${ratio < 1 ? `${(1 / ratio).toFixed(2)}× faster` : `${ratio.toFixed(2)}× slower`} (aim: faster)`,
  );
}
