/**
 * The syslog reader: RFC 3164 / RFC 5424 / journal text of any program.
 * Messages the firewall or sshd readers know become their records, so a
 * mixed /var/log/syslog or `journalctl` dump reads in one pass.
 */
import { isFirewallMessage, parseFirewallMessage } from '../firewall/index.js';
import type { FirewallRecord } from '../firewall/record.js';
import { isSshdProgram, type SshdRecord, sshdRecord } from '../sshd/index.js';
import { parseSyslogHeader } from './header.js';
import { type SyslogRecord, syslogRecord } from './record.js';
import { type LineContext, type LineResult, type LogReader, lineProblem } from './types.js';

export { parseStructuredData, parseSyslogHeader, type SyslogHeader } from './header.js';
export { type SyslogRecord, syslogRecord } from './record.js';
export { isoToEpoch, yearlessToEpoch } from './time.js';
export * from './types.js';

const sniffContext: LineContext = {
  line: 1,
  referenceTime: 0,
  tzOffsetSeconds: 0,
  denyWords: [],
  allowWords: [],
};

/**
 * @example syslogReader.parseLine('<34>1 2003-08-24T05:14:15.123-07:00 host su - ID47 - msg', ctx)
 */
export const syslogReader: LogReader<SyslogRecord | SshdRecord | FirewallRecord> = {
  name: 'syslog',
  description:
    'Syslog files and journal text (RFC 3164, RFC 5424, journalctl short/short-iso); sshd and firewall messages inside are parsed as such',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    for (const l of lines) {
      if (l === '' || l.startsWith('-- ')) continue;
      n++;
      if (parseSyslogHeader(l, sniffContext)) hits++;
    }
    // Half weight: the specific readers win when their messages dominate.
    return n === 0 ? 0 : (hits / n) * 0.5;
  },
  parseLine(line: string, ctx: LineContext): LineResult<SyslogRecord | SshdRecord | FirewallRecord> {
    if (line === '' || line.startsWith('-- ')) return null;
    const h = parseSyslogHeader(line, ctx);
    if (!h)
      return lineProblem(
        ctx,
        'syslog.no-header',
        'line has no RFC 3164, RFC 5424 or journal header; skipped',
      );
    if (isSshdProgram(h.app)) return sshdRecord(h.ts, h.host, h.pid, h.msg, line);
    if (isFirewallMessage(h.app, h.msg)) {
      const r = parseFirewallMessage(h.app, h.msg, h.ts, h.host, line, ctx);
      if (r) return r;
    }
    return syslogRecord(h, line);
  },
};
