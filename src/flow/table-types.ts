import type { FlowRecord } from '../schema/flow.js';
import type { DecodedPacket } from '../schema/packet.js';
import type { FlowObserver } from './observer.js';

export interface FlowTableOptions {
  /** Each finished connection, in finishing order. */
  onFlow(flow: FlowRecord): void;
  /** Called once per new connection. */
  observe?: (proto: number) => FlowObserver | undefined;
  /** Capture name copied into FlowRecord.source. */
  source?: string;
  /** Seconds (Zeek defaults 300/60/60). */
  tcpInactivityTimeout?: number;
  udpInactivityTimeout?: number;
  icmpInactivityTimeout?: number;
  /** Zeek's tcp_close_delay, 5 s. */
  tcpCloseDelay?: number;
  /** Zeek's tcp_attempt_delay: an unanswered SYN is finished after 5 s. */
  tcpAttemptDelay?: number;
  /** Bounded table: when full, evict the least-recently-active flow (emitted, counted). Default 1,000,000. */
  maxFlows?: number;
}

export interface FlowStats {
  packets: number;
  /** Packets that became part of a flow. */
  flowPackets: number;
  /** Not IP (ARP, other L3) or without a transport protocol. */
  skippedNonIp: number;
  /** Unreassembled IP fragments (no ports). */
  skippedFragments: number;
  /** Transport header too short to key the packet. */
  skippedTruncated: number;
  flowsCreated: number;
  flowsEmitted: number;
  /** Finished by the packet-time timers (inactivity, attempt, close delay). */
  timedOut: number;
  /** A SYN on a finished or different-ISN connection started a new flow. */
  reused: number;
  /** Evicted because the table was full. */
  evicted: number;
  /** Flushed at end of input. */
  flushed: number;
  active: number;
  peakActive: number;
}

export interface FlowTable {
  packet(p: DecodedPacket): void;
  /** End of input: emit everything still open. */
  flush(): void;
  readonly stats: FlowStats;
}
