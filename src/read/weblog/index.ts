/**
 * The web-log reader: access logs (common, combined, vhost_combined) and
 * nginx / Apache error logs, told apart per line.
 */
import { type LineContext, type LineResult, type LogReader, lineProblem } from '../syslog/types.js';
import { looksLikeAccessLine, parseAccessLine } from './access.js';
import { looksLikeErrorLine, parseErrorLine } from './error.js';
import type { WeblogRecord } from './record.js';

export { parseAccessLine } from './access.js';
export { parseErrorLine } from './error.js';
export { decodeLogEscapes } from './escapes.js';
export type { WeblogHttp, WeblogRecord } from './record.js';

/**
 * @example weblogReader.parseLine('1.2.3.4 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 81 "-" "curl/7.88.1"', ctx)
 */
export const weblogReader: LogReader<WeblogRecord> = {
  name: 'weblog',
  description: 'Apache and nginx access logs (common, combined, vhost_combined) and error logs',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    for (const l of lines) {
      if (l === '') continue;
      n++;
      if (looksLikeAccessLine(l) || looksLikeErrorLine(l)) hits++;
    }
    return n === 0 ? 0 : hits / n;
  },
  parseLine(line: string, ctx: LineContext): LineResult<WeblogRecord> {
    if (line === '') return null;
    const c = line.charCodeAt(0);
    // Error lines start with "[" (Apache) or a digit and "/" (nginx); access lines with an address.
    const r =
      c === 91 || (line.length > 4 && line.charCodeAt(4) === 47)
        ? (parseErrorLine(line, ctx.tzOffsetSeconds) ?? parseAccessLine(line))
        : (parseAccessLine(line) ?? parseErrorLine(line, ctx.tzOffsetSeconds));
    return (
      r ?? lineProblem(ctx, 'weblog.unparsed', 'line is neither an access-log nor an error-log line; skipped')
    );
  },
};
