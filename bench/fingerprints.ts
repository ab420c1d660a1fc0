/**
 * Tool fingerprints and scanner lists: load time of the scanner lists and
 * lookups per second (listed and unlisted IPv4, IPv6); packet fingerprinter
 * throughput against the bare decoder on a capture, and on a spoofed-source
 * flood (one new source per SYN) under a small and a large budget.
 *
 *   node --import tsx bench/fingerprints.ts [--lists DIR] [--pcap FILE] [--flood N]
 */
import { resolve } from 'node:path';
import { createDecoder } from '../src/decode/index.js';
import { eth, frame, ipv4, tcp } from '../src/decode/testing/packet-builders.js';
import { createPacketFingerprinter } from '../src/detect/fingerprint/index.js';
import { loadScannerLists } from '../src/detect/reputation/index.js';
import { openCapture } from '../src/read/index.js';
import type { Frame } from '../src/schema/packet.js';
import { parseAddress } from '../src/util/ip.js';
import { createProblemLog } from '../src/util/problems.js';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const listsDir = opt('lists', resolve(root, '..', 'shared', 'data', 'scanners'));
const pcap = opt('pcap', resolve(root, 'bench', 'work', 'mixed-64mb.pcap'));
const flood = Number(opt('flood', '200000'));
const rate = (n: number, ms: number) =>
  `${((n / ms) * 1000).toLocaleString('en', { maximumFractionDigits: 0 })}/s`;

// ---------- scanner lists ----------
let t0 = performance.now();
const lists = loadScannerLists(listsDir);
console.log(
  `scanner lists: ${lists.lists.length} files, ${lists.entries} entries, ${lists.segments} segments, loaded in ${(performance.now() - t0).toFixed(0)} ms`,
);
// Listed: addresses of a Censys /24; unlisted: spread over 10/8.
const listed: Uint8Array[] = [];
for (let i = 0; i < 1024; i++) listed.push(Uint8Array.of(162, 142, 125, i & 255));
const unlisted: Uint8Array[] = [];
for (let i = 0; i < 1024; i++) unlisted.push(Uint8Array.of(10, (i * 7) & 255, (i * 13) & 255, i & 255));
const v6 = parseAddress('2602:80d:1000:b0cc:e::1')!;
for (const [name, set, len] of [
  ['listed IPv4', listed, 4],
  ['unlisted IPv4', unlisted, 4],
  ['IPv6', [v6], 16],
] as const) {
  const n = 2_000_000;
  let hits = 0;
  t0 = performance.now();
  for (let i = 0; i < n; i++) if (lists.lookupBytes(set[i & (set.length - 1)]!, len)) hits++;
  const ms = performance.now() - t0;
  console.log(`lookupBytes ${name}: ${rate(n, ms)} (${hits} hits)`);
}
{
  const n = 500_000;
  const texts = ['162.142.125.10', '10.1.2.3', '2602:80d:1000:b0cc:e::1'];
  t0 = performance.now();
  for (let i = 0; i < n; i++) lists.lookup(texts[i % 3]!);
  console.log(`lookup(text), parse included: ${rate(n, performance.now() - t0)}`);
}

// ---------- packet fingerprinter ----------
function timeCapture(withFp: boolean): { ms: number; packets: number } {
  const problems = createProblemLog();
  const r = openCapture(pcap, problems);
  if (!r) throw new Error(`cannot open ${pcap}`);
  const dec = createDecoder(problems);
  const fp = createPacketFingerprinter();
  let packets = 0;
  const start = performance.now();
  for (let f = r.next(); f; f = r.next()) {
    packets++;
    const p = dec.decode(f);
    if (withFp) fp.packet(p);
  }
  fp.finish();
  r.close();
  return { ms: performance.now() - start, packets };
}
try {
  timeCapture(true);
  const bare = timeCapture(false);
  const fp = timeCapture(true);
  console.log(
    `capture ${pcap}: read+decode ${bare.ms.toFixed(0)} ms, +fingerprinter ${fp.ms.toFixed(0)} ms for ${fp.packets} packets (${rate(fp.packets, fp.ms)})`,
  );
} catch (e) {
  console.log(`capture skipped: ${(e as Error).message} (make one with npm run bench first)`);
}

const floodFrames: Frame[] = [];
for (let i = 0; i < flood; i++) {
  const src = `${11 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
  floodFrames.push(
    frame(
      eth(0x0800, ipv4({ src, dst: '192.0.2.1', ttl: 64 }, tcp({ flags: 0x02, window: 512 }))),
      1,
      1000 + i / 1e4,
    ),
  );
}
for (const budget of [1 << 20, 16 << 20]) {
  const dec = createDecoder(createProblemLog());
  const fp = createPacketFingerprinter({ budgetBytes: budget });
  t0 = performance.now();
  for (const f of floodFrames) fp.packet(dec.decode(f));
  fp.finish();
  const ms = performance.now() - t0;
  const s = fp.stats();
  console.log(
    `spoofed flood, ${flood} sources, budget ${budget >> 20} MiB: ${rate(flood, ms)}, peak ${(s.peakBytes / 1024).toFixed(0)} KiB, evicted ${s.evicted}`,
  );
}
