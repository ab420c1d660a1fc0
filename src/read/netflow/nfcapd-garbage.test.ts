/**
 * Hostile nfcapd files: random bytes, the real lab file mutated, cut short,
 * with lying block sizes and element lengths; and the two decompressors fed
 * garbage. Nothing throws, problems say where and why, nothing is invented.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../../test/support/env.js';
import type { Problem } from '../../schema/problem.js';
import { readNfcapdBytes } from './nfcapd.js';
import { bz2DecompressBlock } from './nfcapd-bz2.js';
import { lz4DecompressBlock } from './nfcapd-lz4.js';
import { lzoDecompressBlock } from './nfcapd-lzo.js';
import type { NetflowRecord } from './record.js';

const lab = new Uint8Array(readFileSync(join(repoRoot, 'examples', 'lab', 'netflow', 'nfcapd.202611231110')));
const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** The lab file's one data block: header at 40, then its payload; the appendix follows. */
const blockSize = dv(lab).getUint32(44, true);
const blockEnd = 40 + 12 + blockSize;
/** The block opens with the exporter record (32 bytes); the first flow record follows at 84. */
const firstFlow = 52 + 32;

async function read(bytes: Uint8Array, maxBlockBytes?: number) {
  const records: NetflowRecord[] = [];
  const problems: Problem[] = [];
  const summary = await readNfcapdBytes(bytes, {
    file: 'f.nfcapd',
    onRecord: (r) => records.push(r),
    onProblem: (p) => problems.push(p),
    ...(maxBlockBytes ? { maxBlockBytes } : {}),
  });
  for (const p of problems) {
    assert.match(p.code, /^netflow\.nfcapd-/);
    assert.equal(p.file, 'f.nfcapd');
    assert.ok(
      typeof p.offset === 'number' && p.offset >= 0 && p.offset <= bytes.length,
      `offset ${p.offset}`,
    );
  }
  return { records, problems, summary };
}

test('the lab file reads whole: 134 flows, no problems', async () => {
  const { records, problems } = await read(lab);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 134);
  assert.ok(records.every((r) => r.exporter === '127.0.0.1' && r.srcAddr?.startsWith('10.99.')));
});

test('random bytes, with or without a valid magic, never throw and make few records', async () => {
  await fc.assert(
    fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 3000 }), async (magic, body) => {
      const bytes = magic ? new Uint8Array([...lab.subarray(0, 40), ...body]) : body;
      const { records, problems } = await read(bytes);
      // A flow record is at least 24 bytes (header and an address element).
      assert.ok(records.length <= bytes.length / 24);
      if (!magic && records.length === 0) assert.ok(problems.length >= 1 || bytes.length === 0);
    }),
    { numRuns: 400 },
  );
});

test('the lab file with random bytes overwritten never throws; records stay bounded', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.nat({ max: lab.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 30,
      }),
      async (edits) => {
        const b = lab.slice();
        for (const [i, v] of edits) b[i] = v;
        const { records } = await read(b);
        assert.ok(records.length <= blockSize / 24);
      },
    ),
    { numRuns: 400 },
  );
});

test('cut anywhere: nothing from an incomplete block, a problem at its offset; whole blocks read', async () => {
  for (let cut = 0; cut < lab.length; cut += cut < 120 ? 1 : 97) {
    const { records, problems } = await read(lab.subarray(0, cut));
    if (cut >= blockEnd) {
      assert.equal(records.length, 134, `cut at ${cut}`);
    } else {
      assert.equal(records.length, 0, `cut at ${cut}`);
      assert.ok(problems.length >= 1, `cut at ${cut} is reported`);
      if (cut >= 40) {
        assert.ok(problems.some((p) => p.code === 'netflow.nfcapd-truncated' && p.offset === cut));
        if (cut > 40)
          assert.ok(
            problems.some((p) => p.offset === 40),
            'the cut block is named by its offset',
          );
      }
    }
  }
});

test('a block size larger than the file or than the limit: a problem, no allocation of it, no records', async () => {
  for (const size of [blockSize + 1, 0x7fffffff, 0xffffffff]) {
    const b = lab.slice();
    dv(b).setUint32(44, size, true);
    const { records, problems, summary } = await read(b);
    assert.equal(records.length, 0);
    assert.equal(problems[0]!.code, 'netflow.nfcapd-block');
    assert.equal(problems[0]!.offset, 40);
    assert.equal(summary.recordsSkipped, 136);
  }
  const { problems } = await read(lab, 1024);
  assert.match(problems[0]!.message, /at most 1024/);
});

test('lying element and record lengths skip that record only, with a problem', async () => {
  // The first flow record's first element follows its 12-byte record header.
  const firstElement = firstFlow + 12;
  for (const len of [0, 2, 3, 0xffff, 200]) {
    const b = lab.slice();
    dv(b).setUint16(firstElement + 2, len, true);
    const { records, problems } = await read(b);
    assert.equal(records.length, 133, `element length ${len}`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'netflow.nfcapd-element');
    assert.equal(problems[0]!.offset, 40);
  }
  // A record claiming more than the block has: the rest of the block cannot be walked.
  const b = lab.slice();
  dv(b).setUint16(52 + 2, 0xfff0, true);
  const { records, problems } = await read(b);
  assert.equal(records.length, 0);
  assert.equal(problems[0]!.code, 'netflow.nfcapd-record');
});

