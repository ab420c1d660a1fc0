/** Web access / error records → HTTP Activity Events. */

import type { WeblogRecord } from '../read/weblog/record.js';
import { type Event, HttpActivity, OcsfClass, Severity } from '../schema/event.js';
import { baseFields, type RecordPosition, shortText } from './common.js';

/**
 * A web-log record as an Event; null for error lines that name no client.
 *
 * @example weblogToEvent(rec, { file: 'access.log', line: 4 })?.http?.status // 404
 */
export function weblogToEvent(r: WeblogRecord, pos: RecordPosition): Event | null {
  if (r.src === undefined) return null;
  const base = baseFields(r, pos, 'weblog', r.format);
  const isError = r.format === 'nginx-error' || r.format === 'apache-error';
  const status = r.http.status;
  const type: Event['type'] = isError
    ? 'web-error'
    : status === 401 || status === 403
      ? 'access-denied'
      : 'web-access';
  const method = r.http.method?.toUpperCase();
  const attrs = base.attrs;
  for (const k in r.attrs) attrs[k] = r.attrs[k]!;
  const e: Event = {
    ts: base.ts,
    uid: base.uid,
    source: base.source,
    raw: base.raw,
    type,
    classUid: OcsfClass.httpActivity,
    activityId: method !== undefined ? (HttpActivity[method] ?? 99) : 0,
    src: r.src,
    proto: 'tcp',
    message: shortText(
      isError
        ? (r.text ?? '')
        : `${r.http.method ?? '-'} ${r.http.uri ?? r.attrs.request ?? '-'} ${status ?? '-'}`,
    ),
    attrs,
  };
  if (r.srcPort !== undefined) e.srcPort = r.srcPort;
  if (r.user !== undefined) e.user = r.user;
  if (Object.keys(r.http).length > 0) e.http = { ...r.http };
  if (r.http.bytes !== undefined) e.bytes = r.http.bytes;
  if (r.level !== undefined) {
    e.attrs!.level = r.level;
    e.severityId = webSeverity(r.level);
  }
  if (type === 'access-denied') e.action = 'denied';
  return e;
}

function webSeverity(level: string): number {
  switch (level) {
    case 'emerg':
    case 'alert':
    case 'crit':
      return Severity.high;
    case 'error':
      return Severity.medium;
    case 'warn':
      return Severity.low;
    default:
      return Severity.informational;
  }
}
