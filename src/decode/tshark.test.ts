/**
 * Real data: decodes every frame of the shared captures and compares
 * addresses, ports, protocol, TCP flags and VLAN id with tshark's reading of
 * the same frames, for frames that both sides see as plain TCP or UDP.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, sharedData } from '../../test/support/env.js';
import { openCapture } from '../read/index.js';
import { formatAddress } from '../util/ip.js';
import { createProblemLog } from '../util/problems.js';
import { createDecoder } from './index.js';

const pcaps = sharedData('pcaps');
const skip = pcaps.skip || needTools('tshark');

function captureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captureFiles(p));
    else if (/\.pcap(ng)?$/.test(name)) out.push(p);
  }
  return out;
}

const FIELDS = [
  'ip.src',
  'ipv6.src',
  'ip.dst',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
];

function tsharkRows(file: string): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=f'];
  for (const f of [...FIELDS, 'tcp.flags', 'vlan.id', 'ip.proto', 'ipv6.nxt']) args.push('-e', f);
  const res = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(res.status, 0, `tshark failed on ${file}: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('|'));
}

test('per-frame addresses, ports, protocol, flags and VLAN match tshark on the shared captures', {
  skip,
}, () => {
  const files = captureFiles(pcaps.path);
  assert.ok(files.length > 0);
  let compared = 0;
  const mismatches: string[] = [];
  for (const file of files) {
    const rows = tsharkRows(file);
    const problems = createProblemLog();
    const reader = openCapture(file, problems);
    assert.ok(reader, `cannot open ${file}`);
    const dec = createDecoder(problems);
    let i = 0;
    for (let f = reader.next(); f; f = reader.next(), i++) {
      const p = dec.decode(f);
      const row = rows[i];
      if (!row) continue;
      const [src4, src6, dst4, dst6, tsp, tdp, usp, udp, flags, vlan] = row;
      const tsharkTcp = tsp !== '';
      const tsharkUdp = usp !== '';
      const ours = p.ipProto === 6 || p.ipProto === 17;
      if (p.fragment) continue; // tshark shows fragments' transport only on the reassembling frame
      if (!ours && !tsharkTcp && !tsharkUdp) continue;
      compared++;
      const where = `${file} frame ${i + 1}`;
      const want = {
        src: src4 || src6,
        dst: dst4 || dst6,
        srcPort: Number(tsharkTcp ? tsp : tsharkUdp ? usp : -1),
        dstPort: Number(tsharkTcp ? tdp : tsharkUdp ? udp : -1),
        proto: tsharkTcp ? 6 : tsharkUdp ? 17 : -1,
        flags: tsharkTcp ? Number.parseInt(flags!, 16) : 0,
        vlan: vlan === '' ? -1 : Number(vlan),
      };
      const got = {
        src: formatAddress(p.src, p.addrLen),
        dst: formatAddress(p.dst, p.addrLen),
        srcPort: p.srcPort,
        dstPort: p.dstPort,
        proto: p.ipProto,
        flags: p.tcpFlags,
        vlan: p.vlan,
      };
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        mismatches.push(`${where}: tshark ${JSON.stringify(want)} vs ours ${JSON.stringify(got)}`);
      }
    }
    reader.close();
    assert.equal(i, rows.length, `${file}: frame count differs from tshark`);
  }
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.ok(compared > 1000, `compared only ${compared} frames`);
});
