import { normalizeLogRecord } from '../normalize/index.js';
import { readLogFile } from '../read/logs.js';
import type { ProblemLog } from '../schema/problem.js';
import type { EventSink } from './event-sink.js';
import type { ResolvedInput } from './inputs.js';

export interface TextInputResult {
  /** e.g. log:sshd, netflow:nfdump-csv */
  format: string;
  lines: number;
  events: number;
}

/**
 * Reads one text log into normalized events. Records that concern no address
 * (e.g. a daemon restart) are parsed but make no event.
 */
export async function analyzeLog(
  input: ResolvedInput,
  ctx: { problems: ProblemLog; sink: EventSink; onProgress?: (bytesRead: number, size: number) => void },
): Promise<TextInputResult> {
  const before = ctx.sink.count;
  const res = await readLogFile(
    input.path,
    ctx.problems,
    (record, _reader, lineCtx) => {
      const e = normalizeLogRecord(record, { file: input.path, line: lineCtx.line });
      if (e) ctx.sink.add(e);
    },
    {
      reader: input.logReader,
      afterChunk: async (bytesRead, size) => {
        ctx.onProgress?.(bytesRead, size);
        await ctx.sink.maybeFlush();
      },
    },
  );
  return { format: `log:${res.reader ?? 'unknown'}`, lines: res.lines, events: ctx.sink.count - before };
}
