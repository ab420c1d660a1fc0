import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProblemLog } from '../../util/problems.js';
import { captureFromBytes, openCapture, sniffCapture } from '../index.js';
import { block, concat, epb, idb, nrb, payload, pb, shb, spb } from '../testing/build-capture.js';
import { readAll } from '../testing/read-all.js';

const T0 = 1_700_000_000;

/** Section with three interfaces: µs Ethernet, ns raw IP, 2^-20 Linux SLL with an offset. */
function threeInterfaceSection(le: boolean): Uint8Array {
  const us = T0 * 1e6 + 123_456;
  const ns = BigInt(T0 + 1) * 1_000_000_000n + 987_654_321n;
  const bin = (T0 + 2 - 1_000_000) * 2 ** 20 + 2 ** 19; // half a second, minus the 1e6 s offset
  return concat(
    shb(le),
    idb(le, { linkType: 1, snapLen: 65535 }),
    idb(le, { linkType: 101, tsresol: 9 }),
    idb(le, { linkType: 113, tsresol: 0x80 | 20, tsoffset: 1_000_000 }),
    epb(le, { iface: 0, tsHigh: Math.floor(us / 2 ** 32), tsLow: us % 2 ** 32, data: payload(60, 1) }),
    epb(le, {
      iface: 1,
      tsHigh: Number(ns >> 32n),
      tsLow: Number(ns & 0xffffffffn),
      data: payload(41, 2),
      origLen: 1500,
    }),
    block(le, 5, new Uint8Array(24)), // interface statistics: skipped
    block(le, 0xbad, new Uint8Array(12)), // custom: skipped
    epb(le, { iface: 2, tsHigh: Math.floor(bin / 2 ** 32), tsLow: bin % 2 ** 32, data: payload(3, 3) }),
  );
}

for (const le of [true, false]) {
  test(`pcapng ${le ? 'little' : 'big'}-endian, three interfaces with their own link types and resolutions`, () => {
    const log = createProblemLog();
    const r = captureFromBytes(threeInterfaceSection(le), 'mem', log);
    assert.equal(r?.format, 'pcapng');
    assert.equal(r?.nanosecond, false);
    const got = readAll(r);
    assert.equal(log.total(), 0, JSON.stringify(log.samples));
    assert.deepEqual(
      got.map((f) => [f.interfaceId, f.linkType, f.tsSec, f.tsNsec, f.capLen, f.origLen]),
      [
        [0, 1, T0, 123_456_000, 60, 60],
        [1, 101, T0 + 1, 987_654_321, 41, 1500],
        [2, 113, T0 + 2, 500_000_000, 3, 3],
      ],
    );
    assert.deepEqual(got[2]!.data, [...payload(3, 3)]);
    assert.deepEqual(
      got.map((f) => f.index),
      [0, 1, 2],
    );
  });
}

test('sniffing recognises pcapng in both byte orders, never by name', () => {
  assert.equal(sniffCapture(shb(true)), 'pcapng');
  assert.equal(sniffCapture(shb(false)), 'pcapng');
  const broken = shb(true);
  broken[8] = 0;
  assert.equal(sniffCapture(broken), undefined);
  assert.equal(sniffCapture(new Uint8Array([0xa1, 0xb2, 0xc3, 0xd4])), 'pcap');
  assert.equal(sniffCapture(new Uint8Array([0x4d, 0x3c, 0xb2, 0xa1])), 'pcap');
  assert.equal(sniffCapture(new Uint8Array([1, 2])), undefined);
});

