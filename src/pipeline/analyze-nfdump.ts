import { closeSync, openSync, readSync } from 'node:fs';
import { netflowToEvent } from '../normalize/netflow.js';
import { parseNfdumpCsv } from '../read/netflow/nfdump-csv.js';
import type { ProblemLog } from '../schema/problem.js';
import type { TextInputResult } from './analyze-log.js';
import type { EventSink } from './event-sink.js';

const CHUNK = 1 << 20;

/**
 * Reads `nfdump -o csv` output into `connection` events (source netflow), in
 * chunks of whole lines each led by the header, so memory stays bounded and
 * line numbers (and so event uids) are the file's own.
 */
export async function analyzeNfdumpCsv(
  path: string,
  ctx: { problems: ProblemLog; sink: EventSink },
): Promise<TextInputResult> {
  const before = ctx.sink.count;
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(CHUNK);
  let carry = '';
  let header: string | undefined;
  let linesBefore = 0;
  const parse = async (text: string) => {
    parseNfdumpCsv(
      `${header}\n${text}`,
      (r) => {
        const e = netflowToEvent(r, { file: path });
        if (e) ctx.sink.add(e);
      },
      (p) => ctx.problems.add(p),
      { file: path, lineOffset: linesBefore - 1 },
    );
    await ctx.sink.maybeFlush();
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      const text = carry + buf.toString('utf8', 0, n);
      const cut = n === 0 ? text.length : text.lastIndexOf('\n') + 1;
      let body = text.slice(0, cut);
      carry = text.slice(cut);
      if (header === undefined && body) {
        const nl = body.indexOf('\n');
        header = (nl < 0 ? body : body.slice(0, nl)).replace(/\r$/, '');
        body = nl < 0 ? '' : body.slice(nl + 1);
        linesBefore = 1;
      }
      if (body) {
        await parse(body);
        linesBefore += countLines(body);
      }
      if (n === 0) break;
    }
  } finally {
    closeSync(fd);
  }
  return { format: 'netflow:nfdump-csv', lines: linesBefore, events: ctx.sink.count - before };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return s.endsWith('\n') ? n : n + 1;
}
