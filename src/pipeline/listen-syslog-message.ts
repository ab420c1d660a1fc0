/**
 * One live syslog message → Event, with the same readers and mappers as log
 * files: the syslog header first (sshd and firewall messages are claimed by
 * their readers there), then web-server lines sent through syslog, and for a
 * message without any header the reader that recognises it (pickReader).
 */
import { normalizeLogRecord } from '../normalize/index.js';
import { pickReader } from '../read/logs.js';
import { syslogReader } from '../read/syslog/index.js';
import type { SyslogRecord } from '../read/syslog/record.js';
import { isProblem, type LineContext, type LogRecordBase } from '../read/syslog/types.js';
import { weblogReader } from '../read/weblog/index.js';
import type { Event } from '../schema/event.js';
import type { Problem } from '../schema/problem.js';
import { liveUid } from './listen-uid.js';

export interface SyslogMessageContext {
  /** The collector's name (`syslog-udp:0.0.0.0:514`): the events' source file and the problems' file. */
  collector: string;
  /** Leads every uid of this run of the collector (see liveUidPrefix): a restarted collector numbers from 1 again. */
  uidPrefix: string;
  /** Reused for every message: time zone and firewall words as for files. */
  line: LineContext;
}

/**
 * Parses one message: an Event, null when the message is valid but concerns no
 * address (e.g. a cron line), or a Problem naming the collector, the sender and
 * the message's sequence number. The event's source keeps the sender's address.
 *
 * @example
 * syslogMessageToEvent('<38>Nov 23 11:12:20 h sshd[7]: Failed password for root from 10.0.0.9 port 4 ssh2',
 *   '192.0.2.7', 1, ctx)?.type // 'login-failure'
 */
export function syslogMessageToEvent(
  text: string,
  sender: string,
  seq: number,
  ctx: SyslogMessageContext,
): Event | Problem | null {
  const lc = ctx.line;
  lc.line = seq;
  lc.file = ctx.collector;
  lc.referenceTime = Date.now() / 1000;
  const parsed = syslogReader.parseLine(text, lc);
  if (parsed === null) return null;
  let record: LogRecordBase;
  if (isProblem(parsed)) {
    const other = withoutHeader(text, lc);
    if (other === undefined) return fromSender(parsed, sender);
    record = other;
  } else
    record = parsed.reader === 'syslog' ? (webThroughSyslog(parsed as SyslogRecord, lc) ?? parsed) : parsed;
  const e = normalizeLogRecord(record, { file: ctx.collector, line: seq });
  if (e === null) return null;
  e.source.sender = sender;
  e.uid = liveUid(ctx.uidPrefix, seq);
  return e;
}

/** nginx and Apache can log through syslog: `nginx: 1.2.3.4 - - [..] "GET / HTTP/1.1" 200 ...`. */
function webThroughSyslog(r: SyslogRecord, lc: LineContext): LogRecordBase | undefined {
  const c = r.msg.charCodeAt(0);
  // Access lines start with an address or host (alphanumeric), error lines with "[" or a date.
  if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 91 || c === 58)) return undefined;
  const w = weblogReader.parseLine(r.msg, lc);
  if (w === null || isProblem(w)) return undefined;
  w.raw = r.raw;
  if (r.host !== undefined) w.host = r.host;
  return w;
}

/** A message without a syslog header: whichever text reader recognises it, if any. */
function withoutHeader(text: string, lc: LineContext): LogRecordBase | undefined {
  const reader = pickReader([text]);
  if (reader === undefined || reader === syslogReader) return undefined;
  const r = reader.parseLine(text, lc);
  return r === null || isProblem(r) ? undefined : r;
}

function fromSender(p: Problem, sender: string): Problem {
  p.file = `${p.file ?? ''} from ${sender}`;
  return p;
}
