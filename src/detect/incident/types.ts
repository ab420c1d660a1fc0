/**
 * What the incident builder reads: the run's findings and, per address, a
 * summary of the events and alerts that name it as their source.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding, ScannerLabel, ToolMatch } from '../../schema/finding.js';

/** One rule signature's alerts from one address. */
export interface AlertSignatureSummary {
  sid?: number;
  msg: string;
  count: number;
  /** OCSF severity id of the rule (from its priority), when known. */
  severityId?: number;
  firstSeen: number;
  lastSeen: number;
  /** Source kinds that raised it ('pcap' for Picket's own rules, 'eve', 'snort', 'zeek' ...). */
  sourceKinds: SourceKind[];
}

/**
 * Everything the run's events say about one acting address.
 *
 * @example
 * const s: AddressSummary = { addr: '10.99.1.68', firstSeen: 1795950740, lastSeen: 1795950741,
 *   eventsByType: { 'web-access': 5 }, eventsBySourceKind: { weblog: 5 }, alerts: [], targets: ['10.99.0.10'] };
 */
export interface AddressSummary {
  addr: string;
  firstSeen: number;
  lastSeen: number;
  /** Events (alerts included, as `ids-alert`) and capture connections by type. */
  eventsByType: Record<string, number>;
  eventsBySourceKind: Partial<Record<SourceKind, number>>;
  alerts: AlertSignatureSummary[];
  /** Destination addresses its events name, a bounded sample, first seen first. */
  targets: string[];
}

export interface IncidentInput {
  findings: readonly Finding[];
  /** Per-address event summaries (see createAddressSummaries); absent addresses have none. */
  addresses?: ReadonlyMap<string, AddressSummary> | readonly AddressSummary[];
  /** Tools named per source address by the fingerprinters (in addition to tool-use findings). */
  tools?: ReadonlyMap<string, readonly ToolMatch[]>;
  /** The research-scanner label of an address, when the user's scanner lists are loaded. */
  scannerLabel?(addr: string): ScannerLabel | undefined;
}
