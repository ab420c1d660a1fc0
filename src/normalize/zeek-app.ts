/** Zeek http.log → HTTP Activity (4002) and ssh.log → SSH Activity (4007) Events. */

import type { ZeekRecord } from '../read/zeek/record.js';
import { zeekBool, zeekNumber, zeekText } from '../read/zeek/record.js';
import {
  type Event,
  HttpActivity,
  type HttpInfo,
  NetworkActivity,
  OcsfClass,
  Severity,
} from '../schema/event.js';
import type { RecordPosition } from './common.js';
import { endpoint, setEndpoints, zeekEvent } from './zeek-base.js';

/**
 * An http.log transaction as `web-access` (`access-denied` for 401/403, as for
 * web-server logs); the request and response details in `http`.
 *
 * @example zeekHttpToEvent(rec, pos)?.http?.status // 200
 */
export function zeekHttpToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  const src = zeekText(r, 'id.orig_h');
  if (src === undefined) return null;
  const http: HttpInfo = {};
  const method = zeekText(r, 'method');
  const status = zeekNumber(r, 'status_code');
  const bytes = zeekNumber(r, 'response_body_len');
  const text: Array<[keyof HttpInfo, string]> = [
    ['method', 'method'],
    ['uri', 'uri'],
    ['version', 'version'],
    ['referrer', 'referrer'],
    ['userAgent', 'user_agent'],
    ['host', 'host'],
  ];
  for (const [ours, theirs] of text) {
    const v = zeekText(r, theirs);
    if (v !== undefined) (http as Record<string, string>)[ours] = v;
  }
  if (status !== undefined && Number.isInteger(status)) http.status = status;
  if (bytes !== undefined && Number.isInteger(bytes) && bytes >= 0) http.bytes = bytes;
  const denied = status === 401 || status === 403;
  const upper = method?.toUpperCase();
  const e = zeekEvent(
    r,
    pos,
    {
      type: denied ? 'access-denied' : 'web-access',
      classUid: OcsfClass.httpActivity,
      activityId: upper !== undefined ? (HttpActivity[upper] ?? 99) : 0,
      ...(denied ? { action: 'denied' as const } : {}),
    },
    src,
    `${method ?? '-'} ${http.host ?? ''}${http.uri ?? '-'} ${status ?? '-'}`,
  );
  e.proto = 'tcp';
  setEndpoints(e, r, 'tcp');
  if (Object.keys(http).length > 0) e.http = http;
  if (http.bytes !== undefined) e.bytes = http.bytes;
  const user = zeekText(r, 'username');
  if (user !== undefined) e.user = user;
  return e;
}

/**
 * An ssh.log record on SSH Activity (4007, 1 Open): `login-success` when Zeek
 * judged the authentication successful, `login-failure` when it judged it
 * failed, else `connection` (Zeek could not tell, e.g. a banner grab).
 *
 * @example zeekSshToEvent(rec, pos)?.type // 'login-failure'
 */
export function zeekSshToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  const src = zeekText(r, 'id.orig_h');
  if (src === undefined) return null;
  const ok = zeekBool(r, 'auth_success');
  const type: Event['type'] = ok === true ? 'login-success' : ok === false ? 'login-failure' : 'connection';
  const e = zeekEvent(
    r,
    pos,
    {
      type,
      classUid: OcsfClass.sshActivity,
      activityId: NetworkActivity.open,
      ...(ok === true ? { action: 'allowed' as const, severityId: Severity.informational } : {}),
      ...(ok === false ? { action: 'denied' as const, severityId: Severity.low } : {}),
    },
    src,
    `ssh ${endpoint(src, zeekNumber(r, 'id.orig_p'))} -> ${endpoint(zeekText(r, 'id.resp_h'), zeekNumber(r, 'id.resp_p'))}` +
      ` client ${zeekText(r, 'client') ?? '-'} server ${zeekText(r, 'server') ?? '-'}` +
      (ok === undefined
        ? ''
        : ` auth ${ok ? 'success' : 'failure'} after ${zeekNumber(r, 'auth_attempts') ?? '?'} attempts`),
  );
  e.proto = 'tcp';
  setEndpoints(e, r, 'tcp');
  return e;
}
