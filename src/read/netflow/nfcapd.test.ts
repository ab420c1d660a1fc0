/**
 * Real nfcapd files made here by Debian's tools, read by Picket and by
 * `nfdump -r FILE -o csv` (plus `-o fmt:%tsr|%trr` for the ms times):
 * record for record, field for field.
 */
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { needTools, repoRoot, sharedData } from '../../../test/support/env.js';
import type { Problem } from '../../schema/problem.js';
import { readNfcapdFile } from './nfcapd.js';
import { nfcapdTempDir, nfdumpReference, rewriteNfcapd, softflowdToNfcapd } from './nfcapd-testing.js';
import type { NetflowRecord } from './record.js';

const tools = needTools('nfdump', 'nfcapd', 'softflowd', 'nfpcapd');
const labCapture = join(repoRoot, 'examples', 'lab', 'capture.pcap');
const labNfcapd = join(repoRoot, 'examples', 'lab', 'netflow', 'nfcapd.202611231110');
const wikipedia = sharedData('pcaps/zeek/wikipedia.pcap');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = nfcapdTempDir();
  dirs.push(d);
  return d;
}

async function readAll(file: string) {
  const records: NetflowRecord[] = [];
  const problems: Problem[] = [];
  const summary = await readNfcapdFile(file, {
    onRecord: (r) => records.push(r),
    onProblem: (p) => problems.push(p),
  });
  return { records, problems, summary };
}

const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));

/** Asserts Picket's records equal nfdump's, in order, field by field; returns how many nfdump durations were unusable. */
function assertSameAsNfdump(ours: NetflowRecord[], theirs: NetflowRecord[], what: string): number {
  assert.equal(ours.length, theirs.length, `${what}: as many records as nfdump`);
  let badTd = 0;
  for (let i = 0; i < ours.length; i++) {
    const o = ours[i]!;
    const t = theirs[i]!;
    const at = `${what} record ${i} (${t.srcAddr}:${t.srcPort} -> ${t.dstAddr}:${t.dstPort})`;
    assert.equal(o.srcAddr, t.srcAddr, `src of ${at}`);
    assert.equal(o.dstAddr, t.dstAddr, `dst of ${at}`);
    assert.equal(o.srcPort, t.srcPort, `sport of ${at}`);
    assert.equal(o.dstPort, t.dstPort, `dport (ICMP type.code) of ${at}`);
    assert.equal(o.proto, t.proto, `proto of ${at}`);
    assert.equal(o.tcpFlags, t.tcpFlags ?? 0, `flags of ${at}`);
    assert.equal(o.packets, t.packets, `packets of ${at}`);
    assert.equal(o.bytes, t.bytes, `bytes of ${at}`);
    assert.equal(ms(o.start), ms(t.start), `start (ms) of ${at}`);
    assert.equal(ms(o.recvTs), ms(t.recvTs), `received (ms) of ${at}`);
    const td = t.fields.durationSeconds;
    assert.equal(typeof td, 'number');
    // nfdump 1.7.1 prints an unsigned underflow (~2^64 ms) when a record's last time precedes its first.
    if ((td as number) > 1e9) {
      badTd++;
      assert.ok(o.end! < o.start!, `${at}: nfdump's underflowed duration means end before start`);
    } else assert.equal(ms(o.end! - o.start!), ms(td as number), `duration (ms) of ${at}`);
    assert.equal(o.exporter || '0.0.0.0', t.exporter, `exporter (ra) of ${at}`);
    assert.equal(o.domain, t.domain, `engine type/id of ${at}`);
    assert.equal(o.fields.exporterId, t.fields.exid ?? 0, `exporter id of ${at}`);
    assert.equal(o.inputIf ?? 0, t.inputIf, `input interface of ${at}`);
    assert.equal(o.outputIf ?? 0, t.outputIf, `output interface of ${at}`);
    assert.equal(o.srcAs ?? 0, t.srcAs, `src AS of ${at}`);
    assert.equal(o.dstAs ?? 0, t.dstAs, `dst AS of ${at}`);
    assert.equal(o.srcMask ?? 0, t.srcMask, `src mask of ${at}`);
    assert.equal(o.dstMask ?? 0, t.dstMask, `dst mask of ${at}`);
    assert.equal(o.direction ?? 0, t.direction, `direction of ${at}`);
    assert.equal(o.tos ?? 0, t.tos, `tos of ${at}`);
    assert.equal(o.nextHop ?? '0.0.0.0', t.nextHop, `next hop of ${at}`);
    for (const k of ['opkt', 'obyt', 'fwd', 'dtos'])
      assert.equal(o.fields[k] ?? 0, t.fields[k] ?? 0, `${k} of ${at}`);
  }
  return badTd;
}

