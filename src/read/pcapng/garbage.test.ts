import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProblemLog } from '../../util/problems.js';
import { captureFromBytes } from '../index.js';
import { Bytes, block, concat, epb, idb, payload, shb, spb } from '../testing/build-capture.js';
import { onlyProblem, readAll } from '../testing/read-all.js';

const head = concat(shb(true), idb(true));
const packets = [0, 1, 2, 3, 4].map((i) =>
  epb(true, { tsHigh: 0, tsLow: 1_000_000 * (i + 1), data: payload(20 + i, i) }),
);
/** Offset of packet block i after `head`. */
const at = (i: number) => head.length + packets.slice(0, i).reduce((n, b) => n + b.length, 0);

function read(bytes: Uint8Array) {
  const log = createProblemLog();
  const frames = readAll(captureFromBytes(bytes, 'g.pcapng', log));
  return { log, frames, secs: frames.map((f) => f.tsSec) };
}

function withLength(b: Uint8Array, len: number): Uint8Array {
  const copy = b.slice();
  new DataView(copy.buffer).setUint32(4, len, true);
  return copy;
}

test('absurd block length: pcapng.bad-block-length at its offset, then the next block is found', () => {
  const { log, secs } = read(
    concat(head, packets[0]!, withLength(packets[1]!, 0x7ffffff0), ...packets.slice(2)),
  );
  assert.deepEqual(secs, [1, 3, 4, 5]);
  const p = onlyProblem(log, 'pcapng.bad-block-length');
  assert.equal(p.offset, at(1));
  assert.equal(p.frame, 1);
  assert.match(
    p.message,
    new RegExp(`skipped ${packets[1]!.length} bytes to the next plausible block at byte ${at(2)}`),
  );
});

test('length not a multiple of 4 or below 12 is a bad length too', () => {
  for (const len of [13, 8, 0]) {
    const { log, secs } = read(concat(head, withLength(packets[0]!, len), ...packets.slice(1)));
    assert.deepEqual(secs, [2, 3, 4, 5], `len ${len}`);
    assert.equal(onlyProblem(log, 'pcapng.bad-block-length').offset, at(0));
  }
});

test('trailer length mismatch: pcapng.trailer-mismatch and resync', () => {
  const bad = packets[2]!.slice();
  new DataView(bad.buffer).setUint32(bad.length - 4, 4, true);
  const { log, secs } = read(concat(head, packets[0]!, packets[1]!, bad, packets[3]!, packets[4]!));
  assert.deepEqual(secs, [1, 2, 4, 5]);
  const p = onlyProblem(log, 'pcapng.trailer-mismatch');
  assert.equal(p.offset, at(2));
  assert.equal(p.frame, 2);
});

test('a length that is valid but points past the end of a short file', () => {
  const { log, secs } = read(concat(head, packets[0]!, withLength(packets[1]!, 4096)));
  assert.deepEqual(secs, [1]);
  assert.equal(onlyProblem(log, 'pcapng.truncated-block').offset, at(1));
  // followed by good blocks it was a corrupt length, not a cut file
  const r = read(concat(head, packets[0]!, withLength(packets[1]!, 400), ...packets.slice(2)));
  assert.deepEqual(r.secs, [1, 3, 4, 5]);
  assert.equal(onlyProblem(r.log, 'pcapng.length-past-end').offset, at(1));
});

test('file truncated inside a block and inside a block header', () => {
  const full = concat(head, ...packets);
  let r = read(full.subarray(0, at(3) + 30));
  assert.deepEqual(r.secs, [1, 2, 3]);
  assert.equal(onlyProblem(r.log, 'pcapng.truncated-block').offset, at(3));
  r = read(full.subarray(0, at(4) + 6));
  assert.deepEqual(r.secs, [1, 2, 3, 4]);
  const p = onlyProblem(r.log, 'pcapng.truncated-block');
  assert.equal(p.offset, at(4));
  assert.equal(p.frame, 4);
});

