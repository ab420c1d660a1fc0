/**
 * Zeek's own conn.log baselines (shared data, pcaps/zeek/oracles/*__conn.log).
 * Their times are masked (XXXXXXXXXX.XXXXXX): the reader reports each such
 * line as a `zeek.masked-time` problem with file and line. With the mask
 * replaced by a time, every column types and renders back to its exact text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { defaultLineContext, isProblem } from '../syslog/types.js';
import { zeekFileState, zeekReader } from './index.js';
import type { ZeekValue } from './record.js';
import { readZeekText } from './testing.js';
import { columnType, decodeZeekEscapes } from './values.js';

const dir = sharedData('pcaps/zeek/oracles');
const oracles = dir.skip ? [] : readdirSync(dir.path).filter((f) => f.endsWith('__conn.log'));

/** Zeek's text for a typed value (times and intervals with 6 decimals). */
function render(v: ZeekValue | undefined, type: string): string {
  if (v === undefined) return '-';
  const t = columnType(type);
  if (Array.isArray(v)) return v.length === 0 ? '(empty)' : v.map((x) => render(x, t.base)).join(',');
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return t.base === 'time' || t.base === 'interval' ? v.toFixed(6) : String(v);
  return v;
}

test('oracles are present', { skip: dir.skip }, () =>
  assert.ok(oracles.length >= 5, `${oracles.length} oracles`),
);

for (const name of oracles) {
  test(`${name}: masked times are problems with file and line`, { skip: dir.skip }, async () => {
    const text = readFileSync(join(dir.path, name), 'utf8');
    const dataLines = text
      .split('\n')
      .map((l, i) => [l, i + 1] as const)
      .filter(([l]) => l !== '' && !l.startsWith('#'));
    assert.ok(dataLines.length > 0);
    const r = await readZeekText(name, text);
    assert.equal(r.records.length, 0);
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.line]),
      dataLines.map(([, n]) => ['zeek.masked-time', n]),
    );
    assert.ok(r.problems.every((p) => p.file === r.path && p.message.includes('XXXXXXXXXX.XXXXXX')));
  });

  test(`${name}: every column types and renders back to its text`, { skip: dir.skip }, () => {
    const ctx = defaultLineContext({ file: name });
    let fields: string[] = [];
    let types: string[] = [];
    let rows = 0;
    for (const [i, raw] of readFileSync(join(dir.path, name), 'utf8').split('\n').entries()) {
      ctx.line = i + 1;
      if (raw.startsWith('#fields')) fields = raw.split('\t').slice(1);
      if (raw.startsWith('#types')) types = raw.split('\t').slice(1);
      const line = raw.replace(/^X+\.X+\t/, '1300475167.096535\t');
      const r = zeekReader.parseLine(line, ctx);
      if (r === null) continue;
      assert.ok(!isProblem(r), `line ${i + 1}: ${isProblem(r) ? r.message : ''}`);
      rows++;
      assert.equal(r.path, 'conn');
      assert.equal(r.ts, 1300475167.096535);
      const cols = line.split('\t');
      fields.forEach((f, k) => {
        const want =
          types[k]!.startsWith('string') || types[k] === 'enum' ? decodeZeekEscapes(cols[k]!) : cols[k]!;
        assert.equal(render(r.fields[f], types[k]!), want, `line ${i + 1} ${f}`);
      });
    }
    assert.ok(rows > 0);
    assert.equal(zeekFileState(ctx).fields?.length, fields.length);
  });
}
