/**
 * Garbage in: random and mutated TSV, header and JSON lines through one
 * per-file state, 1 MB lines, invalid UTF-8. Every line gives a record, a
 * problem with file and line, or nothing (header lines); nothing throws, and
 * the good lines around the bad ones are read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { zeekToEvent } from '../../normalize/zeek.js';
import { eventSchema } from '../../schema/event.js';
import { defaultLineContext, isProblem } from '../syslog/types.js';
import { zeekReader } from './index.js';
import { readZeekText, tsvHeader } from './testing.js';

const header = tsvHeader(
  'conn',
  'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto conn_state orig_bytes tunnel_parents duration'.split(
    ' ',
  ),
  'time string addr port addr port enum string count set[string] interval'.split(' '),
).split('\n');
const good = [
  '1700000000.100000\tCa1\t10.0.0.1\t40000\t10.0.0.2\t22\ttcp\tS0\t-\t(empty)\t-',
  '1700000000.200000\tCa2\t2001:db8::1\t40001\t2001:db8::2\t80\ttcp\tSF\t120\tCx,Cy\t1.500000',
  '{"ts":1700000001.5,"uid":"Cj","id.orig_h":"10.0.0.3","id.orig_p":1,"id.resp_h":"10.0.0.4","id.resp_p":2,"conn_state":"REJ","history":"Sr"}',
  '{"ts":"2024-01-01T00:00:00Z","uid":"Cn","_path":"notice","note":"Scan::Port_Scan","src":"10.0.0.7","msg":"x scanned 20 ports"}',
  '{"ts":1700000003,"uid":"Cw","_path":"weird","id.orig_h":"10.0.0.8","name":"bad_TCP_checksum"}',
  '{"ts":1700000004,"uid":"Cs","_path":"ssh","id.orig_h":"10.0.0.9","auth_success":false,"auth_attempts":3}',
  '{"ts":1700000005,"uid":"Ch","_path":"http","id.orig_h":"10.0.0.9","method":"GET","status_code":200,"uri":"/"}',
  ...header,
];

const mutated = fc
  .tuple(fc.constantFrom(...good), fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 20 }))
  .map(([l, at, cut, ins]) => {
    const i = at % (l.length + 1);
    return l.slice(0, i) + ins + l.slice(i + cut);
  });
const line = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  mutated,
  fc.constantFrom(...good),
  fc.json({ maxDepth: 4 }),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 14 }).map((a) => a.join('\t')),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }).map((a) => `#fields\t${a.join('\t')}`),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 8 }).map((a) => `#types\t${a.join('\t')}`),
  fc.string({ maxLength: 4 }).map((s) => `#separator ${s}`),
);

test('random, mutated and header-shuffling lines through one file state: record, problem or null, never a throw', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const ctx = defaultLineContext({ file: 'g.log' });
      for (const [i, l] of [...header, ...lines].entries()) {
        ctx.line = i + 1;
        const r = zeekReader.parseLine(l, ctx);
        if (r === null) continue;
        if (isProblem(r)) {
          assert.equal(r.file, 'g.log');
          assert.equal(r.line, i + 1);
          assert.ok(r.code.startsWith('zeek.'));
          assert.ok(r.message.length < 400);
          continue;
        }
        assert.equal(typeof r.ts, 'number');
        assert.ok(Number.isFinite(r.ts));
        const e = zeekToEvent(r, { file: 'g.log', line: i + 1 });
        if (e) eventSchema.parse(e);
      }
    }),
    { numRuns: 1500 },
  );
});

test('sniff never throws on garbage', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
      const s = zeekReader.sniff(lines);
      assert.ok(s >= 0 && s <= 1);
    }),
    { numRuns: 1000 },
  );
});

test('1 MB lines, invalid UTF-8 and garbage are problems with file and line; the rest is read', async () => {
  const parts = [
    Buffer.from(`${header.join('\n')}\n${good[0]}\n`),
    Buffer.from(
      `1700000000.3\tCbig\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\tS0\t-\t(empty)\t${'A'.repeat(1 << 20)}\n`,
    ),
    Buffer.from(`{"ts":1,"uid":"${'B'.repeat(1 << 20)}","id.orig_h":"10.0.0.1"}\n`),
    Buffer.concat([
      Buffer.from(
        '1700000000.4\tC\xff\xfe'.replace(/./g, (c) => c),
        'latin1',
      ),
      Buffer.from('\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\tS0\t-\t(empty)\t-\n'),
    ]),
    Buffer.from([0xff, 0xfe, 0x80, 0x0a]),
    Buffer.from(`${good[1]}\n`),
  ];
  const r = await readZeekText('conn.log', Buffer.concat(parts));
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.line]),
    [
      ['log.line-too-long', 10],
      ['log.line-too-long', 11],
      ['zeek.column-count', 13],
    ],
  );
  assert.deepEqual(
    r.records.map((x) => [x.line, x.rec.fields.uid]),
    [
      [9, 'Ca1'],
      [12, 'C\ufffd\ufffd'],
      [14, 'Ca2'],
    ],
  );
});

test('a 60 KiB line of escapes and separators is parsed', () => {
  const ctx = defaultLineContext({ file: 'g.log' });
  for (const h of header) zeekReader.parseLine(h, ctx);
  const big = `1700000000.1\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t${'\\xc3\\xa9\\xff'.repeat(5000)}\t-\t${',a'.repeat(6000)}\t-`;
  const r = zeekReader.parseLine(big, ctx);
  assert.ok(r && !isProblem(r));
  const e = zeekToEvent(r, { line: 1 });
  assert.ok(e);
  eventSchema.parse(e);
  assert.ok(String(e.attrs!.conn_state).length <= 1025);
});