test('two data blocks in a row are both read (the block loop, not one block)', async () => {
  const block = lab.subarray(40, blockEnd);
  const b = new Uint8Array(40 + 2 * block.length);
  b.set(lab.subarray(0, 40));
  b.set(block, 40);
  b.set(block, 40 + block.length);
  dv(b).setBigUint64(24, 0n, true); // no appendix
  dv(b).setUint32(36, 2, true);
  const { records, problems, summary } = await read(b);
  assert.deepEqual(problems, []);
  assert.equal(summary.blocks, 2);
  assert.equal(records.length, 268);
  assert.equal(new Set(records.map((r) => r.offset)).size, 268, 'each record its own ordinal');
});

test('an IPv6 flow element: nfdump keeps each 64-bit half in host order', async () => {
  const b = lab.slice(0, blockEnd);
  const v = dv(b);
  // A new record: V3 header, an IPv6 element, and the lab record's generic element.
  const rec = new Uint8Array(12 + 36 + 52);
  const rv = dv(rec);
  rv.setUint16(0, 11, true);
  rv.setUint16(2, rec.length, true);
  rv.setUint16(4, 2, true);
  rv.setUint16(12, 3, true);
  rv.setUint16(14, 36, true);
  const src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  for (let i = 0; i < 8; i++) {
    rec[16 + i] = src[7 - i]!;
    rec[24 + i] = src[15 - i]!;
    rec[32 + i] = src[7 - i]!;
    rec[40 + i] = [0, 0, 0, 0, 0, 0, 0, 2][7 - i]!;
  }
  rec.set(lab.subarray(firstFlow + 24, firstFlow + 24 + 52), 48); // the lab record's generic element
  const file = new Uint8Array(52 + rec.length);
  file.set(b.subarray(0, 52));
  file.set(rec, 52);
  const fv = dv(file);
  fv.setBigUint64(24, 0n, true);
  fv.setUint32(40, 1, true);
  fv.setUint32(44, rec.length, true);
  assert.equal(v.getUint16(firstFlow + 12, true), 2, 'the lab record starts with its IPv4 element');
  assert.equal(v.getUint16(firstFlow + 24, true), 1, 'then its generic flow element');
  const { records, problems } = await read(file);
  assert.deepEqual(problems, []);
  assert.equal(records[0]!.srcAddr, '2001:db8::1');
  assert.equal(records[0]!.dstAddr, '2001:db8::2');
  assert.equal(records[0]!.dstPort, 52331);
});

test('LZ4, LZO and BZ2: known blocks decode; garbage returns -1 or fits, never throws', () => {
  const out = new Uint8Array(64);
  // LZ4: 1 literal 'a', a match of 8 at distance 1, then a last literal 'b'.
  const n4 = lz4DecompressBlock(new Uint8Array([0x14, 0x61, 0x01, 0x00, 0x10, 0x62]), out);
  assert.equal(Buffer.from(out.subarray(0, n4)).toString(), 'aaaaaaaaab');
  // LZO1X: 3 literals in the first byte, a 3-byte match 3 back, then the end marker.
  const nz = lzoDecompressBlock(new Uint8Array([20, 0x61, 0x62, 0x63, 0x48, 0x00, 0x11, 0x00, 0x00]), out);
  assert.equal(Buffer.from(out.subarray(0, nz)).toString(), 'abcabc');
  assert.equal(
    lz4DecompressBlock(new Uint8Array([0x14, 0x61, 0x05, 0x00, 0x10, 0x62]), out),
    -1,
    'distance before start',
  );
  assert.equal(lzoDecompressBlock(new Uint8Array([20, 0x61, 0x62]), out), -1, 'literals past the end');
  const small = new Uint8Array(4);
  assert.equal(
    lz4DecompressBlock(new Uint8Array([0x14, 0x61, 0x01, 0x00, 0x10, 0x62]), small),
    -1,
    'does not fit',
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 500 }), fc.nat({ max: 4096 }), (src, cap) => {
      const dst = new Uint8Array(cap);
      for (const f of [lz4DecompressBlock, lzoDecompressBlock, bz2DecompressBlock]) {
        const n = f(src, dst);
        assert.ok(n === -1 || (n >= 0 && n <= cap));
      }
    }),
    { numRuns: 2000 },
  );
});

test('an nfdump 1.6 file (layout 1) is one clear problem, not garbage', async () => {
  const b = lab.slice();
  dv(b).setUint16(2, 1, true);
  const { records, problems } = await read(b);
  assert.equal(records.length, 0);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.code, 'netflow.nfcapd-version');
  assert.match(problems[0]!.message, /1\.6/);
});

/** `printf 'hello hello hello\n' | bzip2 -9`: a real bzip2 stream, as nfdump's BZ2 blocks are. */
const helloBz2 = Buffer.from(
  '425a6839314159265359e5b5f3090000045100001040000244a00021b5180c029069c2a30bb9229c284872daf98480',
  'hex',
);

test('BZ2: a real stream decodes; any change to it is caught (structure or CRC), never thrown', () => {
  const out = new Uint8Array(1024);
  const n = bz2DecompressBlock(helloBz2, out);
  assert.equal(Buffer.from(out.subarray(0, n)).toString(), 'hello hello hello\n');
  assert.equal(bz2DecompressBlock(helloBz2, new Uint8Array(5)), -1, 'does not fit');
  fc.assert(
    fc.property(fc.nat({ max: helloBz2.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
      const b = Uint8Array.from(helloBz2);
      b[i] ^= x;
      const m = bz2DecompressBlock(b, out);
      // A flipped bit in the trailing stream CRC or padding may pass; the data itself must not change.
      if (m >= 0) assert.equal(Buffer.from(out.subarray(0, m)).toString(), 'hello hello hello\n');
    }),
    { numRuns: 500 },
  );
  for (let cut = 0; cut < helloBz2.length; cut++)
    assert.equal(bz2DecompressBlock(helloBz2.subarray(0, cut), out), -1, `cut at ${cut}`);
});
