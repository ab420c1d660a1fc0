import { normalizeLogRecord } from '../normalize/index.js';
import { readLogFile } from '../read/logs.js';
import type { Event } from '../schema/event.js';
import type { ProblemLog } from '../schema/problem.js';
import type { Store } from '../store/store.js';
import type { ResolvedInput } from './inputs.js';
import type { JsonlWriter } from './jsonl-writer.js';

const BATCH = 10_000;

export interface LogInputResult {
  reader: string;
  lines: number;
  records: number;
  events: number;
  /** Parsed records that concern no address (e.g. a daemon restart), so they make no event. */
  withoutAddress: number;
}

/**
 * Reads one text log into normalized events: each to `eventsOut` and the
 * store, written in batches after each chunk so memory stays bounded.
 */
export async function analyzeLog(
  input: ResolvedInput,
  ctx: {
    problems: ProblemLog;
    store?: Store;
    eventsOut?: JsonlWriter;
    onEvent: (e: Event) => void;
    onProgress?: (bytesRead: number, size: number) => void;
  },
): Promise<LogInputResult> {
  let pending: Event[] = [];
  let events = 0;
  let withoutAddress = 0;
  const flush = async () => {
    if (ctx.store && pending.length) await ctx.store.writeEvents(pending);
    pending = [];
  };
  const res = await readLogFile(
    input.path,
    ctx.problems,
    (record, _reader, lineCtx) => {
      const e = normalizeLogRecord(record, { file: input.path, line: lineCtx.line });
      if (!e) {
        withoutAddress++;
        return;
      }
      events++;
      ctx.onEvent(e);
      ctx.eventsOut?.write(e);
      if (ctx.store) pending.push(e);
    },
    {
      reader: input.logReader,
      afterChunk: async (bytesRead, size) => {
        ctx.onProgress?.(bytesRead, size);
        if (pending.length >= BATCH) await flush();
      },
    },
  );
  await flush();
  return { reader: res.reader ?? 'unknown', lines: res.lines, records: res.records, events, withoutAddress };
}