test('unknown block type with a valid length is skipped with a problem; reserved local types silently', () => {
  const unknown = block(true, 0x1234, new Uint8Array(8));
  const local = block(true, 0x80000001, new Uint8Array(8));
  const { log, secs } = read(concat(head, packets[0]!, unknown, local, packets[1]!));
  assert.deepEqual(secs, [1, 2]);
  assert.equal(onlyProblem(log, 'pcapng.unknown-block').offset, at(1));
  assert.equal(log.total(), 1);
});

test('packet lengths that do not fit, unknown interfaces and odd lengths', () => {
  const overflowing = epb(true, { tsHigh: 0, tsLow: 9, data: payload(8), capLenField: 1000 });
  const noIface = epb(true, { iface: 7, tsHigh: 0, tsLow: 9, data: payload(8) });
  const shortOrig = epb(true, { tsHigh: 0, tsLow: 9, data: payload(8), origLen: 4 });
  const { log, frames } = read(concat(head, overflowing, noIface, shortOrig));
  assert.equal(frames.length, 1);
  assert.equal(frames[0]!.origLen, 8);
  assert.equal(onlyProblem(log, 'pcapng.bad-caplen').offset, head.length);
  assert.equal(onlyProblem(log, 'pcapng.unknown-interface').offset, head.length + overflowing.length);
  assert.equal(onlyProblem(log, 'pcapng.origlen-below-caplen').frame, 0);
});

test('oversized packet and caplen over snaplen', () => {
  const snapHead = concat(shb(true), idb(true, { snapLen: 16 }));
  const big = epb(true, { tsHigh: 0, tsLow: 1, data: payload(300_000) });
  const over = epb(true, { tsHigh: 0, tsLow: 2, data: payload(20) });
  const { log, frames } = read(concat(snapHead, big, over));
  assert.equal(frames.length, 1);
  assert.equal(frames[0]!.capLen, 20);
  assert.equal(onlyProblem(log, 'pcapng.oversized-packet').offset, snapHead.length);
  assert.equal(onlyProblem(log, 'pcapng.caplen-over-snaplen').offset, snapHead.length + big.length);
});

test('bad byte-order magic in a later section header: reported, the rest is resynchronised', () => {
  const badShb = shb(true);
  badShb.set([1, 2, 3, 4], 8);
  const { log, secs } = read(concat(head, packets[0]!, badShb, ...packets.slice(1)));
  assert.deepEqual(secs, [1, 2, 3, 4, 5]);
  assert.equal(onlyProblem(log, 'pcapng.bad-byte-order').offset, at(1));
});

test('file that does not start with a section header, and a simple packet without interfaces', () => {
  const log = createProblemLog();
  const noByteOrder = shb(true);
  noByteOrder.set([0, 0, 0, 0], 8);
  assert.equal(captureFromBytes(concat(noByteOrder, new Uint8Array(16)), 'x', log), undefined);
  assert.equal(log.counts.get('capture.unknown-format'), 1);
  const r = read(concat(shb(true), spb(true, 4, payload(4))));
  assert.equal(r.frames.length, 0);
  assert.equal(onlyProblem(r.log, 'pcapng.unknown-interface').offset, 28);
});

test('unsupported section version is reported and read on', () => {
  const { log, secs } = read(concat(shb(true, 2), idb(true), packets[0]!));
  assert.deepEqual(secs, [1]);
  assert.equal(onlyProblem(log, 'pcapng.unsupported-version').offset, 0);
});

test('malformed IDB option list keeps the interface and reports', () => {
  const body = new Bytes(true).u16(1).u16(0).u32(0).u16(9).u16(200).u32(0).bytes();
  const { log, frames } = read(concat(shb(true), block(true, 1, body), packets[0]!));
  assert.equal(frames.length, 1);
  assert.equal(onlyProblem(log, 'pcapng.bad-option').offset, 28);
});
