/** Test helper: writes lines to a temporary file and reads them with the Zeek reader through readLogFile. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Problem } from '../../schema/problem.js';
import { createProblemLog } from '../../util/problems.js';
import { type ReadLogSummary, readLogFile } from '../logs.js';
import { zeekReader } from './index.js';
import type { ZeekRecord } from './record.js';

export interface ZeekRead {
  path: string;
  records: Array<{ rec: ZeekRecord; line: number }>;
  problems: Problem[];
  summary: ReadLogSummary;
}

/** Reads `content` saved as `name` (the name matters: `conn.log` names the path of header-less lines). */
export async function readZeekText(name: string, content: string | Buffer, sniff = false): Promise<ZeekRead> {
  const path = join(mkdtempSync(join(tmpdir(), 'picket-zeek-')), name);
  writeFileSync(path, content);
  const problems = createProblemLog(1000);
  const records: ZeekRead['records'] = [];
  const summary = await readLogFile(
    path,
    problems,
    (rec, _reader, ctx) => records.push({ rec: rec as ZeekRecord, line: ctx.line }),
    sniff ? {} : { reader: zeekReader },
  );
  return { path, records, problems: problems.samples, summary };
}

/** A TSV header block as Zeek writes it. */
export function tsvHeader(path: string, fields: string[], types: string[]): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${path}`,
    '#open\t2024-05-01-10-00-00',
    `#fields\t${fields.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ].join('\n');
}
