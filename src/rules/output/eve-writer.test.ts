import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEveWriter, toEveAlert } from './eve.js';
import { alertFor, httpTx } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-eve-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('writes one JSON line per alert, flushing whenever the bounded buffer fills', () => {
  const path = join(dir, 'sub', 'eve.json');
  const w = createEveWriter(path, { bufferBytes: 4096, utcOffsetMinutes: 0 });
  const http = httpTx({ method: 'GET', uri: `/${'a'.repeat(300)}`, requestHeaders: [['Host', 'x']] });
  let flushedBeforeClose = false;
  let given = 0;
  for (let i = 0; i < 2000; i++) {
    const a = alertFor('msg:"m"; content:"a"; sid:1;', { frame: i, http });
    const line = `${JSON.stringify(toEveAlert(a, { utcOffsetMinutes: 0 }))}\n`;
    given += Buffer.byteLength(line);
    w.write(a);
    if (w.bytes > 0) flushedBeforeClose = true;
    // What is held back never exceeds the buffer size plus the record that filled it.
    assert.ok(given - w.bytes < 4096 + Buffer.byteLength(line), 'buffer stays bounded');
  }
  assert.ok(flushedBeforeClose, 'data reached the file before close');
  w.close();
  w.close(); // closing twice is harmless
  assert.equal(w.count, 2000);
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines.length, 2000);
  assert.deepEqual(
    lines.map((l) => JSON.parse(l).pcap_cnt),
    lines.map((_, i) => i + 1),
  );
  assert.equal(statSync(path).size, w.bytes);
  assert.throws(() => w.write(alertFor('msg:"m"; content:"a"; sid:1;')), /closed/);
});

test('append mode keeps earlier records; default mode replaces them', () => {
  const path = join(dir, 'eve-append.json');
  for (const append of [false, true]) {
    const w = createEveWriter(path, { append });
    w.write(alertFor('msg:"m"; content:"a"; sid:1;'));
    w.flush();
    w.close();
  }
  assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 2);
  const w = createEveWriter(path);
  w.write(alertFor('msg:"m"; content:"a"; sid:1;'));
  w.close();
  assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 1);
});
