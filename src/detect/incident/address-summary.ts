/**
 * Per-address summaries of a run's events, bounded, for the incident builder:
 * how many events of each type and source kind name an address as their
 * source, which rule alerts it raised, when, and whom it touched.
 */
import type { Event, SourceKind } from '../../schema/event.js';
import type { AddressSummary, AlertSignatureSummary } from './types.js';

export interface AddressSummaryOptions {
  /** Addresses kept; events of further addresses are counted in `dropped` (default 100,000). */
  maxAddresses?: number;
  /** Distinct signatures kept per address (default 64). */
  maxSignatures?: number;
  /** Target addresses kept per address (default 32). */
  maxTargets?: number;
}

export interface AddressSummaries {
  event(e: Event): void;
  /** A capture connection (counted as `connection`, or `connection-refused` when rejected). */
  connection(src: string, dst: string, ts: number, rejected: boolean, sourceKind?: SourceKind): void;
  summaries(): Map<string, AddressSummary>;
  stats(): { addresses: number; dropped: number };
}

/**
 * @example
 * const acc = createAddressSummaries();
 * for (const e of events) acc.event(e);
 * buildIncidents({ findings, addresses: acc.summaries() });
 */
export function createAddressSummaries(opts: AddressSummaryOptions = {}): AddressSummaries {
  const maxAddresses = opts.maxAddresses ?? 100_000;
  const maxSignatures = opts.maxSignatures ?? 64;
  const maxTargets = opts.maxTargets ?? 32;
  const byAddr = new Map<string, AddressSummary>();
  let dropped = 0;

  function summaryOf(addr: string, ts: number): AddressSummary | undefined {
    let s = byAddr.get(addr);
    if (!s) {
      if (byAddr.size >= maxAddresses) {
        dropped++;
        return undefined;
      }
      s = {
        addr,
        firstSeen: ts,
        lastSeen: ts,
        eventsByType: {},
        eventsBySourceKind: {},
        alerts: [],
        targets: [],
      };
      byAddr.set(addr, s);
    }
    if (ts < s.firstSeen) s.firstSeen = ts;
    if (ts > s.lastSeen) s.lastSeen = ts;
    return s;
  }

  function count(s: AddressSummary, type: string, kind: SourceKind, dst: string | undefined): void {
    s.eventsByType[type] = (s.eventsByType[type] ?? 0) + 1;
    s.eventsBySourceKind[kind] = (s.eventsBySourceKind[kind] ?? 0) + 1;
    if (dst !== undefined && s.targets.length < maxTargets && !s.targets.includes(dst)) s.targets.push(dst);
  }

  function alert(s: AddressSummary, e: Event): void {
    const sid = typeof e.attrs?.sid === 'number' ? e.attrs.sid : undefined;
    let a: AlertSignatureSummary | undefined = s.alerts.find((x) => x.sid === sid && x.msg === e.message);
    if (!a) {
      if (s.alerts.length >= maxSignatures) return;
      a = { msg: e.message, count: 0, firstSeen: e.ts, lastSeen: e.ts, sourceKinds: [] };
      if (sid !== undefined) a.sid = sid;
      s.alerts.push(a);
    }
    a.count++;
    if (e.severityId !== undefined && e.severityId > (a.severityId ?? 0)) a.severityId = e.severityId;
    if (e.ts < a.firstSeen) a.firstSeen = e.ts;
    if (e.ts > a.lastSeen) a.lastSeen = e.ts;
    if (!a.sourceKinds.includes(e.source.kind)) a.sourceKinds.push(e.source.kind);
  }

  return {
    event(e) {
      const s = summaryOf(e.src, e.ts);
      if (!s) return;
      count(s, e.type, e.source.kind, e.dst);
      if (e.type === 'ids-alert') alert(s, e);
    },
    connection(src, dst, ts, rejected, sourceKind = 'pcap') {
      const s = summaryOf(src, ts);
      if (s) count(s, rejected ? 'connection-refused' : 'connection', sourceKind, dst);
    },
    summaries: () => byAddr,
    stats: () => ({ addresses: byAddr.size, dropped }),
  };
}
