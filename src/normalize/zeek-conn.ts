/** Zeek conn.log and dns.log → `connection` / `connection-refused` Events (OCSF 4001). */

import type { ZeekRecord } from '../read/zeek/record.js';
import { zeekBool, zeekNumber, zeekText } from '../read/zeek/record.js';
import { type Event, NetworkActivity, OcsfClass } from '../schema/event.js';
import type { RecordPosition } from './common.js';
import { endpoint, setEndpoints, type ZeekShape, zeekEvent } from './zeek-base.js';

const net = (activityId: number, action: Event['action'], type: Event['type'] = 'connection'): ZeekShape => ({
  type,
  classUid: OcsfClass.networkActivity,
  activityId,
  action,
});

/**
 * conn_state → activity and action. Established states passed the network
 * (allowed); REJ was refused by the target (denied); S0, SH and RSTOS0 had no
 * answer, which says nothing about why (unknown, outcome 'unanswered' in attrs).
 */
const byState: Record<string, { shape: ZeekShape; outcome: string }> = {
  S0: { shape: net(NetworkActivity.fail, 'unknown'), outcome: 'unanswered' },
  SH: { shape: net(NetworkActivity.fail, 'unknown'), outcome: 'unanswered' },
  RSTOS0: { shape: net(NetworkActivity.fail, 'unknown'), outcome: 'unanswered' },
  REJ: { shape: net(NetworkActivity.refuse, 'denied', 'connection-refused'), outcome: 'rejected' },
  S1: { shape: net(NetworkActivity.open, 'allowed'), outcome: 'established' },
  S2: { shape: net(NetworkActivity.open, 'allowed'), outcome: 'established' },
  S3: { shape: net(NetworkActivity.open, 'allowed'), outcome: 'established' },
  SF: { shape: net(NetworkActivity.close, 'allowed'), outcome: 'established' },
  RSTO: { shape: net(NetworkActivity.reset, 'allowed'), outcome: 'established' },
  RSTR: { shape: net(NetworkActivity.reset, 'allowed'), outcome: 'established' },
  RSTRH: { shape: net(NetworkActivity.reset, 'unknown'), outcome: 'partial' },
  SHR: { shape: net(NetworkActivity.traffic, 'unknown'), outcome: 'partial' },
  OTH: { shape: net(NetworkActivity.traffic, 'unknown'), outcome: 'partial' },
};
const noState = { shape: net(NetworkActivity.traffic, 'unknown'), outcome: 'unknown' };

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/**
 * A conn.log record as a `connection` Event (`connection-refused` for REJ);
 * bytes and packets are both directions together; duration, per-direction
 * counts, conn_state and history stay in attrs.
 *
 * @example zeekConnToEvent(rec, { file: 'conn.log', line: 9 })?.type // 'connection-refused'
 */
export function zeekConnToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  const src = zeekText(r, 'id.orig_h');
  if (src === undefined) return null;
  const state = zeekText(r, 'conn_state');
  const { shape, outcome } = (state !== undefined ? byState[state] : undefined) ?? noState;
  const proto = zeekText(r, 'proto');
  const bytes = sum(zeekNumber(r, 'orig_bytes'), zeekNumber(r, 'resp_bytes'));
  const packets = sum(zeekNumber(r, 'orig_pkts'), zeekNumber(r, 'resp_pkts'));
  const msg =
    `conn ${proto ?? '?'} ${endpoint(src, zeekNumber(r, 'id.orig_p'))} -> ` +
    `${endpoint(zeekText(r, 'id.resp_h'), zeekNumber(r, 'id.resp_p'))} ${state ?? '-'}` +
    ` history ${zeekText(r, 'history') ?? '-'} ${packets ?? '?'} pkts ${bytes ?? '?'} bytes`;
  const e = zeekEvent(r, pos, shape, src, msg);
  if (proto !== undefined && proto !== 'unknown_transport') e.proto = proto;
  setEndpoints(e, r, proto);
  if (bytes !== undefined) e.bytes = bytes;
  if (packets !== undefined) e.packets = packets;
  e.attrs!.outcome = outcome;
  return e;
}

/**
 * A dns.log transaction as a `connection` Event (4001 Traffic): the contact
 * with the resolver, with query, qtype_name, rcode_name and answers in attrs.
 * A refused query (`rejected` T) is action denied.
 *
 * @example zeekDnsToEvent(rec, pos)?.attrs?.query // 'example.com'
 */
export function zeekDnsToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  const src = zeekText(r, 'id.orig_h');
  if (src === undefined) return null;
  const rejected = zeekBool(r, 'rejected') === true;
  const proto = zeekText(r, 'proto');
  const qtype = zeekText(r, 'qtype_name') ?? String(zeekNumber(r, 'qtype') ?? '?');
  const msg = `dns ${qtype} ${zeekText(r, 'query') ?? '-'} -> ${zeekText(r, 'rcode_name') ?? '-'}${rejected ? ' (rejected)' : ''}`;
  const e = zeekEvent(r, pos, net(NetworkActivity.traffic, rejected ? 'denied' : 'unknown'), src, msg);
  if (proto !== undefined) e.proto = proto;
  setEndpoints(e, r, proto);
  return e;
}
