/**
 * Hostile input: random bytes and mutated valid captures (bit flips,
 * truncations, inserted and deleted bytes) must never throw or hang, and every
 * frame handed out must have consistent lengths that lie inside the input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { createProblemLog } from '../util/problems.js';
import { MAX_CAPLEN } from './capture.js';
import { type CaptureReader, captureFromBytes, openCapture } from './index.js';
import { concat, epb, idb, nrb, payload, pcapFile, shb, spb } from './testing/build-capture.js';

/** Reads everything; returns frame count. Fails on throw or on more frames than bytes could hold. */
function drain(bytes: Uint8Array): number {
  const log = createProblemLog();
  const r = captureFromBytes(bytes, 'fuzz', log);
  if (!r) {
    assert.ok(log.total() >= 1, 'a rejected input has a problem');
    return 0;
  }
  let n = 0;
  const limit = bytes.length / 12 + 1; // every frame costs at least a 12-byte header or block
  for (let f = r.next(); f; f = r.next()) {
    assert.equal(f.data.length, f.capLen);
    assert.ok(f.capLen <= MAX_CAPLEN);
    assert.ok(f.origLen >= f.capLen);
    assert.ok(f.offset >= 0 && f.offset + f.capLen <= bytes.length);
    assert.equal(f.index, n);
    assert.ok(f.tsNsec >= 0 && f.tsNsec < 1e9, `nsec ${f.tsNsec}`);
    assert.ok(++n <= limit, 'frame count bounded by input size');
  }
  assert.ok(r.bytesRead <= bytes.length);
  assert.equal(r.next(), undefined);
  return n;
}

const T0 = 1_700_000_000;
const validPcap = (le: boolean, ns: boolean) =>
  pcapFile(
    { le, ns, snapLen: 2000 },
    Array.from({ length: 12 }, (_, i) => ({ sec: T0 + i, frac: i * 17, data: payload(20 + i * 31, i) })),
  );
const validPcapng = (le: boolean) =>
  concat(
    shb(le),
    idb(le, { tsresol: 9 }),
    idb(le, { linkType: 101, tsresol: 0x80 | 24, snapLen: 128 }),
    nrb(le, [{ addr: [192, 168, 1, 1], names: ['router'] }]),
    ...Array.from({ length: 10 }, (_, i) =>
      i % 4 === 3
        ? spb(le, 40, payload(40, i))
        : epb(le, { iface: i & 1, tsHigh: 0x17, tsLow: i * 1_000_000, data: payload(10 + i * 40, i) }),
    ),
    shb(!le),
    idb(!le),
    epb(!le, { tsHigh: 0, tsLow: 5, data: payload(60) }),
  );

const valid = [validPcap(true, false), validPcap(false, true), validPcapng(true), validPcapng(false)];

test('valid fixtures read fully', () => {
  assert.deepEqual(
    valid.map((v) => drain(v)),
    [12, 12, 11, 11],
  );
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; n: number }
  | { kind: 'set32'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.nat(255), { maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('set32' as const), at: fc.nat(), value: fc.nat() }),
);

function mutate(src: Uint8Array, ms: Mutation[]): Uint8Array {
  let b: Uint8Array = src.slice();
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') b[at]! ^= 1 << m.bit;
    else if (m.kind === 'cut') b = b.slice(0, at);
    else if (m.kind === 'insert') b = concat(b.subarray(0, at), Uint8Array.from(m.bytes), b.subarray(at));
    else if (m.kind === 'delete') b = concat(b.subarray(0, at), b.subarray(at + m.n));
    else if (at + 4 <= b.length)
      new DataView(b.buffer, b.byteOffset).setUint32(at, m.value >>> 0, (m.value & 1) === 0);
  }
  return b;
}

test('mutated valid captures never throw, hang or hand out inconsistent frames', () => {
  fc.assert(
    fc.property(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 6 }), (v, ms) => {
      drain(mutate(v, ms));
    }),
    { numRuns: 3000 },
  );
});

test('random bytes behind each magic never throw or hang', () => {
  const heads = [
    valid[0]!.subarray(0, 24),
    valid[1]!.subarray(0, 24),
    shb(true),
    shb(false),
    new Uint8Array(0),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 3000 }), (head, tail) => {
      drain(concat(head, tail));
    }),
    { numRuns: 3000 },
  );
});

test('a single-byte flip costs at most the records around it', () => {
  const v = valid[0]!;
  for (let at = 24; at < v.length; at += 3) {
    const b = v.slice();
    b[at]! ^= 0x80;
    assert.ok(drain(b) >= 9, `flip at ${at}`);
  }
});

/** Frames and problems as plain data, to compare two reads. */
function transcript(r: CaptureReader | undefined, log: ReturnType<typeof createProblemLog>): string[] {
  const out: string[] = [];
  for (let f = r?.next(); f; f = r!.next()) {
    out.push(
      `${f.index} ${f.offset} ${f.tsSec}.${f.tsNsec} ${f.interfaceId}/${f.linkType} ${f.capLen}/${f.origLen} ${f.data.join(',')}`,
    );
  }
  r?.close();
  for (const p of log.samples) out.push(`${p.code}@${p.offset}#${p.frame}: ${p.message}`);
  return out;
}

test('reading a mutated file in small chunks gives exactly the in-memory frames and problems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-fuzz-'));
  const path = join(dir, 'x');
  try {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(mutation, { maxLength: 4 }),
        fc.integer({ min: 1, max: 700 }),
        (v, ms, chunkSize) => {
          const bytes = mutate(v, ms);
          writeFileSync(path, bytes);
          const memLog = createProblemLog(1000);
          const fileLog = createProblemLog(1000);
          const want = transcript(captureFromBytes(bytes, path, memLog), memLog);
          const got = transcript(openCapture(path, fileLog, { chunkSize }), fileLog);
          assert.deepEqual(got, want);
        },
      ),
      { numRuns: 400 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
