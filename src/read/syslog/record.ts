/**
 * The record of a syslog line no more specific reader claimed: its header and
 * message, kept so a mixed log reads without problems.
 */
import type { SyslogHeader } from './header.js';
import { programFields } from './program-message.js';
import type { LogRecordBase } from './types.js';

export interface SyslogRecord extends LogRecordBase {
  reader: 'syslog';
  format: 'rfc3164' | 'rfc5424' | 'iso';
  app?: string;
  pid?: number;
  pri?: number;
  msgid?: string;
  structuredData?: string;
  timestampText: string;
  msg: string;
  /** The user a PAM session or cron job line is about. */
  user?: string;
  /** Program-specific parts: pamModule/pamOrigin/pamSessionState/pamBy, cronAction/cronCommand. */
  attrs?: Record<string, string>;
}

/** A generic syslog record from a parsed header. */
export function syslogRecord(h: SyslogHeader, raw: string): SyslogRecord {
  const r: SyslogRecord = {
    reader: 'syslog',
    format: h.format,
    ts: h.ts,
    raw,
    timestampText: h.timestampText,
    msg: h.msg,
  };
  if (h.host !== undefined) r.host = h.host;
  if (h.app !== undefined) r.app = h.app;
  if (h.pid !== undefined) r.pid = h.pid;
  if (h.pri !== undefined) r.pri = h.pri;
  if (h.msgid !== undefined) r.msgid = h.msgid;
  if (h.structuredData !== undefined) r.structuredData = h.structuredData;
  const p = programFields(h.app, h.msg);
  if (p) {
    if (p.user !== undefined) r.user = p.user;
    r.attrs = p.attrs;
  }
  return r;
}
