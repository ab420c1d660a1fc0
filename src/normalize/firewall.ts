/** Firewall records (iptables, UFW, pf, ASA) → Events. */

import type { FirewallRecord } from '../read/firewall/record.js';
import { type Event, NetworkActivity, OcsfClass, Severity } from '../schema/event.js';
import { baseFields, type RecordPosition, shortText } from './common.js';

/**
 * A firewall record as an Event; null when the record names no address.
 *
 * @example firewallToEvent(rec, { file: 'kern.log', line: 3 })?.type // 'firewall-deny'
 */
export function firewallToEvent(r: FirewallRecord, pos: RecordPosition): Event | null {
  if (r.src === undefined) return null;
  const base = baseFields(r, pos, 'firewall', r.format);
  let type: Event['type'];
  let classUid: Event['classUid'] = OcsfClass.networkActivity;
  let activityId: number;
  switch (r.kind) {
    case 'conn-open':
      type = 'connection';
      activityId = NetworkActivity.open;
      break;
    case 'conn-close':
      type = 'connection';
      activityId = NetworkActivity.close;
      break;
    case 'nat':
      type = 'firewall-nat';
      activityId = NetworkActivity.other;
      break;
    case 'rate':
      type = 'rate-limit';
      activityId = NetworkActivity.other;
      break;
    default:
      if (r.attrs.url !== undefined) {
        type = 'web-access';
        classUid = OcsfClass.httpActivity;
        activityId = 99;
      } else if (r.action === 'denied') {
        type = 'firewall-deny';
        activityId = NetworkActivity.refuse;
      } else if (r.action === 'allowed') {
        type = 'firewall-allow';
        activityId = NetworkActivity.traffic;
      } else {
        type = 'connection';
        activityId = NetworkActivity.traffic;
      }
  }
  const attrs = base.attrs;
  for (const k in r.attrs) attrs[k] = r.attrs[k]!;
  const e: Event = {
    ts: base.ts,
    uid: base.uid,
    type,
    classUid,
    activityId,
    src: r.src,
    action: r.action,
    message: shortText(describe(r)),
    source: base.source,
    raw: base.raw,
    attrs,
  };
  if (r.dst !== undefined) e.dst = r.dst;
  if (r.srcPort !== undefined) e.srcPort = r.srcPort;
  if (r.dstPort !== undefined) e.dstPort = r.dstPort;
  if (r.proto !== undefined) e.proto = r.proto;
  if (r.bytes !== undefined) e.bytes = r.bytes;
  if (r.rule !== undefined) e.attrs!.rule = r.rule;
  if (r.inIface !== undefined) e.attrs!.inIface = r.inIface;
  if (r.outIface !== undefined) e.attrs!.outIface = r.outIface;
  if (typeof r.attrs.user === 'string') e.user = r.attrs.user;
  if (typeof r.attrs.url === 'string') e.http = { uri: r.attrs.url };
  if (typeof r.attrs.hitCount === 'number') e.count = r.attrs.hitCount;
  if (typeof r.attrs.level === 'number') e.severityId = asaSeverity(r.attrs.level);
  return e;
}

function describe(r: FirewallRecord): string {
  const end = (a: string | undefined, p: number | undefined) =>
    a === undefined ? '?' : p === undefined ? a : `${a}:${p}`;
  const what = r.kind === 'conn-open' ? 'built' : r.kind === 'conn-close' ? 'teardown' : r.action;
  const rule = r.rule !== undefined ? ` (${r.rule})` : '';
  return `${r.format} ${what} ${r.proto ?? ''} ${end(r.src, r.srcPort)} -> ${end(r.dst, r.dstPort)}${rule}`.replace(
    / {2,}/g,
    ' ',
  );
}

/** ASA syslog levels 0..7 as OCSF severity. */
function asaSeverity(level: number): number {
  if (level <= 1) return Severity.critical;
  if (level === 2) return Severity.high;
  if (level === 3) return Severity.medium;
  if (level === 4) return Severity.low;
  return Severity.informational;
}
