/**
 * Cross-check with tshark's conversation statistics: for every shared capture
 * (../shared/data/pcaps) and the lab capture in examples/lab, per TCP/UDP address:port pair, the frames and bytes in each
 * direction (tshark counts frame lengths, so our wire bytes) must agree with
 * our flows aggregated over that pair. tshark prints large byte counts
 * rounded to kB/MB; those are compared at that precision.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, repoRoot, sharedData } from '../../test/support/env.js';
import type { FlowRecord } from '../schema/flow.js';
import { flowsOf } from './testing/run-capture.js';

const dir = sharedData('pcaps');
const labCapture = join(repoRoot, 'examples', 'lab', 'capture.pcap');
const tools = needTools('tshark');

function pcaps(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) out.push(...pcaps(p));
    else if (e.name.endsWith('.pcap') || e.name.endsWith('.pcapng')) out.push(p);
  }
  return out.sort();
}

interface Side {
  frames: number;
  bytes: number;
}
interface Conv {
  a: string;
  b: string;
  bToA: Side;
  aToB: Side;
  units: [string, string];
}

const UNIT: Record<string, number> = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

function tsharkConvs(file: string, proto: 'tcp' | 'udp'): Conv[] {
  const r = spawnSync('tshark', ['-n', '-q', '-z', `conv,${proto}`, '-r', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const convs: Conv[] = [];
  const re =
    /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+([\d,]+)\s+(bytes|kB|MB|GB)\s+(\d+)\s+([\d,]+)\s+(bytes|kB|MB|GB)/;
  for (const line of r.stdout.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    convs.push({
      a: m[1]!,
      b: m[2]!,
      bToA: { frames: Number(m[3]), bytes: Number(m[4]!.replace(/,/g, '')) },
      aToB: { frames: Number(m[6]), bytes: Number(m[7]!.replace(/,/g, '')) },
      units: [m[5]!, m[8]!],
    });
  }
  return convs;
}

const ep = (h: string, p: number) => `${h}:${p}`;

function ourSides(flows: FlowRecord[], proto: string, a: string, b: string): { aToB: Side; bToA: Side } {
  const aToB = { frames: 0, bytes: 0 };
  const bToA = { frames: 0, bytes: 0 };
  for (const f of flows) {
    if (f.proto !== proto) continue;
    const o = ep(f.origH, f.origP);
    const r = ep(f.respH, f.respP);
    if (o === a && r === b) {
      aToB.frames += f.origPkts;
      aToB.bytes += f.origWireBytes;
      bToA.frames += f.respPkts;
      bToA.bytes += f.respWireBytes;
    } else if (o === b && r === a) {
      aToB.frames += f.respPkts;
      aToB.bytes += f.respWireBytes;
      bToA.frames += f.origPkts;
      bToA.bytes += f.origWireBytes;
    }
  }
  return { aToB, bToA };
}

function bytesAgree(ours: number, shown: number, unit: string): boolean {
  const scale = UNIT[unit]!;
  return scale === 1 ? ours === shown : Math.abs(ours / scale - shown) <= 1;
}

const files = [...(dir.skip ? [] : pcaps(dir.path)), ...(existsSync(labCapture) ? [labCapture] : [])];
let totalCompared = 0;

for (const file of files) {
  test(`tshark conversations agree for ${file.startsWith(dir.path) ? file.slice(dir.path.length + 1) : 'examples/lab/capture.pcap'}`, {
    skip: tools,
  }, () => {
    const flows = flowsOf(file);
    const diffs: string[] = [];
    let compared = 0;
    for (const proto of ['tcp', 'udp'] as const) {
      for (const c of tsharkConvs(file, proto)) {
        compared++;
        const ours = ourSides(flows, proto, c.a, c.b);
        const label = `${proto} ${c.a} <-> ${c.b}`;
        if (ours.aToB.frames !== c.aToB.frames || ours.bToA.frames !== c.bToA.frames)
          diffs.push(
            `${label}: frames tshark ${c.aToB.frames}/${c.bToA.frames} ours ${ours.aToB.frames}/${ours.bToA.frames}`,
          );
        if (
          !bytesAgree(ours.aToB.bytes, c.aToB.bytes, c.units[1]) ||
          !bytesAgree(ours.bToA.bytes, c.bToA.bytes, c.units[0])
        )
          diffs.push(
            `${label}: bytes tshark ${c.aToB.bytes} ${c.units[1]}/${c.bToA.bytes} ${c.units[0]} ours ${ours.aToB.bytes}/${ours.bToA.bytes}`,
          );
      }
    }
    totalCompared += compared;
    assert.deepEqual(diffs, [], `${diffs.length} of ${compared} conversations differ:\n${diffs.join('\n')}`);
  });
}

test('the tshark cross-check compared real conversations', { skip: tools || dir.skip }, () => {
  assert.ok(totalCompared >= 20, `only ${totalCompared} conversations parsed from tshark output`);
});
