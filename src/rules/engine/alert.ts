/**
 * What the rule engine reports when a rule fires: the rule, the packet's
 * five-tuple in the direction it travelled, the flow, and the application
 * transaction the match came from, so output writers (EVE JSON) and triage
 * can show the evidence.
 */
import type { DnsTx, FileTx, HttpTx, SshTx, TlsTx } from '../../schema/app-tx.js';
import type { Rule } from '../ast.js';

/** Where a content or pcre matched: the buffer name and the byte range within that buffer. */
export interface MatchSpan {
  buffer: string;
  start: number;
  end: number;
}

export interface Alert {
  /** Packet time, seconds since the epoch (microsecond precision). */
  ts: number;
  rule: Rule;
  /** 'blocked' only when the rule's action is drop/reject and the run simulates IPS. */
  action: 'allowed' | 'blocked';
  /** Addresses and ports of the packet that triggered the alert, as it travelled. */
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6 ...); -1 for non-IP (ARP). */
  ipProto: number;
  /** The packet travelled from the flow's originator (client) to its responder. */
  toServer: boolean;
  /** Index of the triggering frame in its capture (pcap_cnt is frame + 1). */
  frame: number;
  /** Capture file the frame came from. */
  capture?: string;
  /** Flow identity: Picket uid and Community ID; undefined for packets without a flow (ARP). */
  flowUid?: string;
  communityId?: string;
  /** A 52-bit numeric flow id for EVE `flow_id` (stable per flow within a run). */
  flowId?: number;
  /** Application protocol recognised on the flow ('http', 'tls', 'ssh', 'dns', 'smb' ...). */
  appProto?: string;
  /** The transaction a buffer match came from, with its protocol record. */
  txId?: number;
  http?: HttpTx;
  dns?: DnsTx;
  tls?: TlsTx;
  ssh?: SshTx;
  file?: FileTx;
  /** The packet payload (copied) for packet and stream matches; bounded. */
  payload?: Uint8Array;
  /** The flow's counters when the alert was raised (EVE `flow`). */
  flowStats?: {
    pktsToServer: number;
    pktsToClient: number;
    bytesToServer: number;
    bytesToClient: number;
    start: number;
  };
  /** Flowbits set on the flow when the alert was raised (after the rule's own actions). */
  flowbits?: string[];
  /** The spans that made the rule match, for highlighting in explanations and triage. */
  spans: MatchSpan[];
}
