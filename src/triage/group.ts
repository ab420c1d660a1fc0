/**
 * Alerts become alarms per rule, attacking source and target: a scanner that
 * trips one signature 500 times on one host is one alarm, not 500.
 */
import type { Event, SourceKind } from '../schema/event.js';

/** Alert event uids kept per group (the count keeps going). */
const MAX_UIDS = 20;

/** One group of alerts: one signature from one source against one target. */
export interface AlertGroup {
  key: string;
  sid?: number;
  gid?: number;
  msg: string;
  classtype?: string;
  /** The attacking side: the alert's source, or its destination for rules that match the server's answer. */
  src: string;
  dst: string;
  dstPort?: number;
  proto?: string;
  ts: number;
  lastSeen: number;
  count: number;
  /** Up to 20 alert events, first first (evidence, and their Community IDs / flow uids). */
  alerts: Event[];
  sourceKinds: SourceKind[];
}

/**
 * @example
 * const groups = groupAlerts(events.filter((e) => e.type === 'ids-alert'));
 */
export function groupAlerts(events: Iterable<Event>): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const e of events) {
    if (e.type !== 'ids-alert' || e.dst === undefined) continue;
    const sid = typeof e.attrs?.sid === 'number' ? e.attrs.sid : undefined;
    const gid = typeof e.attrs?.gid === 'number' ? e.attrs.gid : undefined;
    const toClient = e.attrs?.direction === 'to_client';
    const src = toClient ? e.dst : e.src;
    const dst = toClient ? e.src : e.dst;
    const dstPort = toClient ? e.srcPort : e.dstPort;
    const key = `${gid ?? 1}:${sid ?? e.message}|${src}|${dst}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, msg: e.message, src, dst, ts: e.ts, lastSeen: e.ts, count: 0, alerts: [], sourceKinds: [] };
      if (sid !== undefined) g.sid = sid;
      if (gid !== undefined) g.gid = gid;
      if (typeof e.attrs?.classtype === 'string') g.classtype = e.attrs.classtype;
      if (dstPort !== undefined) g.dstPort = dstPort;
      if (e.proto !== undefined) g.proto = e.proto;
      groups.set(key, g);
    }
    g.count++;
    if (e.ts < g.ts) g.ts = e.ts;
    if (e.ts > g.lastSeen) g.lastSeen = e.ts;
    if (g.alerts.length < MAX_UIDS) g.alerts.push(e);
    if (!g.sourceKinds.includes(e.source.kind)) g.sourceKinds.push(e.source.kind);
  }
  return [...groups.values()].sort((a, b) => a.ts - b.ts || (a.key < b.key ? -1 : 1));
}
