import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProblemLog } from '../../util/problems.js';
import { captureFromBytes } from '../index.js';
import {
  concat,
  type PcapRecord,
  payload,
  pcapFile,
  pcapHeader,
  pcapRecord,
} from '../testing/build-capture.js';
import { onlyProblem, readAll } from '../testing/read-all.js';

const T0 = 1_700_000_000;
const recs: PcapRecord[] = [];
for (let i = 0; i < 6; i++) recs.push({ sec: T0 + i, frac: i * 1000, data: payload(50 + i * 10, i) });
const recBytes = recs.map((r) => pcapRecord(r));
/** Byte offset of record i in a plain file built from recs. */
const offsetOf = (i: number) => 24 + recBytes.slice(0, i).reduce((n, b) => n + b.length, 0);

function read(bytes: Uint8Array) {
  const log = createProblemLog();
  const frames = readAll(captureFromBytes(bytes, 'g.pcap', log));
  return { log, frames };
}

test('file cut inside a record header: frames before it, pcap.truncated-header at its offset', () => {
  const full = pcapFile({}, recs);
  const { log, frames } = read(full.subarray(0, offsetOf(4) + 9));
  assert.equal(frames.length, 4);
  const p = onlyProblem(log, 'pcap.truncated-header');
  assert.equal(p.offset, offsetOf(4));
  assert.equal(p.frame, 4);
  assert.equal(log.total(), 1);
});

test('file cut inside packet data: pcap.truncated-record at the record offset', () => {
  const full = pcapFile({}, recs);
  const { log, frames } = read(full.subarray(0, offsetOf(5) + 16 + 20));
  assert.equal(frames.length, 5);
  const p = onlyProblem(log, 'pcap.truncated-record');
  assert.equal(p.offset, offsetOf(5));
  assert.equal(p.frame, 5);
});

test('corrupt captured length resynchronises on the next record and says how much it skipped', () => {
  const bad = pcapRecord({ ...recs[2]!, capLenField: 0x7fffffff });
  const bytes = concat(pcapHeader(), recBytes[0]!, recBytes[1]!, bad, ...recBytes.slice(3));
  const { log, frames } = read(bytes);
  assert.deepEqual(
    frames.map((f) => f.tsSec),
    [T0, T0 + 1, T0 + 3, T0 + 4, T0 + 5],
  );
  const p = onlyProblem(log, 'pcap.bad-record-header');
  assert.equal(p.offset, offsetOf(2));
  assert.equal(p.frame, 2);
  assert.match(p.message, new RegExp(`skipped ${bad.length} bytes .* at byte ${offsetOf(3)}`));
  assert.equal(frames[2]!.offset, offsetOf(3));
});

test('garbage bytes inserted between records are skipped by resync', () => {
  const junk = new Uint8Array(37).fill(0xee);
  const bytes = concat(pcapHeader(), recBytes[0]!, junk, ...recBytes.slice(1));
  const { log, frames } = read(bytes);
  assert.equal(frames.length, 6);
  const p = onlyProblem(log, 'pcap.bad-record-header');
  assert.equal(p.offset, offsetOf(1));
  assert.match(p.message, /skipped 37 bytes/);
  assert.deepEqual(frames[1]!.data, [...recs[1]!.data]);
});

test('a length pointing past the end but followed by good records is pcap.length-past-end', () => {
  // caplen 200000 is under the hard cap but far beyond this small file
  const bad = pcapRecord({ ...recs[1]!, capLenField: 200_000 });
  const bytes = concat(pcapHeader({ snapLen: 0 }), recBytes[0]!, bad, ...recBytes.slice(2));
  const { log, frames } = read(bytes);
  assert.equal(frames.length, 5);
  assert.equal(onlyProblem(log, 'pcap.length-past-end').offset, offsetOf(1));
});

test('snap length zero means no limit (no problem) but the 256 KiB cap still applies', () => {
  const big = payload(70_000);
  let r = read(pcapFile({ snapLen: 0 }, [{ sec: T0, frac: 0, data: big }]));
  assert.equal(r.log.total(), 0);
  assert.equal(r.frames[0]!.capLen, 70_000);
  r = read(pcapFile({ snapLen: 0 }, [{ sec: T0, frac: 0, data: payload(300_000) }]));
  assert.equal(r.frames.length, 0);
  assert.equal(onlyProblem(r.log, 'pcap.bad-record-header').offset, 24);
});

test('caplen over snaplen, origlen below caplen and an oversized fraction are reported, frame kept', () => {
  const bytes = pcapFile({ snapLen: 64 }, [
    { sec: T0, frac: 0, data: payload(100) },
    { sec: T0, frac: 5, data: payload(30), origLen: 20 },
    { sec: T0, frac: 2_500_000, data: payload(30) },
  ]);
  const { log, frames } = read(bytes);
  assert.equal(frames.length, 3);
  assert.equal(onlyProblem(log, 'pcap.caplen-over-snaplen').offset, 24);
  assert.equal(onlyProblem(log, 'pcap.origlen-below-caplen').frame, 1);
  assert.equal(frames[1]!.origLen, 30);
  assert.equal(onlyProblem(log, 'pcap.bad-timestamp').frame, 2);
  assert.equal(frames[2]!.tsSec, T0 + 2);
  assert.equal(frames[2]!.tsNsec, 500_000_000);
});

test('garbage after the last record with nothing plausible reports once and ends', () => {
  const bytes = concat(pcapFile({}, recs), new Uint8Array(100).fill(0xff));
  const { log, frames } = read(bytes);
  assert.equal(frames.length, 6);
  const p = onlyProblem(log, 'pcap.bad-record-header');
  assert.equal(p.offset, offsetOf(6));
  assert.match(p.message, /no plausible record follows; skipped the remaining 100 bytes/);
  assert.equal(log.total(), 1);
});