test('the committed lab nfcapd file (Debian nfcapd 1.7.1, uncompressed) reads as nfdump reads it', {
  skip: tools,
}, async () => {
  const { records, problems, summary } = await readAll(labNfcapd);
  assert.deepEqual(problems, []);
  assert.equal(summary.compression, 'none');
  assert.equal(summary.nfdumpVersion, '1.7.1');
  assert.deepEqual(summary.exporters, [{ sysid: 1, address: '127.0.0.1', version: 9, id: 0 }]);
  assert.ok(records.length > 100);
  assertSameAsNfdump(records, nfdumpReference(labNfcapd), 'lab file');
});

for (const version of [5, 9, 10] as const) {
  const how = { 5: 'uncompressed (the default)', 9: 'LZO (-z)', 10: 'LZ4 (-y)' }[version];
  test(`softflowd -v ${version} into nfcapd, ${how}: Picket equals nfdump`, {
    skip: tools,
    timeout: 60_000,
  }, async () => {
    const dir = tempDir();
    const flag = version === 9 ? '-z' : version === 10 ? '-y' : '';
    const files = await softflowdToNfcapd(labCapture, version, dir, flag ? [flag] : []);
    assert.ok(files.length > 0, 'nfcapd wrote a file');
    let total = 0;
    for (const f of files) {
      const { records, problems, summary } = await readAll(f);
      assert.deepEqual(problems, [], `${f}: no problems`);
      assert.equal(summary.compression, { '': 'none', '-z': 'LZO', '-y': 'LZ4' }[flag]);
      assert.ok(summary.exporters.some((e) => e.version === version && e.address === '127.0.0.1'));
      assert.ok(records.every((r) => r.fields.nfversion === version));
      assertSameAsNfdump(records, nfdumpReference(f), `v${version} ${f}`);
      total += records.length;
    }
    assert.ok(total > 100, `${total} flows`);
  });
}

