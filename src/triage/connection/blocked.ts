/**
 * Was the attempt stopped on the way? Firewall deny lines (iptables, ufw,
 * pf, ASA), IPS drops (EVE `drop`, an alert whose action was blocked, an EVE
 * flow with a drop verdict) for this pair and port around the alerts' time.
 */
import type { EvidenceRef } from '../../schema/alarm.js';
import type { Event } from '../../schema/event.js';
import type { AlertGroup } from '../group.js';
import type { TimeWindow } from '../lookup.js';
import { inert } from './inert.js';

/** Deny lines this far around the alerts count (a firewall logs the first SYN, the IDS alerts later). */
export const DENY_SLACK_SECONDS = 60;
/** Deny evidence kept per verdict (the rest are counted). */
export const MAX_DENY_EVIDENCE = 10;

export function denyWindow(g: AlertGroup): TimeWindow {
  return { since: Math.floor(g.ts) - DENY_SLACK_SECONDS, until: g.lastSeen + DENY_SLACK_SECONDS };
}

export interface BlockEvidence {
  /** Deny or drop records for the pair and port. */
  denies: Event[];
  /** Alerts the sensor itself blocked (IPS mode). */
  ipsDrops: Event[];
}

function onPort(e: Event, g: AlertGroup): boolean {
  return g.dstPort === undefined || e.dstPort === undefined || e.dstPort === g.dstPort || e.proto === 'icmp';
}

/**
 * @example
 * const b = blockEvidence(group, await lookup.events({ src: group.src, dst: group.dst, types: ['firewall-deny'], ...denyWindow(group) }));
 */
export function blockEvidence(g: AlertGroup, events: readonly Event[]): BlockEvidence {
  const denies = events.filter(
    (e) =>
      e.src === g.src &&
      e.dst === g.dst &&
      onPort(e, g) &&
      (e.type === 'firewall-deny' ||
        (e.type === 'connection' && e.action === 'denied' && e.source.kind === 'eve')),
  );
  const ipsDrops = g.alerts.filter((a) => a.action === 'denied');
  return { denies, ipsDrops };
}

/** Evidence refs for deny lines: file:line when the log gives it, else the event uid. */
export function denyRefs(b: BlockEvidence): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  for (const a of b.ipsDrops.slice(0, MAX_DENY_EVIDENCE))
    out.push({
      kind: 'alert',
      ref: a.uid,
      note: 'the sensor blocked this alert (IPS drop)',
      sourceKind: a.source.kind,
    });
  for (const e of b.denies.slice(0, MAX_DENY_EVIDENCE)) {
    const s = e.source;
    const where = s.file !== undefined && s.line !== undefined ? `${s.file}:${s.line}` : e.uid;
    out.push({ kind: 'log-line', ref: where, note: inert(e.message), sourceKind: s.kind });
  }
  return out;
}
