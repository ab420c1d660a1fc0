/**
 * The OpenSSH reader: auth.log / secure / journal text. Lines from other
 * programs in the same file come back as generic syslog records.
 */
import { parseSyslogHeader } from '../syslog/header.js';
import { type SyslogRecord, syslogRecord } from '../syslog/record.js';
import {
  type LineContext,
  type LineResult,
  type LogReader,
  type LogRecordBase,
  lineProblem,
} from '../syslog/types.js';
import { isSshdProgram, parseSshdMessage, type SshdFields } from './messages.js';

export { isSshdProgram, parseSshdMessage, type SshdEventKind, type SshdFields } from './messages.js';

export interface SshdRecord extends LogRecordBase, SshdFields {
  reader: 'sshd';
  format: 'openssh';
  pid?: number;
}

/** Builds an sshd record from a header's message. */
export function sshdRecord(
  ts: number,
  host: string | undefined,
  pid: number | undefined,
  msg: string,
  raw: string,
): SshdRecord {
  const r: SshdRecord = { reader: 'sshd', format: 'openssh', ts, raw, ...parseSshdMessage(msg) };
  if (host !== undefined) r.host = host;
  if (pid !== undefined) r.pid = pid;
  return r;
}

/**
 * @example sshdReader.parseLine('Nov 23 11:12:20 h sshd[7]: Failed password for root from 10.0.0.9 port 4 ssh2', ctx)
 */
export const sshdReader: LogReader<SshdRecord | SyslogRecord> = {
  name: 'sshd',
  description:
    'OpenSSH server messages in auth.log, secure or journal text (failed/accepted logins, invalid users, banner and key-exchange errors)',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    const ctx = sniffContext;
    for (const l of lines) {
      if (l === '') continue;
      n++;
      const h = parseSyslogHeader(l, ctx);
      if (h && isSshdProgram(h.app)) hits++;
    }
    return n === 0 ? 0 : Math.min(1, (hits / n) * 1.2);
  },
  parseLine(line: string, ctx: LineContext): LineResult<SshdRecord | SyslogRecord> {
    if (line === '' || line.startsWith('-- ')) return null;
    const h = parseSyslogHeader(line, ctx);
    if (!h) return lineProblem(ctx, 'sshd.no-header', 'line has no syslog or journal header; skipped');
    if (!isSshdProgram(h.app)) return syslogRecord(h, line);
    return sshdRecord(h.ts, h.host, h.pid, h.msg, line);
  },
};

const sniffContext: LineContext = {
  line: 1,
  referenceTime: 0,
  tzOffsetSeconds: 0,
  denyWords: [],
  allowWords: [],
};