test('nfpcapd files re-written by nfdump -w with LZO, LZ4, none: the same records as nfdump', {
  skip: tools || wikipedia.skip,
  timeout: 120_000,
}, async () => {
  const dir = tempDir();
  const { spawnSync } = await import('node:child_process');
  const made = spawnSync('nfpcapd', ['-r', wikipedia.path, '-l', dir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(made.status, 0, made.stderr);
  const { readdirSync } = await import('node:fs');
  const src = join(dir, readdirSync(dir).find((f) => f.startsWith('nfcapd.'))!);
  const plain = await readAll(src);
  assert.deepEqual(plain.problems, []);
  const reference = nfdumpReference(src);
  assertSameAsNfdump(plain.records, reference, 'nfpcapd');
  for (const flag of ['-z', '-y', ''] as const) {
    const out = rewriteNfcapd(src, join(dir, `re${flag || '-none'}`), flag);
    const again = await readAll(out);
    assert.deepEqual(again.problems, [], `nfdump -w ${flag}`);
    assertSameAsNfdump(again.records, nfdumpReference(out), `nfdump -w ${flag}`);
    assert.equal(again.records.length, plain.records.length);
  }
});

test('BZ2 (nfcapd -j, nfdump -j) reads as nfdump reads it; ZSTD, which Node 20 lacks, is a problem per block', {
  skip: tools,
  timeout: 60_000,
}, async () => {
  const dir = tempDir();
  const files = await softflowdToNfcapd(labCapture, 9, dir, ['-j']);
  for (const f of files) {
    const { records, problems, summary } = await readAll(f);
    assert.deepEqual(problems, []);
    assert.equal(summary.compression, 'BZ2');
    assertSameAsNfdump(records, nfdumpReference(f), `nfcapd -j ${f}`);
  }
  // A ZSTD file (nfdump 1.7.2+) made by changing the header's compression byte: each block is skipped, said, counted.
  const { readFileSync, writeFileSync } = await import('node:fs');
  const bytes = readFileSync(files[0]!);
  bytes[16] = 4;
  const zstd = join(dir, 'zstd');
  writeFileSync(zstd, bytes);
  const { records, problems, summary } = await readAll(zstd);
  assert.equal(summary.compression, 'ZSTD');
  assert.equal(records.length, 0);
  assert.ok(summary.blocksSkipped >= 1);
  // The block counts every record in it: the flows, the exporter record and its statistics.
  assert.ok(summary.recordsSkipped >= nfdumpReference(files[0]!).length);
  assert.equal(problems.length, summary.blocksSkipped);
  for (const p of problems) {
    assert.equal(p.code, 'netflow.nfcapd-compression');
    assert.equal(p.file, zstd);
    assert.equal(p.offset, 40, 'the first block follows the 40-byte header');
    assert.match(p.message, /ZSTD/);
  }
});

test('161 copies of the lab file merged by nfdump -R -w (none, LZO, BZ2, LZ4): several blocks, every record as nfdump reads it', {
  skip: tools,
  timeout: 120_000,
}, async () => {
  const dir = tempDir();
  const copies = join(dir, 'copies');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(copies);
  for (let i = 100; i <= 260; i++) copyFileSync(labNfcapd, join(copies, `nfcapd.2026112312${i}`));
  for (const flag of ['', '-z', '-j', '-y'] as const) {
    const out = join(dir, `merged${flag}`);
    const { spawnSync } = await import('node:child_process');
    const args = ['-R', copies, '-w', out];
    if (flag) args.push(flag);
    const r = spawnSync('nfdump', args, { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const { records, problems, summary } = await readAll(out);
    assert.deepEqual(problems, []);
    assert.ok(summary.blocks >= 2, `nfdump -w ${flag}: ${summary.blocks} blocks`);
    assert.equal(records.length, 161 * 134);
    assertSameAsNfdump(records, nfdumpReference(out), `merged ${flag || 'none'}`);
  }
});

test('compressed blocks (LZO, BZ2, LZ4) with bytes overwritten: no throw, every problem located, records bounded', {
  skip: tools,
  timeout: 120_000,
}, async () => {
  const { readFileSync } = await import('node:fs');
  const { readNfcapdBytes } = await import('./nfcapd.js');
  const fc = (await import('fast-check')).default;
  const dir = tempDir();
  const copy = join(dir, 'lab');
  copyFileSync(labNfcapd, copy);
  for (const flag of ['-z', '-j', '-y'] as const) {
    const file = new Uint8Array(readFileSync(rewriteNfcapd(copy, join(dir, `lab${flag}`), flag)));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 52, max: file.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (edits) => {
          const b = file.slice();
          for (const [i, v] of edits) b[i] = v;
          let records = 0;
          const problems: Problem[] = [];
          await readNfcapdBytes(b, {
            file: 'm',
            onRecord: () => records++,
            onProblem: (p) => problems.push(p),
          });
          assert.ok(records <= (8 * 1024 * 1024) / 24);
          for (const p of problems)
            assert.ok(p.file === 'm' && typeof p.offset === 'number' && p.offset <= b.length);
        },
      ),
      { numRuns: 150 },
    );
  }
});
