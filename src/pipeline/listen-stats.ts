/**
 * Counters of the live collectors. Every message a collector receives ends
 * in exactly one of parsed, rejected or dropped, so the counters account for
 * everything (house rule: nothing silently lost).
 */
import type { Problem, ProblemLog } from '../schema/problem.js';

export type CollectorKind = 'syslog-udp' | 'syslog-tcp' | 'netflow-udp';

export interface CollectorStats {
  kind: CollectorKind;
  /** The bound address, `host:port` (`[v6]:port`). */
  address: string;
  /**
   * Syslog: messages (datagrams, or TCP frames). NetFlow: export datagrams.
   * Syslog: received = parsed + rejected + dropped + waiting.
   */
  received: number;
  /** Payload bytes read from the network. */
  bytes: number;
  /** Syslog: messages parsed into a record. NetFlow: flow records decoded. */
  parsed: number;
  /** Records that became events and were queued for the store. */
  events: number;
  /** Parsed records that concern no address (e.g. a daemon restart): counted, not stored. */
  withoutEvent: number;
  /** Syslog: messages rejected. NetFlow: problems (a datagram may have several). By code in `rejectedBy`. */
  rejected: number;
  rejectedBy: Record<string, number>;
  /** The UDP backlog was full. Syslog: datagrams; NetFlow: flow records (templates are still learned). */
  dropped: number;
  /** UDP: datagrams received and waiting in the backlog to be parsed (0 once closed). */
  waiting?: number;
  /** UDP: datagrams the kernel dropped because the socket buffer was full (Linux, from /proc/net/udp). */
  kernelDropped?: number;
  /** TCP only. */
  connections?: ConnectionStats;
}

export interface ConnectionStats {
  open: number;
  total: number;
  /** Connections closed by the collector because their framing was lost. */
  closedForBadFraming: number;
  /** Connections refused because `maxConnections` were open. */
  refused: number;
  /** Times the collector paused reading because the store queue was full (back-pressure). */
  pauses: number;
}

export interface QueueStats {
  /** Events waiting for or being written to the store. */
  depth: number;
  max: number;
  /** Deepest the queue has been. */
  highWater: number;
}

export interface StoreWriteStats {
  /** writeEvents calls that succeeded. */
  batches: number;
  /** Events in those calls. */
  events: number;
  /** Events in calls that failed (not known to be stored); each failure is also a problem. */
  failed: number;
}

export interface ListenStats {
  /** Seconds since the collectors started. */
  uptimeSec: number;
  collectors: CollectorStats[];
  queue: QueueStats;
  store: StoreWriteStats;
}

/** Fresh zero counters for a collector. */
export function newCollectorStats(kind: CollectorKind, address: string): CollectorStats {
  const s: CollectorStats = {
    kind,
    address,
    received: 0,
    bytes: 0,
    parsed: 0,
    events: 0,
    withoutEvent: 0,
    rejected: 0,
    rejectedBy: {},
    dropped: 0,
  };
  if (kind === 'syslog-tcp')
    s.connections = { open: 0, total: 0, closedForBadFraming: 0, refused: 0, pauses: 0 };
  return s;
}

/**
 * A ProblemLog that counts each problem as a rejection of `stats` and passes it
 * on to the run's log.
 *
 * @example const log = countingProblemLog(stats, problems); session = createNetflowSession({ problems: log, ... })
 */
export function countingProblemLog(stats: CollectorStats, into: ProblemLog): ProblemLog {
  return {
    counts: into.counts,
    samples: into.samples,
    add(p: Problem) {
      stats.rejected++;
      stats.rejectedBy[p.code] = (stats.rejectedBy[p.code] ?? 0) + 1;
      into.add(p);
    },
    total: () => into.total(),
  };
}

/** `host:port`, with brackets for IPv6. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A socket's peer address without the IPv4-mapped prefix (`::ffff:10.0.0.1` → `10.0.0.1`). */
export function plainAddress(a: string | undefined): string {
  if (a === undefined) return 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
