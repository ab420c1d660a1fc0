/**
 * Which recorded connections an alert group is about: the alert's Community
 * ID names its flow exactly; without one, the 5-tuple and the time do. The
 * other connections between the two hosts on the same port are "related":
 * counted and listed, not summed.
 */
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { AlertGroup } from '../group.js';
import type { TimeWindow } from '../lookup.js';

/** How far before the first alert a connection may have started (long sessions alert late). */
export const FLOW_LOOKBACK_SECONDS = 3600;
/** Slack around a connection's span when matching an alert's time (log and capture clocks). */
export const TIME_SLACK_SECONDS = 2;
/** Connections asked for per group. */
export const FLOW_QUERY_LIMIT = 2000;

/** The window in which a group's connections may have started. */
export function flowWindow(g: AlertGroup): TimeWindow {
  return { since: g.ts - FLOW_LOOKBACK_SECONDS, until: g.lastSeen + TIME_SLACK_SECONDS };
}

export type MatchedBy = 'community-id' | 'five-tuple' | 'time';

export interface GroupFlows {
  /** The alerts' own connections, each once. */
  flows: FlowRecord[];
  /** How each was found, by flow uid. */
  matchedBy: Map<string, MatchedBy>;
  /** Other connections between the pair on the group's port (or any port when it has none). */
  related: FlowRecord[];
}

function covers(f: FlowRecord, ts: number): boolean {
  return ts >= f.ts - TIME_SLACK_SECONDS && ts <= f.ts + f.duration + TIME_SLACK_SECONDS;
}

/** Of several candidates, the one whose span holds the alert, else the latest that started before it. */
function nearest(cands: FlowRecord[], ts: number): FlowRecord | undefined {
  let best: FlowRecord | undefined;
  for (const f of cands) {
    if (covers(f, ts)) return f;
    if (f.ts <= ts && (best === undefined || f.ts > best.ts)) best = f;
  }
  return best;
}

function sameTuple(f: FlowRecord, a: Event): boolean {
  if (a.srcPort === undefined || a.dstPort === undefined) return false;
  if (a.proto !== undefined && a.proto !== f.proto) return false;
  return (
    (f.origH === a.src && f.origP === a.srcPort && f.respH === a.dst && f.respP === a.dstPort) ||
    (f.origH === a.dst && f.origP === a.dstPort && f.respH === a.src && f.respP === a.srcPort)
  );
}

function onPort(f: FlowRecord, port: number | undefined): boolean {
  return port === undefined || f.respP === port || f.origP === port;
}

/**
 * Picks the group's connections out of the pair's connections.
 *
 * @example
 * const { flows } = matchGroupFlows(group, await lookup.flows({ a: group.src, b: group.dst, ...flowWindow(group) }));
 */
export function matchGroupFlows(g: AlertGroup, pairFlows: readonly FlowRecord[]): GroupFlows {
  const byCid = new Map<string, FlowRecord[]>();
  for (const f of pairFlows) {
    if (f.communityId === '') continue;
    const list = byCid.get(f.communityId) ?? [];
    list.push(f);
    byCid.set(f.communityId, list);
  }
  const matchedBy = new Map<string, MatchedBy>();
  const flows: FlowRecord[] = [];
  const take = (f: FlowRecord | undefined, how: MatchedBy) => {
    if (f === undefined || matchedBy.has(f.uid)) return f !== undefined;
    matchedBy.set(f.uid, how);
    flows.push(f);
    return true;
  };
  for (const a of g.alerts) {
    const cid = typeof a.attrs?.communityId === 'string' ? a.attrs.communityId : undefined;
    if (cid !== undefined && take(nearest(byCid.get(cid) ?? [], a.ts), 'community-id')) continue;
    if (
      take(
        nearest(
          pairFlows.filter((f) => sameTuple(f, a)),
          a.ts,
        ),
        'five-tuple',
      )
    )
      continue;
    // No ports on the alert (or no tuple match): a connection on the group's port that spans the alert.
    if (a.srcPort === undefined)
      for (const f of pairFlows) if (onPort(f, g.dstPort) && covers(f, a.ts)) take(f, 'time');
  }
  const related = pairFlows.filter((f) => !matchedBy.has(f.uid) && onPort(f, g.dstPort));
  flows.sort((x, y) => x.ts - y.ts);
  return { flows, matchedBy, related };
}
