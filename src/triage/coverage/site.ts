/**
 * What a run read, per source kind: its inputs, the time it covers and what
 * it is able to see. Coverage rules (docs/coverage.md) compare an incident
 * with this to say which sources should have recorded it.
 */
import type { SourceKind } from '../../schema/event.js';

/** Where a network sensor sits relative to the firewall whose log was read. */
export type SensorPosition = 'behind-firewall' | 'outside-firewall' | 'unknown';

/**
 * One source kind as the run read it.
 *
 * @example
 * const capture: SiteSource = { sourceKind: 'pcap', inputs: [{ path: 'capture.pcap', format: 'pcap' }],
 *   records: 120, span: { first: 1795432330, last: 1795432350 }, addresses: ['10.99.0.10', '10.99.0.11'],
 *   position: 'behind-firewall' };
 */
export interface SiteSource {
  sourceKind: SourceKind;
  inputs: { path: string; format: string }[];
  /** Records (flows, lines, events) read. */
  records: number;
  /** First and last record time, epoch seconds; absent when no record carried a time. */
  span?: { first: number; last: number };
  /**
   * Network sensors (capture, NetFlow, Zeek, EVE): the addresses it saw
   * traffic for, either side, as addresses or CIDR prefixes (exact while
   * few, then /24 and /64 prefixes).
   */
  addresses?: string[];
  /** True when even the prefixes were too many and the list was cut: "not seen" cannot be told. */
  addressesTruncated?: boolean;
  /** Network sensors: before or behind the firewall; default 'unknown'. */
  position?: SensorPosition;
  /** Why: 'configured', or the inference from the firewall's denies. */
  positionBasis?: string;
  /** Firewall: "host:port" destinations it logged (for any source), bounded. */
  loggedPairs?: string[];
  /** Firewall: destination addresses (or prefixes) and ports it logged. */
  loggedDestinations?: string[];
  loggedPorts?: number[];
  /** Firewall: true when the log holds allowed traffic too, not only denies. */
  logsAllowed?: boolean;
  /** True when the firewall's logged lists were cut. */
  loggedTruncated?: boolean;
  /** sshd: addresses from its "Server listening on" lines. */
  servers?: string[];
  /** sshd, weblog, syslog, firewall: the logging host names its lines carry. */
  hostNames?: string[];
  /** Web logs: virtual hosts (Host headers or vhost fields) it logged. */
  vhosts?: string[];
}

/** Every source kind the run read. Stored in the run's summary JSON as `siteSources`. */
export interface SiteSources {
  sources: SiteSource[];
}

/** Network sensors: they see packets or flows on a path, whatever the service. */
export const NETWORK_SENSORS: readonly SourceKind[] = ['pcap', 'netflow', 'zeek', 'eve', 'snort', 'listener'];
