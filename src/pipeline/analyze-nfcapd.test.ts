import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../test/support/env.js';
import type { Event } from '../schema/event.js';
import { createProblemLog } from '../util/problems.js';
import { analyzeNfcapd } from './analyze-nfcapd.js';
import { createEventSink } from './event-sink.js';
import { resolveInputs } from './inputs.js';
import { analyzeToEvents, flowKey } from './netflow-testing.js';

const labDir = join(repoRoot, 'examples', 'lab', 'netflow');
const labNfcapd = join(labDir, 'nfcapd.202611231110');
const labCsv = join(repoRoot, 'examples', 'lab-nfdump', 'flows.csv');

test('an nfcapd file is recognised by its header, whatever its name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nfcapd-in-'));
  try {
    copyFileSync(labNfcapd, join(dir, 'flows.bin'));
    writeFileSync(join(dir, 'not-nfcapd.202611231110'), 'just text\n');
    const { inputs, unrecognised } = resolveInputs([dir]);
    assert.deepEqual(
      inputs.map((i) => [i.path.slice(dir.length + 1), i.kind]),
      [['flows.bin', 'nfcapd']],
    );
    assert.equal(unrecognised.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("analyze() of the lab nfcapd file gives the CSV path's connection events, with ms times and the exporter", async () => {
  const bin = await analyzeToEvents([labNfcapd]);
  const csv = await analyzeToEvents([labCsv]);
  assert.deepEqual(
    bin.summary.inputs.map((i) => [i.format, i.lines, i.events]),
    [['netflow:nfcapd', 134, 134]],
  );
  assert.equal(bin.summary.problems.total, 0);
  assert.deepEqual(bin.summary.unrecognised, []);
  assert.equal(bin.events.length, csv.events.length);
  for (let i = 0; i < bin.events.length; i++) {
    const b = bin.events[i]!;
    const c = csv.events[i]!;
    assert.equal(b.type, 'connection');
    assert.deepEqual([b.source.kind, b.source.format, b.source.host], ['netflow', 'nfcapd', '127.0.0.1']);
    assert.equal(flowKey(b), flowKey(c), `event ${i}`);
    // nfdump's CSV prints whole seconds; the binary file keeps milliseconds.
    assert.equal(Math.floor(b.ts), c.ts, `start of event ${i}`);
    assert.equal(b.attrs?.tcpFlags, c.attrs?.tcpFlags ?? 0);
    assert.equal(b.attrs?.icmpType, c.attrs?.icmpType);
    assert.equal(b.attrs?.icmpCode, c.attrs?.icmpCode);
    assert.equal(b.attrs?.exporter, c.attrs?.exporter);
  }
  assert.ok(
    bin.events.some((e) => e.ts !== Math.floor(e.ts)),
    'some start has milliseconds',
  );
  assert.equal(new Set(bin.events.map((e) => e.uid)).size, bin.events.length, 'uids differ');
});

test('a file with a broken block: the problem is counted, the good blocks still make events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nfcapd-bad-'));
  try {
    const { readFileSync } = await import('node:fs');
    const lab = readFileSync(labNfcapd);
    const size = lab.readUInt32LE(44);
    const block = lab.subarray(40, 52 + size);
    // Two copies of the data block, the second with a lying element length in its first flow record.
    const bad = Buffer.from(block);
    bad.writeUInt16LE(2, 12 + 32 + 12 + 2);
    const file = Buffer.concat([lab.subarray(0, 40), block, bad]);
    file.writeBigUInt64LE(0n, 24);
    const path = join(dir, 'two-blocks');
    writeFileSync(path, file);
    const problems = createProblemLog();
    const events: Event[] = [];
    const r = await analyzeNfcapd(path, {
      problems,
      sink: createEventSink({ onEvent: (e) => events.push(e) }),
    });
    assert.equal(r.events, 134 + 133);
    assert.equal(problems.total(), 1);
    assert.deepEqual(
      [problems.samples[0]!.code, problems.samples[0]!.file, problems.samples[0]!.offset],
      ['netflow.nfcapd-element', path, 40 + block.length],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
