/**
 * Triage step 1, the seed's first question: did the scan or attack result
 * in an established connection? Read from the capture's connections first,
 * else from Zeek/EVE/NetFlow connection events; firewall denies and IPS
 * drops say whether it was stopped. Rules in docs/triage.md, "Connection".
 */
import type { ConnectionVerdict, EvidenceRef, TriState } from '../../schema/alarm.js';
import type { Event, SourceKind } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';
import { blockEvidence, denyRefs, denyWindow } from './blocked.js';
import { type EventFlowFacts, factsFromFlowEvents } from './flow-events.js';
import { type FlowFacts, flowFacts } from './flow-facts.js';
import { FLOW_QUERY_LIMIT, flowWindow, matchGroupFlows, TIME_SLACK_SECONDS } from './flow-match.js';
import { inert } from './inert.js';

/** Related connections listed as evidence (the rest are counted). */
const MAX_RELATED_EVIDENCE = 5;
const EVENT_QUERY_LIMIT = 2000;

interface Fact {
  facts: FlowFacts;
  evidence: EvidenceRef;
  sourceKind: SourceKind;
}

/** ICMP "destination unreachable" (v4 type 3, v6 type 1) from the server to the client around a UDP flow. */
function icmpRefused(udp: FlowRecord, server: string, client: string, pair: readonly FlowRecord[]): boolean {
  const v6 = server.includes(':');
  return pair.some(
    (f) =>
      f.proto === 'icmp' &&
      f.origH === server &&
      f.respH === client &&
      f.origP === (v6 ? 1 : 3) &&
      f.ts >= udp.ts - 0.01 &&
      f.ts <= udp.ts + udp.duration + TIME_SLACK_SECONDS,
  );
}

function kindOfFlow(f: FlowRecord): SourceKind {
  return f.source?.endsWith('.log') ? 'zeek' : 'pcap';
}

