import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Event } from '../schema/event.js';
import { createProblemLog } from '../util/problems.js';
import { analyzeNfdumpCsv } from './analyze-nfdump.js';
import { createEventSink } from './event-sink.js';

const header =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
const flow = (i: number) =>
  `2026-11-23 11:12:${String(i % 60).padStart(2, '0')},2026-11-23 11:12:59,0.001,10.99.1.66,10.99.0.${i % 250},${40000 + i},22,TCP,......S.,0,0,1,44,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,127.0.0.1,0/0,1,2026-11-23 11:12:59.000`;

const dir = mkdtempSync(join(tmpdir(), 'picket-nfcsv-'));
let n = 0;

async function run(text: string | Uint8Array) {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, text);
  const problems = createProblemLog();
  const events: Event[] = [];
  const r = await analyzeNfdumpCsv(path, {
    problems,
    sink: createEventSink({ onEvent: (e) => events.push(e) }),
  });
  return { path, problems, events, r };
}

test("a large file is read in chunks with the file's own line numbers, and bad lines are problems", async () => {
  const lines = [header];
  for (let i = 0; i < 30_000; i++) lines.push(i === 12_345 ? 'garbage,line' : flow(i));
  const { path, problems, events, r } = await run(`${lines.join('\n')}\n`);
  assert.equal(events.length, 29_999);
  assert.equal(r.lines, 30_001);
  assert.equal(problems.total(), 1);
  assert.equal(problems.samples[0]!.file, path);
  assert.equal(problems.samples[0]!.line, 12_347, 'header is line 1, flow i is line i + 2');
  assert.equal(new Set(events.map((e) => e.uid)).size, events.length, 'uids differ across chunks');
  assert.ok(events.every((e) => e.type === 'connection' && e.source.kind === 'netflow'));
});

test('random text and bytes after the header never throw and never invent events', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constant(flow(7))), {
        maxLength: 40,
      }),
      async (body) => {
        const { events } = await run(`${header}\n${body.join('\n')}`);
        // Only the real flow lines make events; every random line is a problem or skipped.
        assert.equal(events.length, body.filter((l) => l === flow(7)).length);
        for (const e of events) assert.equal(e.src, '10.99.1.66');
      },
    ),
    { numRuns: 150 },
  );
  const binary = await run(new Uint8Array([0, 255, 10, 13, 0, 44, 44, 10]));
  assert.equal(binary.events.length, 0);
  assert.ok(binary.problems.total() >= 1, 'a file that is not nfdump CSV is reported');
});
