/**
 * Prefilter benchmark: build time and memory for the ET Suricata set, then
 * scan throughput per buffer over random, real (pcap payload) and hostile
 * bytes, against two baselines (indexOf per pattern on a subset; one JS
 * RegExp alternation over latin1 strings) and a few design variants.
 *
 *   node --import tsx bench/prefilter.ts [--rules DIR] [--pcap FILE]... [--mb 16]
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDecoder } from '../src/decode/index.js';
import { openCapture } from '../src/read/index.js';
import type { Rule } from '../src/rules/ast.js';
import { buildPrefilter, type Prefilter, type PrefilterOptions } from '../src/rules/engine/prefilter.js';
import { buildMatcher, FOLD, type MatcherPattern } from '../src/rules/engine/prefilter-automaton.js';
import { MatcherScanner } from '../src/rules/engine/prefilter-scan.js';
import { loadRules } from '../src/rules/load.js';
import { createProblemLog } from '../src/util/problems.js';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const rulesDir = opt('rules', resolve(root, '..', 'shared', 'data', 'rules', 'et-open-suricata-5.0'));
const totalMb = Number(opt('mb', '16'));
const extraPcaps = args.flatMap((a, i) => (args[i - 1] === '--pcap' ? [a] : []));

// ---------- build ----------
const loaded = loadRules([rulesDir]);
const rules = loaded.rules;
if (global.gc) global.gc();
const heap0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const pf = buildPrefilter(rules);
const heap1 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const st = pf.stats;
console.log(
  `rules ${st.rules} enabled: ${st.withFastPattern} with a fast pattern, ${st.alwaysEvaluate} always-evaluate, ${st.headerOnly} header-only`,
);
console.log(
  `build ${st.buildMs.toFixed(0)} ms; matcher memory ${(st.memoryBytes / 2 ** 20).toFixed(1)} MiB (heap+arraybuffers delta ${((heap1 - heap0) / 2 ** 20).toFixed(1)} MiB)`,
);
const top = Object.entries(st.buffers)
  .sort((a, b) => b[1].patterns - a[1].patterns)
  .slice(0, 10);
console.table(
  Object.fromEntries(top.map(([k, v]) => [k, { ...v, memoryKiB: Math.round(v.memoryBytes / 1024) }])),
);

// ---------- data ----------
function realPayloads(): Uint8Array {
  const files: string[] = [...extraPcaps];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.pcap(ng)?$/.test(n)) files.push(p);
    }
  };
  walk(resolve(root, '..', 'shared', 'data', 'pcaps'));
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const f of files) {
    const problems = createProblemLog();
    const reader = openCapture(f, problems);
    if (!reader) continue;
    const dec = createDecoder(problems);
    for (let fr = reader.next(); fr && size < totalMb * 2 ** 20; fr = reader.next()) {
      const p = dec.decode(fr);
      if (p.ipProto === 6 && p.payload.length > 0) {
        parts.push(p.payload.slice());
        size += p.payload.length;
      }
    }
    reader.close();
  }
  return Buffer.concat(parts);
}

function fill(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let o = 0; o < size; o += src.length) out.set(src.subarray(0, Math.min(src.length, size - o)), o);
  return out;
}

const size = totalMb * 2 ** 20;
const random = new Uint8Array(size);
for (let i = 0; i < size; i += 65536) crypto.getRandomValues(random.subarray(i, i + 65536));
const real = realPayloads();
console.log(`real TCP payload bytes from pcaps: ${real.length} (repeated to ${totalMb} MiB)`);
const realFilled = fill(real, size);

/** Hostile bytes for a buffer: its most common pattern prefix with the last byte cut, repeated. */
function prefixFlood(buffer: string): Uint8Array {
  let best: Uint8Array = Uint8Array.of(0x61);
  for (let r = 0; r < rules.length; r++) {
    const c = pf.fastPatternOf(r);
    if (c?.bufferKey === buffer && c.bytes.length > best.length && c.bytes.length <= 32) best = c.bytes;
  }
  return fill(best.subarray(0, best.length - 1), size);
}
/** All fast patterns of the buffer back to back: every position is in a match. */
function patternSoup(buffer: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let r = 0; r < rules.length; r++) {
    const c = pf.fastPatternOf(r);
    if (c?.bufferKey === buffer) parts.push(c.bytes);
  }
  return fill(Buffer.concat(parts), size);
}

// ---------- timing ----------
function mbps(bytes: number, ms: number): number {
  return bytes / 2 ** 20 / (ms / 1000);
}
/** Scans `data` in chunks of `chunk` bytes (one scan per buffer instance); best of 3. */
function timeScan(
  scan: (b: Uint8Array) => number,
  data: Uint8Array,
  chunk: number,
): { mbs: number; cands: number } {
  let best = Infinity;
  let cands = 0;
  for (let rep = 0; rep < 3; rep++) {
    cands = 0;
    const t0 = performance.now();
    for (let o = 0; o + chunk <= data.length; o += chunk) cands += scan(data.subarray(o, o + chunk));
    best = Math.min(best, performance.now() - t0);
  }
  return { mbs: mbps(data.length - (data.length % chunk), best), cands };
}

