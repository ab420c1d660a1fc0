import { netflowToEvent } from '../normalize/netflow.js';
import { type NfcapdSummary, readNfcapdFile } from '../read/netflow/nfcapd.js';
import type { ProblemLog } from '../schema/problem.js';
import type { TextInputResult } from './analyze-log.js';
import type { EventSink } from './event-sink.js';

export interface NfcapdInputResult extends TextInputResult {
  nfcapd: NfcapdSummary;
}

/**
 * Reads an nfdump binary file (nfcapd, nfpcapd, `nfdump -w`) into the same
 * `connection` events as its `nfdump -o csv` text would make (source netflow,
 * format 'nfcapd'), one block at a time; the sink is flushed between blocks.
 *
 * @example const r = await analyzeNfcapd('flows/nfcapd.202611231110', { problems, sink }) // r.events
 */
export async function analyzeNfcapd(
  path: string,
  ctx: { problems: ProblemLog; sink: EventSink; onProgress?: (bytesRead: number, size: number) => void },
): Promise<NfcapdInputResult> {
  const before = ctx.sink.count;
  const pos = { file: path };
  const nfcapd = await readNfcapdFile(path, {
    onRecord: (r) => {
      const e = netflowToEvent(r, pos);
      if (!e) return;
      e.source.format = 'nfcapd';
      ctx.sink.add(e);
    },
    onProblem: (p) => ctx.problems.add(p),
    afterBlock: async (bytesRead, size) => {
      ctx.onProgress?.(bytesRead, size);
      await ctx.sink.maybeFlush();
    },
  });
  return { format: 'netflow:nfcapd', lines: nfcapd.records, events: ctx.sink.count - before, nfcapd };
}
