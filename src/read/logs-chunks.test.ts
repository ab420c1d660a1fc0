/**
 * readLogFile decodes all-ASCII chunks without the UTF-8 decoder; the lines
 * must be exactly those of one TextDecoder streaming over the file in the
 * same chunks (U+FFFD for bad bytes, a leading BOM dropped, later ones kept),
 * whatever falls on a chunk boundary.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { createProblemLog } from '../util/problems.js';
import { readLogFile } from './logs.js';
import type { LogReader, LogRecordBase } from './syslog/types.js';

const chunk = 256 * 1024; // readLogFile's read size

/** Lines as the plain stream decoder gives them: chunked like readLogFile reads. */
function plainLines(bytes: Uint8Array): string[] {
  const d = new TextDecoder('utf-8', { fatal: false });
  let text = '';
  for (let at = 0; at < bytes.length; at += chunk)
    text += d.decode(bytes.subarray(at, Math.min(at + chunk, bytes.length)), { stream: true });
  text += d.decode();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

const everyLine: LogReader = {
  name: 'lines',
  description: 'every line as a record',
  sniff: () => 1,
  parseLine: (line) => ({ reader: 'syslog', format: 'line', ts: 0, raw: line }),
};

async function readLines(path: string): Promise<string[]> {
  const out: string[] = [];
  await readLogFile(path, createProblemLog(), (r: LogRecordBase) => out.push(r.raw), { reader: everyLine });
  return out;
}

const pieces = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('GET / HTTP/1.1\n', 'a', '\r\n', '\n', 'x'.repeat(1000)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      [0xc3, 0xa9], // é
      [0xe2, 0x82, 0xac], // €
      [0xf0, 0x9f, 0x98, 0x80], // 😀
      [0xef, 0xbb, 0xbf], // BOM
      [0xff],
      [0x80],
      [0xc3],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xed, 0xa0, 0x80], // a surrogate, invalid in UTF-8
      [0xc0, 0xaf],
    ),
  },
);

test('chunked reading (ASCII chunks without the decoder) = one stream decoder; sequences cut at chunk edges', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-chunks-'));
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(
          fc.tuple(fc.integer({ min: -4, max: 4 }), fc.array(pieces, { minLength: 1, maxLength: 4 })),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        async (bom, inserts) => {
          // ASCII lines, with the drawn bytes placed across the first three chunk edges.
          const size = 3 * chunk + 5000;
          const bytes = new Uint8Array(size + 64).fill(0x61);
          for (let i = 99; i < size; i += 100) bytes[i] = 0x0a;
          let extra = 0;
          inserts.forEach(([shift, parts], k) => {
            let at = (1 + (k % 3)) * chunk + shift;
            for (const p of parts) {
              const b = typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p);
              for (const x of b) if (at < bytes.length) bytes[at++] = x;
              extra += b.length;
            }
          });
          if (bom) bytes.set([0xef, 0xbb, 0xbf], 0);
          const path = join(dir, 'x.log');
          writeFileSync(path, bytes);
          assert.deepEqual(await readLines(path), plainLines(bytes), `${extra} bytes inserted`);
        },
      ),
      { numRuns: 60 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('small files: BOM only at the start is dropped, bad bytes are U+FFFD, CRLF and a last line without newline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-chunks-'));
  try {
    const cases = [
      [0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62],
      [0xef, 0xbb],
      [0xef, 0xbb, 0xbf],
      [0x61, 0x0d, 0x0a, 0x62, 0x0d],
      [0x61, 0xe2, 0x82],
      [0xff, 0xfe, 0x0a, 0x41],
      [],
    ];
    for (const c of cases) {
      const bytes = Uint8Array.from(c);
      const path = join(dir, 'x.log');
      writeFileSync(path, bytes);
      assert.deepEqual(await readLines(path), plainLines(bytes), JSON.stringify(c));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