const plans: Array<{ buffer: string; chunk: number }> = [
  { buffer: 'pkt', chunk: 1460 },
  { buffer: 'http.uri', chunk: 256 },
  { buffer: 'http.header', chunk: 1024 },
  { buffer: 'http.user_agent', chunk: 128 },
  { buffer: 'dns.query', chunk: 64 },
];
const rows: Record<string, Record<string, string>> = {};
for (const { buffer, chunk } of plans) {
  const inputs: Array<[string, Uint8Array]> = [
    ['random', random],
    ['real', realFilled],
    ['zeros', new Uint8Array(size)],
    ['aaaa', new Uint8Array(size).fill(0x61)],
    ['prefix-flood', prefixFlood(buffer)],
    ['pattern-soup', patternSoup(buffer)],
  ];
  const row: Record<string, string> = {
    patterns: String(st.buffers[buffer]?.patterns ?? 0),
    chunk: String(chunk),
  };
  for (const [name, data] of inputs) {
    const r = timeScan((b) => pf.scan(buffer, b), data, chunk);
    row[name] = `${r.mbs.toFixed(0)} MB/s`;
    row[`${name} cand/KB`] = (r.cands / (data.length / 1024)).toFixed(2);
  }
  rows[buffer] = row;
}
console.log('\nPrefilter scan throughput (MB/s; candidates per KB of input)');
console.table(rows);

// ---------- baselines and variants (pkt and http.uri) ----------
function patternsOf(buffer: string): MatcherPattern[] {
  const seen = new Set<string>();
  const out: MatcherPattern[] = [];
  for (let r = 0; r < rules.length; r++) {
    const c = pf.fastPatternOf(r);
    if (c?.bufferKey !== buffer) continue;
    const b = c.bytes.subarray(0, 32);
    const k = `${c.nocase}${Buffer.from(b).toString('latin1')}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ bytes: b, nocase: c.nocase });
    }
  }
  return out;
}

function naiveScanner(patterns: MatcherPattern[]): (b: Uint8Array) => number {
  const needles = patterns.map((p) => ({
    nocase: p.nocase,
    b: Buffer.from(p.nocase ? p.bytes.map((x) => FOLD[x]!) : p.bytes),
  }));
  return (t) => {
    const raw = Buffer.from(t.buffer, t.byteOffset, t.length);
    const folded = Buffer.from(t.map((x) => FOLD[x]!));
    let n = 0;
    for (const p of needles) if ((p.nocase ? folded : raw).indexOf(p.b) >= 0) n++;
    return n;
  };
}

const escapeRe = (s: string) =>
  s
    .replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`)
    .replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
function regexScanner(patterns: MatcherPattern[]): (b: Uint8Array) => number {
  const alt = (ps: MatcherPattern[]) =>
    ps.map((p) => escapeRe(Buffer.from(p.bytes).toString('latin1'))).join('|');
  const cs = patterns.filter((p) => !p.nocase);
  const ci = patterns.filter((p) => p.nocase);
  const res = [
    cs.length ? new RegExp(alt(cs), 'g') : undefined,
    ci.length ? new RegExp(alt(ci), 'gi') : undefined,
  ];
  return (t) => {
    const s = Buffer.from(t.buffer, t.byteOffset, t.length).toString('latin1');
    let n = 0;
    for (const re of res) {
      if (!re) continue;
      re.lastIndex = 0;
      while (re.exec(s)) n++;
    }
    return n;
  };
}

function matcherScan(
  patterns: MatcherPattern[],
  o: Parameters<typeof buildMatcher>[1],
): (b: Uint8Array) => number {
  const s = new MatcherScanner(buildMatcher(patterns, o));
  return (b) => s.scan(b);
}

const variantRows: Record<string, Record<string, string>> = {};
for (const { buffer, chunk } of plans.slice(0, 2)) {
  const ps = patternsOf(buffer);
  const subset = ps.slice(0, 200);
  const variants: Array<[string, (b: Uint8Array) => number]> = [
    ['prefilter: filter + AC, dense depth 1 (default)', matcherScan(ps, {})],
    ['filter + AC, dense depth 0', matcherScan(ps, { denseDepth: 0 })],
    ['filter + AC, dense depth 2', matcherScan(ps, { denseDepth: 2 })],
    ['AC only (no start filter), dense depth 1', matcherScan(ps, { startFilter: false })],
    [
      'two machines: nocase + case-sensitive',
      (() => {
        const a = matcherScan(
          ps.filter((p) => p.nocase),
          {},
        );
        const b = matcherScan(
          ps.filter((p) => !p.nocase),
          {},
        );
        return (t: Uint8Array) => a(t) + b(t);
      })(),
    ],
    [`prefilter on a ${subset.length}-pattern subset`, matcherScan(subset, {})],
    [`baseline: indexOf per pattern, ${subset.length}-pattern subset`, naiveScanner(subset)],
    [`baseline: RegExp alternation, all ${ps.length} patterns`, regexScanner(ps)],
  ];
  for (const [name, fn] of variants) {
    const key = `${buffer}: ${name}`;
    const row: Record<string, string> = {};
    for (const [dn, data] of [
      ['random', random],
      ['real', realFilled],
      ['aaaa', new Uint8Array(size).fill(0x61)],
    ] as const) {
      const slice = name.startsWith('baseline') ? data.subarray(0, Math.min(data.length, 2 ** 19)) : data;
      row[dn] = `${timeScan(fn, slice, chunk).mbs.toFixed(1)} MB/s`;
    }
    variantRows[key] = row;
  }
}
console.log('\nDesign variants and baselines (same patterns, same chunking)');
console.table(variantRows);

// ---------- the DEPENDENCIES.md synthetic: 20,000 patterns of 4–12 bytes, random bytes ----------
{
  const ps: MatcherPattern[] = [];
  for (let i = 0; i < 20000; i++) {
    const b = new Uint8Array(4 + (i % 9));
    crypto.getRandomValues(b);
    ps.push({ bytes: b, nocase: false });
  }
  const s = new MatcherScanner(buildMatcher(ps));
  const r = timeScan((b) => s.scan(b), random, 65536);
  console.log(
    `\nsynthetic 20,000 random patterns of 4–12 bytes over random bytes (64 KiB chunks): ${r.mbs.toFixed(0)} MB/s`,
  );
}

export type { Prefilter, PrefilterOptions, Rule };
