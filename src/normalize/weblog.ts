/** Web access / error records → HTTP Activity Events. */

import type { WeblogRecord } from '../read/weblog/record.js';
import {
  type Event,
  type EventSource,
  HttpActivity,
  maxRawLength,
  OcsfClass,
  Severity,
} from '../schema/event.js';
import { eventUid, type RecordPosition, shortText } from './common.js';

// The last method seen and its activity id: a log repeats a handful of methods.
let lastMethod: string | undefined;
let lastActivity = 0;

/**
 * A web-log record as an Event; null for error lines that name no client.
 * Builds the same fields, in the same order, as `baseFields` and the other
 * mappers do, without the intermediate objects (it runs once per access line).
 *
 * @example weblogToEvent(rec, { file: 'access.log', line: 4 })?.http?.status // 404
 */
export function weblogToEvent(r: WeblogRecord, pos: RecordPosition): Event | null {
  const src = r.src;
  if (src === undefined) return null;
  const format = r.format;
  const http = r.http;
  const source: EventSource = { kind: 'weblog', format, line: pos.line };
  if (pos.file !== undefined) source.file = pos.file;
  if (r.host !== undefined) source.host = r.host;
  const attrs: Record<string, string | number> = {};
  let raw = r.raw;
  if (raw.length > maxRawLength) {
    attrs.rawLength = raw.length;
    raw = raw.slice(0, maxRawLength);
  }
  const isError = format === 'nginx-error' || format === 'apache-error';
  const status = http.status;
  const type: Event['type'] = isError
    ? 'web-error'
    : status === 401 || status === 403
      ? 'access-denied'
      : 'web-access';
  const method = http.method;
  let activityId = 0;
  if (method !== undefined) {
    if (method !== lastMethod) {
      lastMethod = method;
      lastActivity = HttpActivity[method.toUpperCase()] ?? 99;
    }
    activityId = lastActivity;
  }
  for (const k in r.attrs) attrs[k] = r.attrs[k]!;
  const e: Event = {
    ts: r.ts,
    uid: eventUid(pos.file, pos.line, r.raw),
    source,
    raw,
    type,
    classUid: OcsfClass.httpActivity,
    activityId,
    src,
    proto: 'tcp',
    message: isError
      ? shortText(r.text ?? '')
      : shortText(`${method ?? '-'} ${http.uri ?? r.attrs.request ?? '-'} ${status ?? '-'}`),
    attrs,
  };
  if (r.srcPort !== undefined) e.srcPort = r.srcPort;
  if (r.user !== undefined) e.user = r.user;
  if (hasKeys(http)) e.http = { ...http };
  if (http.bytes !== undefined) e.bytes = http.bytes;
  if (r.level !== undefined) {
    attrs.level = r.level;
    e.severityId = webSeverity(r.level);
  }
  if (type === 'access-denied') e.action = 'denied';
  return e;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
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
