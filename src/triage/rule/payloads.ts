/**
 * How the bytes an alert matched reach triage: the alert's own connection
 * is found among the pair's recorded flows (by Community ID, else 5-tuple
 * and time, as step 1 does), then its HTTP transactions (lookup.http) and
 * SSH banners (lookup.ssh) are read; the alert events themselves add what
 * an EVE alert carries (URI, User-Agent, host, SSH client software). All of
 * it is attacker data, bounded here and never evaluated.
 */
import type { Event } from '../../schema/event.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { FLOW_QUERY_LIMIT, flowWindow, matchGroupFlows } from '../connection/flow-match.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';

/** The recorded sessions an alert group's bytes may be found in. */
export interface AlertPayloads {
  /** HTTP transactions of the alerts' own connections, nearest the alerts first. */
  http: HttpTransaction[];
  /** SSH banners of the alerts' own connections. */
  ssh: SshBanner[];
  /** The alert events (what an EVE alert says about its request). */
  alerts: Event[];
}

/** Connections read per group, and transactions kept per connection. */
export const PAYLOAD_FLOWS = 20;
export const PAYLOAD_TX_PER_FLOW = 32;

/**
 * @example
 * const payloads = await gatherPayloads(group, lookup);
 * ruleUnderstanding(group, lookup.rule(group.sid!), payloads);
 */
export async function gatherPayloads(group: AlertGroup, lookup: TriageLookup): Promise<AlertPayloads> {
  const pair = await lookup.flows({
    a: group.src,
    b: group.dst,
    ...flowWindow(group),
    ...(group.dstPort !== undefined ? { port: group.dstPort } : {}),
    limit: FLOW_QUERY_LIMIT,
  });
  const own = matchGroupFlows(group, pair).flows.slice(0, PAYLOAD_FLOWS);
  const http: HttpTransaction[] = [];
  const ssh: SshBanner[] = [];
  for (const f of own) {
    const txs = await lookup.http(f.uid);
    http.push(...nearestFirst(txs, group.alerts).slice(0, PAYLOAD_TX_PER_FLOW));
    const banner = await lookup.ssh(f.uid);
    if (banner !== undefined) ssh.push(banner);
  }
  return { http, ssh, alerts: group.alerts.slice() };
}

/** Transactions whose URI an alert names first, then by distance in time to the nearest alert. */
function nearestFirst(txs: HttpTransaction[], alerts: readonly Event[]): HttpTransaction[] {
  const uris = new Set(alerts.map((a) => a.http?.uri).filter((u) => u !== undefined));
  const gap = (t: HttpTransaction) => Math.min(...alerts.map((a) => Math.abs(a.ts - t.ts)), Number.MAX_VALUE);
  return [...txs].sort((x, y) => {
    const ux = uris.has(x.uri) ? 0 : 1;
    const uy = uris.has(y.uri) ? 0 : 1;
    return ux - uy || gap(x) - gap(y) || x.transDepth - y.transDepth;
  });
}