test('a second section in the other byte order resets the interfaces', () => {
  const log = createProblemLog();
  const bytes = concat(
    shb(true),
    idb(true, { linkType: 1 }),
    idb(true, { linkType: 101 }),
    epb(true, { iface: 1, tsHigh: 0, tsLow: 5_000_000, data: payload(10) }),
    shb(false),
    idb(false, { linkType: 113, tsresol: 3 }),
    epb(false, { iface: 0, tsHigh: 0, tsLow: 2_500, data: payload(20) }),
    epb(false, { iface: 1, tsHigh: 0, tsLow: 1, data: payload(20) }), // interface 1 is gone now
  );
  const got = readAll(captureFromBytes(bytes, 'sections', log));
  assert.deepEqual(
    got.map((f) => [f.interfaceId, f.linkType, f.tsSec, f.tsNsec]),
    [
      [1, 101, 5, 0],
      [0, 113, 2, 500_000_000],
    ],
  );
  assert.equal(log.counts.get('pcapng.unknown-interface'), 1);
});

test('simple packet blocks reuse the previous time and take their length from origLen and snaplen', () => {
  const log = createProblemLog();
  const bytes = concat(
    shb(true),
    idb(true, { linkType: 1, snapLen: 100 }),
    epb(true, { tsHigh: 0, tsLow: 7_000_001, data: payload(10) }),
    spb(true, 64, payload(64, 5)),
    spb(true, 1500, payload(100, 6)), // cut to the snap length
  );
  const got = readAll(captureFromBytes(bytes, 'spb', log));
  assert.equal(log.total(), 0);
  assert.deepEqual(
    got.map((f) => [f.tsSec, f.tsNsec, f.capLen, f.origLen]),
    [
      [7, 1000, 10, 10],
      [7, 1000, 64, 64],
      [7, 1000, 100, 1500],
    ],
  );
  assert.deepEqual(got[1]!.data, [...payload(64, 5)]);
});

test('obsolete packet block (type 2) is read like an EPB', () => {
  const log = createProblemLog();
  const bytes = concat(
    shb(false),
    idb(false),
    idb(false, { linkType: 101 }),
    pb(false, { iface: 1, tsHigh: 0, tsLow: 3_000_002, data: payload(33) }),
  );
  const got = readAll(captureFromBytes(bytes, 'pb', log));
  assert.equal(log.total(), 0);
  assert.deepEqual(
    got.map((f) => [f.interfaceId, f.linkType, f.tsSec, f.tsNsec, f.capLen]),
    [[1, 101, 3, 2000, 33]],
  );
});

test('name resolution blocks fill reader.names', () => {
  const log = createProblemLog();
  const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const bytes = concat(
    shb(true),
    nrb(true, [
      { addr: [10, 0, 0, 1], names: ['gateway.lan', 'gw'] },
      { addr: v6, names: ['v6.example'] },
    ]),
    idb(true),
    epb(true, { tsHigh: 0, tsLow: 1, data: payload(1) }),
  );
  const r = captureFromBytes(bytes, 'nrb', log);
  assert.equal(readAll(r).length, 1);
  assert.equal(log.total(), 0);
  assert.deepEqual(
    [...r!.names],
    [
      ['10.0.0.1', 'gateway.lan'],
      ['2001:db8::1', 'v6.example'],
    ],
  );
});

test('pcapng from a file in small chunks equals the in-memory read, big packets spanning chunks', () => {
  const parts = [shb(true), idb(true, { tsresol: 9 })];
  for (let i = 0; i < 50; i++)
    parts.push(epb(true, { tsHigh: 1, tsLow: i * 1000, data: payload((i * 997) % 9000, i) }));
  const bytes = concat(...parts);
  const want = readAll(captureFromBytes(bytes, 'mem', createProblemLog()));
  assert.equal(want.length, 50);
  const dir = mkdtempSync(join(tmpdir(), 'picket-pcapng-'));
  try {
    const path = join(dir, 'x.pcapng');
    writeFileSync(path, bytes);
    for (const chunkSize of [1, 100, 4096]) {
      const log = createProblemLog();
      const r = openCapture(path, log, { chunkSize });
      assert.deepEqual(readAll(r), want);
      assert.equal(r?.bytesRead, bytes.length);
      assert.equal(log.total(), 0);
      r?.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
