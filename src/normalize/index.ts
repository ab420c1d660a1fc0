/**
 * One mapper per text-log reader: raw record → Event (or null when the record
 * concerns no address and so is no event). `normalizeLogRecord` picks by `reader`.
 */
import type { FirewallRecord } from '../read/firewall/record.js';
import type { IdsRecord } from '../read/ids/record.js';
import type { SshdRecord } from '../read/sshd/index.js';
import type { LogRecordBase } from '../read/syslog/types.js';
import type { WeblogRecord } from '../read/weblog/record.js';
import type { ZeekRecord } from '../read/zeek/record.js';
import type { Event } from '../schema/event.js';
import type { RecordPosition } from './common.js';
import { firewallToEvent } from './firewall.js';
import { idsToEvent } from './ids.js';
import { sshdToEvent } from './sshd.js';
import { weblogToEvent } from './weblog.js';
import { zeekToEvent } from './zeek.js';

export { eventUid, type RecordPosition } from './common.js';
export { toEcs, toOcsf } from './export.js';
export { firewallToEvent, idsToEvent, sshdToEvent, weblogToEvent, zeekToEvent };

/**
 * The Event of any text-log record; generic syslog lines give null (kept as records, not events).
 *
 * @example normalizeLogRecord(rec, { file: 'auth.log', line: 4 })
 */
export function normalizeLogRecord(r: LogRecordBase, pos: RecordPosition): Event | null {
  switch (r.reader) {
    case 'firewall':
      return firewallToEvent(r as FirewallRecord, pos);
    case 'sshd':
      return sshdToEvent(r as SshdRecord, pos);
    case 'weblog':
      return weblogToEvent(r as WeblogRecord, pos);
    case 'zeek':
      return zeekToEvent(r as ZeekRecord, pos);
    case 'ids':
      return idsToEvent(r as IdsRecord, pos);
    default:
      return null;
  }
}
