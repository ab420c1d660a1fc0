import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProblemLog } from '../../util/problems.js';
import { captureFromBytes, openCapture } from '../index.js';
import { type PcapRecord, payload, pcapFile } from '../testing/build-capture.js';
import { onlyProblem, readAll } from '../testing/read-all.js';

const records: PcapRecord[] = [
  { sec: 1_700_000_000, frac: 1, data: payload(60, 1) },
  { sec: 1_700_000_000, frac: 999_999, data: payload(1514, 2), origLen: 1514 },
  { sec: 1_700_000_001, frac: 0, data: payload(40, 3), origLen: 1500 },
];

function withTempFile<T>(bytes: Uint8Array, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'picket-pcap-'));
  try {
    const path = join(dir, 'x.bin');
    writeFileSync(path, bytes);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const le of [true, false]) {
  for (const ns of [false, true]) {
    test(`pcap ${le ? 'little' : 'big'}-endian ${ns ? 'nanosecond' : 'microsecond'}`, () => {
      const recs = ns ? records.map((r) => ({ ...r, frac: r.frac * 1000 + 7 })) : records;
      const log = createProblemLog();
      const r = captureFromBytes(pcapFile({ le, ns, linkType: 113 }, recs), 'mem', log);
      assert.equal(r?.format, 'pcap');
      assert.equal(r?.nanosecond, ns);
      const got = readAll(r);
      assert.equal(log.total(), 0);
      assert.equal(got.length, 3);
      let off = 24;
      got.forEach((g, i) => {
        const want = recs[i]!;
        assert.equal(g.index, i);
        assert.equal(g.offset, off);
        assert.equal(g.tsSec, want.sec);
        assert.equal(g.tsNsec, ns ? want.frac : want.frac * 1000);
        assert.equal(g.linkType, 113);
        assert.equal(g.capLen, want.data.length);
        assert.equal(g.origLen, want.origLen ?? want.data.length);
        assert.deepEqual(g.data, [...want.data]);
        off += 16 + want.data.length;
      });
      assert.equal(r?.bytesRead, r?.size);
    });
  }
}

test('pcap link type masks off the FCS bits of the upper field', () => {
  const log = createProblemLog();
  // FCS present (bit 29), FCS length 2 (bits 26..28), link type 1
  const got = readAll(
    captureFromBytes(pcapFile({ linkType: (1 << 29) | (2 << 26) | 1 }, records), 'fcs', log),
  );
  assert.equal(got[0]!.linkType, 1);
});

test('pcap from a file in tiny chunks gives the same frames as in memory', () => {
  const many: PcapRecord[] = [];
  for (let i = 0; i < 200; i++) many.push({ sec: 1000 + i, frac: i, data: payload((i * 37) % 3000, i) });
  const bytes = pcapFile({}, many);
  const want = readAll(captureFromBytes(bytes, 'mem', createProblemLog()));
  for (const chunkSize of [1, 7, 64, 1000, 4096]) {
    const log = createProblemLog();
    const got = withTempFile(bytes, (path) => {
      const r = openCapture(path, log, { chunkSize });
      const all = readAll(r);
      assert.equal(r?.bytesRead, bytes.length);
      r?.close();
      return all;
    });
    assert.equal(log.total(), 0);
    assert.deepEqual(got, want, `chunk ${chunkSize}`);
  }
});

test('pcap header with no records reads zero frames and no problem', () => {
  const log = createProblemLog();
  assert.equal(readAll(captureFromBytes(pcapFile({}, []), 'empty-pcap', log)).length, 0);
  assert.equal(log.total(), 0);
});

test('unusable inputs: empty, wrong magic, short header, missing file, directory', () => {
  const cases: [Uint8Array, string][] = [
    [new Uint8Array(0), 'capture.empty'],
    [new TextEncoder().encode('GET / HTTP/1.1\r\n'), 'capture.unknown-format'],
    [pcapFile({}, []).subarray(0, 20), 'pcap.truncated-file-header'],
  ];
  for (const [bytes, code] of cases) {
    const log = createProblemLog();
    assert.equal(captureFromBytes(bytes, 'bad', log), undefined);
    assert.equal(onlyProblem(log, code).offset, 0);
    const log2 = createProblemLog();
    assert.equal(
      withTempFile(bytes, (p) => openCapture(p, log2)),
      undefined,
    );
    assert.equal(log2.counts.get(code), 1);
  }
  const log = createProblemLog();
  assert.equal(openCapture('/nonexistent/picket.pcap', log), undefined);
  assert.equal(log.counts.get('capture.unreadable'), 1);
  assert.equal(openCapture(tmpdir(), log), undefined);
  assert.equal(log.counts.get('capture.unreadable'), 2);
});

test('pcap version other than 2 is reported and still read', () => {
  const log = createProblemLog();
  assert.equal(readAll(captureFromBytes(pcapFile({ versionMajor: 3 }, records), 'v3', log)).length, 3);
  assert.equal(onlyProblem(log, 'pcap.unusual-version').offset, 4);
});

test('input that is a view into a larger buffer reads its own bytes only', () => {
  const bytes = pcapFile({}, records);
  const host = new Uint8Array(bytes.length + 10).fill(0xaa);
  host.set(bytes, 5);
  const log = createProblemLog();
  const got = readAll(captureFromBytes(host.subarray(5, 5 + bytes.length), 'view', log));
  assert.equal(log.total(), 0);
  assert.deepEqual(
    got.map((g) => g.data),
    records.map((r) => [...r.data]),
  );
});
