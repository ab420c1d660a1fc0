/** What every Zeek-derived Event shares: uid with the Zeek uid, source, bounded raw, the fields as attrs. */

import type { ZeekRecord } from '../read/zeek/record.js';
import { zeekNumber, zeekText } from '../read/zeek/record.js';
import { type Event, maxRawLength } from '../schema/event.js';
import { eventUid, type RecordPosition, shortText } from './common.js';

/** Fields that become Event fields rather than attrs. */
const eventFields = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', '_path']);

/** Longest attr value kept (attacker-sized URIs, user agents). */
const maxAttrLength = 1024;

export type ZeekShape = Pick<Event, 'type' | 'classUid' | 'activityId'> &
  Partial<Pick<Event, 'action' | 'severityId'>>;

/**
 * The Event skeleton of a Zeek record with `src` given: uid from file, line,
 * Zeek uid and the line; source format `zeek-<path>`; every other Zeek field
 * in attrs by its Zeek name (the Zeek uid as `zeek_uid`; T/F for booleans; sets joined by ',').
 *
 * @example zeekEvent(rec, pos, shape, '10.0.0.1', 'conn tcp …').attrs?.conn_state // 'S0'
 */
export function zeekEvent(
  r: ZeekRecord,
  pos: RecordPosition,
  shape: ZeekShape,
  src: string,
  message: string,
): Event {
  const zeekUid = zeekText(r, 'uid');
  const source: Event['source'] = { kind: 'zeek', format: `zeek-${r.path}`, line: pos.line };
  if (pos.file !== undefined) source.file = pos.file;
  const attrs: Record<string, string | number> = {};
  if (zeekUid !== undefined) attrs.zeek_uid = zeekUid;
  for (const k in r.fields) {
    if (eventFields.has(k)) continue;
    const v = r.fields[k]!;
    if (typeof v === 'number') attrs[k] = v;
    else if (typeof v === 'boolean') attrs[k] = v ? 'T' : 'F';
    else if (typeof v === 'string') attrs[k] = shortText(v, maxAttrLength);
    else if (v.length > 0)
      attrs[k] = shortText(
        v.map((x) => (typeof x === 'boolean' ? (x ? 'T' : 'F') : x)).join(','),
        maxAttrLength,
      );
  }
  let raw = r.raw;
  if (raw.length > maxRawLength) {
    attrs.rawLength = raw.length;
    raw = raw.slice(0, maxRawLength);
  }
  const e: Event = {
    ts: r.ts,
    uid: eventUid(pos.file, pos.line, `${zeekUid ?? ''}\u0000${r.raw}`),
    type: shape.type,
    classUid: shape.classUid,
    activityId: shape.activityId,
    src,
    message: shortText(message),
    source,
    raw,
    attrs,
  };
  if (shape.action !== undefined) e.action = shape.action;
  if (shape.severityId !== undefined) e.severityId = shape.severityId;
  return e;
}

/**
 * Sets dst and ports from the connection id. ICMP "ports" are type and code
 * in Zeek; they go to attrs (icmp_type, icmp_code), not to the port fields.
 */
export function setEndpoints(e: Event, r: ZeekRecord, proto: string | undefined): void {
  const dst = zeekText(r, 'id.resp_h');
  if (dst !== undefined) e.dst = dst;
  const sp = zeekNumber(r, 'id.orig_p');
  const dp = zeekNumber(r, 'id.resp_p');
  if (proto === 'icmp') {
    if (sp !== undefined) e.attrs!.icmp_type = sp;
    if (dp !== undefined) e.attrs!.icmp_code = dp;
    return;
  }
  if (sp !== undefined) e.srcPort = sp;
  if (dp !== undefined) e.dstPort = dp;
}

/** `a:p` / `[v6]:p` for messages. */
export function endpoint(a: string | undefined, p: number | undefined): string {
  if (a === undefined) return '?';
  if (p === undefined) return a;
  return a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}
