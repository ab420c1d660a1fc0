/**
 * For tests: log lines and whole log files turned into Events by the real
 * readers and the real normalizer, so the contact and login extractors are
 * tested on what the pipeline would hand them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { normalizeLogRecord } from '../../../normalize/index.js';
import { readLogFile } from '../../../read/logs.js';
import { defaultLineContext, isProblem, type LogReader } from '../../../read/syslog/types.js';
import type { Event } from '../../../schema/event.js';
import { createProblemLog } from '../../../util/problems.js';

/**
 * One log line through `reader` and the normalizer; fails the test when
 * either rejects it.
 * @example const e = eventOf(sshdReader, 'Nov 23 11:12:20 lab-ssh sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2');
 */
export function eventOf(reader: LogReader, line: string): Event {
  const ctx = defaultLineContext({ file: 'unit.log', referenceTime: 1795950000 });
  const r = reader.parseLine(line, ctx);
  assert.ok(r && !isProblem(r), `reader ${reader.name} did not parse: ${line}`);
  const e = normalizeLogRecord(r, { file: 'unit.log', line: 1 });
  assert.ok(e, `no event for: ${line}`);
  return e;
}

/**
 * All events of the log file `rel` under `root`, its reader sniffed; fails
 * the test on any reading problem. Events name the file by `rel`.
 * @example const events = await logEvents(repoRoot, 'examples/lab/auth.log');
 */
export async function logEvents(root: string, rel: string): Promise<Event[]> {
  const out: Event[] = [];
  const problems = createProblemLog();
  await readLogFile(join(root, rel), problems, (r, _reader, ctx) => {
    const e = normalizeLogRecord(r, { file: rel, line: ctx.line });
    if (e) out.push(e);
  });
  assert.equal(problems.total(), 0, `problems reading ${rel}`);
  return out;
}

/**
 * One Suricata EVE line between the lab's scanner and web server, with `o`
 * laid over the defaults.
 * @example eventOf(eveReader, eveLine({ event_type: 'flow' }))
 */
export const eveLine = (o: Record<string, unknown>): string =>
  JSON.stringify({
    timestamp: '2026-11-23T11:13:00.000000+0000',
    flow_id: 1,
    src_ip: '10.99.1.66',
    src_port: 40000,
    dest_ip: '10.99.0.10',
    dest_port: 443,
    proto: 'TCP',
    ...o,
  });