function any(states: TriState[], empty: TriState): TriState {
  if (states.length === 0) return empty;
  if (states.includes('yes')) return 'yes';
  return states.every((s) => s === 'no') ? 'no' : 'unknown';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Connection events of the group: the alerts' client ports when they have them, else spans holding an alert. */
function groupEvents(g: AlertGroup, events: readonly Event[]): Event[] {
  const ports = new Set(
    g.alerts.flatMap((a) => (a.srcPort === undefined ? [] : [a.src === g.src ? a.srcPort : a.dstPort])),
  );
  const clientPort = (e: Event) => (e.src === g.src ? e.srcPort : e.dstPort);
  const byPort = ports.size > 0 ? events.filter((e) => ports.has(clientPort(e) ?? -1)) : [];
  if (byPort.length > 0) return byPort;
  return events.filter((e) => {
    const end = typeof e.attrs?.end === 'number' ? e.attrs.end : e.ts;
    return g.alerts.some((a) => a.ts >= e.ts - TIME_SLACK_SECONDS && a.ts <= end + TIME_SLACK_SECONDS);
  });
}

/**
 * @example
 * const v = await connectionVerdict(group, lookup);
 * v.established // 'yes' for the JCE request nginx answered; 'no' for a SYN nobody answered
 */
export async function connectionVerdict(g: AlertGroup, lookup: TriageLookup): Promise<ConnectionVerdict> {
  const win = flowWindow(g);
  const port = g.proto === 'icmp' ? undefined : g.dstPort;
  const pairFlows = await lookup.flows({
    a: g.src,
    b: g.dst,
    ...win,
    limit: FLOW_QUERY_LIMIT,
    ...(port !== undefined ? { port } : {}),
  });
  const matched = matchGroupFlows(g, pairFlows);
  const first = g.alerts[0];
  const clientPort = first === undefined ? undefined : first.src === g.src ? first.srcPort : first.dstPort;
  let icmpFlows: FlowRecord[] | undefined;
  const facts: Fact[] = [];
  for (const f of matched.flows) {
    let refused = false;
    if (f.proto === 'udp' && (f.origH === g.src ? f.respPkts : f.origPkts) === 0) {
      icmpFlows ??= (await lookup.flows({ a: g.src, b: g.dst, ...win, limit: FLOW_QUERY_LIMIT })).filter(
        (x) => x.proto === 'icmp',
      );
      refused = icmpRefused(f, g.dst, g.src, icmpFlows);
    }
    const ff = flowFacts(f, g.src, {
      icmpRefused: refused,
      ...(clientPort !== undefined ? { clientPort } : {}),
    });
    const how = matched.matchedBy.get(f.uid);
    facts.push({
      facts: ff,
      evidence: {
        kind: 'flow',
        ref: f.uid,
        note: `${ff.note}; ${ff.packetsToServer} packets to the server, ${ff.packetsToClient} back (matched by ${how})`,
        sourceKind: kindOfFlow(f),
      },
      sourceKind: kindOfFlow(f),
    });
  }

  // Without the capture's own connections, the pair's connection events (both directions).
  let flowEvents: Event[] = [];
  if (facts.length === 0) {
    const q = {
      ...win,
      types: ['connection', 'connection-refused'] as Event['type'][],
      limit: EVENT_QUERY_LIMIT,
    };
    flowEvents = [
      ...(await lookup.events({ ...q, src: g.src, dst: g.dst })),
      ...(await lookup.events({ ...q, src: g.dst, dst: g.src })),
    ];
    const fromEvents: EventFlowFacts[] = factsFromFlowEvents(g, groupEvents(g, flowEvents));
    facts.push(...fromEvents);
  }

  const denyEvents = await lookup.events({
    src: g.src,
    dst: g.dst,
    ...denyWindow(g),
    types: ['firewall-deny'],
    limit: EVENT_QUERY_LIMIT,
  });
  const block = blockEvidence(g, [...denyEvents, ...flowEvents]);

  const stopped = block.ipsDrops.length > 0 || block.denies.length > 0;
  let established = any(
    facts.map((f) => f.facts.established),
    stopped ? 'no' : 'unknown',
  );
  let dataExchanged = any(
    facts.map((f) => f.facts.dataExchanged),
    stopped ? 'no' : 'unknown',
  );
  // Each record is consistent on its own; keep the sum so too.
  if (dataExchanged === 'yes' && established === 'no') established = 'unknown';
  if (established === 'no' && dataExchanged === 'unknown') dataExchanged = 'no';
  const blocked: TriState =
    block.ipsDrops.length > 0 || (block.denies.length > 0 && established !== 'yes')
      ? 'yes'
      : established === 'yes'
        ? 'no'
        : 'unknown';

  const basis: SourceKind[] = [];
  const note = (k: SourceKind) => {
    if (!basis.includes(k)) basis.push(k);
  };
  for (const f of facts) note(f.sourceKind);
  for (const e of block.denies) note(e.source.kind);
  for (const a of block.ipsDrops) note(a.source.kind);

  const evidence: EvidenceRef[] = [...facts.slice(0, 20).map((f) => f.evidence), ...denyRefs(block)];
  // Denies for the pair on other ports are related events: listed, never counted as this attempt's block.
  for (const e of denyEvents.filter((d) => !block.denies.includes(d)).slice(0, MAX_RELATED_EVIDENCE)) {
    const where =
      e.source.file !== undefined && e.source.line !== undefined
        ? `${e.source.file}:${e.source.line}`
        : e.uid;
    evidence.push({
      kind: 'log-line',
      ref: where,
      note: `related: ${inert(e.message)}`,
      sourceKind: e.source.kind,
    });
  }
  for (const f of matched.related.slice(0, MAX_RELATED_EVIDENCE)) {
    const ff = flowFacts(f, g.src);
    evidence.push({
      kind: 'flow',
      ref: f.uid,
      note: `related connection: ${ff.note}`,
      sourceKind: kindOfFlow(f),
    });
  }

  const verdict: ConnectionVerdict = { established, dataExchanged, blocked, basis, summary: '', evidence };
  if (facts.length > 0) {
    verdict.packetsToServer = facts.reduce((n, f) => n + f.facts.packetsToServer, 0);
    verdict.packetsToClient = facts.reduce((n, f) => n + f.facts.packetsToClient, 0);
    verdict.bytesToServer = facts.reduce((n, f) => n + f.facts.bytesToServer, 0);
    verdict.bytesToClient = facts.reduce((n, f) => n + f.facts.bytesToClient, 0);
  }
  verdict.summary = summarise(g, verdict, facts, block, matched.related.length);
  return verdict;
}

function summarise(
  g: AlertGroup,
  v: ConnectionVerdict,
  facts: Fact[],
  block: ReturnType<typeof blockEvidence>,
  related: number,
): string {
  const target = `${g.src} → ${g.dst}${g.dstPort !== undefined ? `:${g.dstPort}` : ''}`;
  const n = facts.length;
  const conns = plural(n, 'connection');
  const traffic =
    v.packetsToServer === undefined
      ? 'no connection record between the hosts'
      : `${plural(v.packetsToServer, 'packet')} (${v.bytesToServer} B) to the server, ${plural(v.packetsToClient ?? 0, 'packet')} (${v.bytesToClient} B) back`;
  const tail = related > 0 ? `; ${plural(related, 'other connection')} between the pair on this port` : '';
  const why = [...new Set(facts.map((f) => f.facts.note.replace(/^NetFlow [^:]*: /, '')))]
    .slice(0, 2)
    .join('; ');
  if (v.blocked === 'yes') {
    const parts: string[] = [];
    if (block.denies.length > 0) parts.push(`${plural(block.denies.length, 'deny record')} for ${target}`);
    if (block.ipsDrops.length > 0)
      parts.push(`the sensor dropped ${plural(block.ipsDrops.length, 'alerted packet')}`);
    return `Blocked: ${parts.join(' and ')}; ${traffic}${tail}.`;
  }
  if (n === 0)
    return `Unknown: no connection record, flow record or firewall line for ${target} around the alert time.`;
  if (v.established === 'no') return `Not established: ${plural(n, 'attempt')} (${why}); ${traffic}${tail}.`;
  if (v.established === 'yes' && v.dataExchanged === 'yes')
    return `Established, data exchanged both ways: ${conns}, ${traffic}${tail}.`;
  if (v.established === 'yes')
    return `Established without payload both ways (${why}): ${conns}, ${traffic}${tail}.`;
  return `Cannot tell whether the connection formed (${why}): ${conns}, ${traffic}${tail}.`;
}
