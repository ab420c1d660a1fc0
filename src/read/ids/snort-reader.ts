/**
 * The Snort text-alert reader: fast alerts (one line each, Snort 2 fast.log
 * and Snort 3 alert_fast) and full alerts (several lines, ended by a blank
 * line), told apart line by line so a file holding both is read whole.
 */
import { type LineContext, type LineResult, type LogReader, lineProblem } from '../syslog/types.js';
import type { SnortAlertRecord } from './record.js';
import { parseFastLine } from './snort-fast.js';
import { feedFullLine } from './snort-full.js';
import { startsWithSnortTime } from './snort-time.js';

/** Lines that only occur inside a full alert. */
const fullPart =
  /^(?:\[Classification: |\[Priority: |\[Xref => |\[AppID: |(?:TCP|UDP|ICMP|ICMP6|IP|PROTO:?\d+) TTL:|[*UAPRSF12]{8} Seq: |Len: \d|Type:\d+ {2}Code:\d+|TCP Options)/;

/** How a line looks to the sniffer: a fast alert, a full alert's header, another part of one, or none. */
export function snortLineKind(line: string): 'fast' | 'header' | 'part' | 'other' {
  if (line.startsWith('[**] [')) return 'header';
  if (startsWithSnortTime(line)) {
    if (line.includes('[**] [')) return 'fast';
    if (line.includes(' -> ')) return 'part';
  }
  return fullPart.test(line) ? 'part' : 'other';
}

/**
 * @example snortFastReader.parseLine('11/23-11:12:20.000001  [**] [1:1000001:1] Probe [**] [Priority: 2] {TCP} 10.0.0.1:4 -> 10.0.0.2:22', ctx)
 */
export const snortFastReader: LogReader<SnortAlertRecord> = {
  name: 'snort-alert',
  description:
    'Snort fast alerts (Snort 2 fast.log, Snort 3 alert_fast) and multi-line full alerts (alert_full); yearless times take the year from the file time',
  sniff(lines) {
    let n = 0;
    let anchors = 0;
    let parts = 0;
    for (const l of lines) {
      if (l.trim() === '') continue;
      n++;
      const kind = snortLineKind(l);
      if (kind === 'fast' || kind === 'header') anchors++;
      else if (kind === 'part') parts++;
    }
    return n === 0 || anchors === 0 ? 0 : (anchors + parts) / n;
  },
  parseLine(line: string, ctx: LineContext): LineResult<SnortAlertRecord> {
    const full = feedFullLine(line, ctx);
    if (full !== undefined) return full;
    if (startsWithSnortTime(line)) return parseFastLine(line, ctx);
    return lineProblem(
      ctx,
      'snort.unparsed',
      'line is not a Snort fast alert or part of a full alert; skipped',
    );
  },
};
