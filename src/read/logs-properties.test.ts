/**
 * Garbage in: random strings, mutated real lines, 1 MB lines, invalid UTF-8
 * and yearless dates across New Year. No throw, problems carry file and line,
 * the rest is read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../test/support/env.js';
import { normalizeLogRecord } from '../normalize/index.js';
import { createProblemLog } from '../util/problems.js';
import { logReaders, readLogFile } from './logs.js';
import { parseSyslogHeader } from './syslog/header.js';
import { defaultLineContext, isProblem } from './syslog/types.js';

const lab = join(repoRoot, 'examples', 'lab');
const realLines = ['firewall.log', 'auth.log', 'access.log', 'error.log'].flatMap((f) =>
  readFileSync(join(lab, f), 'utf8').trim().split('\n'),
);

const mutated = fc
  .tuple(fc.constantFrom(...realLines), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 30 }))
  .map(([l, at, cut, ins]) => {
    const i = at % (l.length + 1);
    return l.slice(0, i) + ins + l.slice(i + cut);
  });

for (const reader of logReaders) {
  test(`${reader.name}: random and mutated lines never throw`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutated, fc.constantFrom(...realLines)), (line) => {
        const ctx = defaultLineContext({ file: 'x.log', line: 7 });
        const r = reader.parseLine(line, ctx);
        if (r && isProblem(r)) {
          assert.equal(r.file, 'x.log');
          assert.equal(r.line, 7);
        } else if (r) normalizeLogRecord(r, { file: 'x.log', line: 7 });
      }),
      { numRuns: 2000 },
    );
  });
}

test('readLogFile: 1 MB line, invalid UTF-8 and garbage are problems with file and line; the rest is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-logs-'));
  const path = join(dir, 'auth.log');
  const good = readFileSync(join(lab, 'auth.log'));
  const parts = [
    good,
    Buffer.from(
      `Nov 23 11:13:00 h sshd[1]: Failed password for ${'A'.repeat(1 << 20)} from 1.2.3.4 port 5 ssh2\n`,
    ),
    Buffer.from([0xff, 0xfe, 0x80, 0x0a]),
    Buffer.from('Nov 23 11:13:01 h sshd[2]: Invalid user \xc3\x28 from 10.0.0.9 port 7\n', 'latin1'),
    Buffer.from('complete garbage\n'),
    good,
  ];
  writeFileSync(path, Buffer.concat(parts));
  const problems = createProblemLog();
  const events: unknown[] = [];
  const s = await readLogFile(path, problems, (r, _rd, ctx) => {
    const e = normalizeLogRecord(r, { file: ctx.file, line: ctx.line });
    if (e) events.push(e);
  });
  const n = good.toString().trim().split('\n').length;
  assert.equal(s.reader, 'sshd');
  assert.equal(problems.counts.get('log.line-too-long'), 1);
  assert.ok(problems.total() >= 2);
  for (const p of problems.samples) {
    assert.equal(p.file, path);
    assert.ok(p.line! > n);
  }
  assert.equal(s.lines, 2 * n + 4);
  // Both copies of the real log are read, plus the invalid-user line with U+FFFD in its name.
  assert.equal(s.records, 2 * n + 1);
  assert.ok(events.some((e) => (e as { user?: string }).user?.includes('\ufffd')));
});

test('yearless dates across New Year: December read in January is last year', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2000, max: 2090 }), fc.integer({ min: 0, max: 86399 }), (year, secs) => {
      const ref = Date.UTC(year, 0, 1) / 1000 + secs;
      const ctx = defaultLineContext({ referenceTime: ref });
      const dec = parseSyslogHeader('Dec 31 23:59:59 h sshd[1]: x', ctx)!;
      assert.equal(new Date(dec.ts * 1000).getUTCFullYear(), year - 1);
      const jan = parseSyslogHeader('Jan  1 00:00:00 h sshd[1]: x', ctx)!;
      assert.equal(new Date(jan.ts * 1000).getUTCFullYear(), year);
    }),
  );
});
