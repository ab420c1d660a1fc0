/**
 * Zeek records → Events, by log path: conn and dns → `connection` (4001),
 * http → `web-access` (4002), ssh → SSH Activity (4007), notice and weird →
 * `ids-alert` (2004). Other paths (files, ssl, x509 …) are read but give no Event.
 */

import type { ZeekRecord } from '../read/zeek/record.js';
import type { Event } from '../schema/event.js';
import type { RecordPosition } from './common.js';
import { zeekHttpToEvent, zeekSshToEvent } from './zeek-app.js';
import { zeekConnToEvent, zeekDnsToEvent } from './zeek-conn.js';
import { zeekNoticeToEvent, zeekWeirdToEvent } from './zeek-findings.js';

export {
  zeekConnToEvent,
  zeekDnsToEvent,
  zeekHttpToEvent,
  zeekNoticeToEvent,
  zeekSshToEvent,
  zeekWeirdToEvent,
};

/**
 * The Event of a Zeek record; null for paths Picket does not map and for records without an address.
 *
 * @example zeekToEvent(rec, { file: 'conn.log', line: 9 })?.type // 'connection'
 */
export function zeekToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  switch (r.path) {
    case 'conn':
      return zeekConnToEvent(r, pos);
    case 'dns':
      return zeekDnsToEvent(r, pos);
    case 'http':
      return zeekHttpToEvent(r, pos);
    case 'ssh':
      return zeekSshToEvent(r, pos);
    case 'notice':
      return zeekNoticeToEvent(r, pos);
    case 'weird':
      return zeekWeirdToEvent(r, pos);
    default:
      return null;
  }
}
