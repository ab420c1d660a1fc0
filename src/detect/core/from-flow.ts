/**
 * Contacts from connection records (a capture's flows, or Zeek conn records
 * as FlowRecords). The outcome follows Zeek's conn_state reasoning, but from
 * the packets each side sent where the record has them: a SYN-ACK or payload
 * from the responder is an answer, a bare RST a rejection, silence is
 * unanswered.
 */

import type { ProbeOutcome } from '../../schema/finding.js';
import type { FlowRecord } from '../../schema/flow.js';
import { type Contact, type ContactProto, tcpFlagClass } from './contact.js';

const SYN = 0x02;
const RST = 0x04;

/** ICMP types that answer someone else's packet (unreachable, time exceeded, redirect, parameter problem). */
const ICMP_ERRORS = new Set([3, 5, 11, 12]);
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);

/**
 * The contact a flow stands for. ICMP errors come back as a contact FROM the
 * original sender (the error's receiver) TO the host that reported it, with
 * `errorReply` set and outcome 'rejected': that is what they tell a detector.
 *
 * @example
 * contactFromFlow(flow, 'pcap') // { src: flow.origH, dst: flow.respH, outcome: 'answered', … }
 */
export function contactFromFlow(flow: FlowRecord, sourceKind: Contact['sourceKind'] = 'pcap'): Contact {
  const proto: ContactProto = flow.proto === 'unknown_transport' ? 'other' : (flow.proto as ContactProto);
  const isIcmp = flow.proto === 'icmp';
  const icmpType = isIcmp ? flow.origP : undefined;
  const errorReply =
    icmpType !== undefined && (flow.ipProto === 58 ? ICMP6_ERRORS : ICMP_ERRORS).has(icmpType);
  const c: Contact = {
    ts: flow.ts,
    end: flow.ts + (flow.duration || 0),
    src: errorReply ? flow.respH : flow.origH,
    dst: errorReply ? flow.origH : flow.respH,
    proto,
    srcPort: isIcmp ? -1 : flow.origP,
    dstPort: isIcmp ? -1 : flow.respP,
    outcome: errorReply ? 'rejected' : flowOutcome(flow),
    established: !errorReply && flowEstablished(flow),
    origPkts: flow.origPkts,
    respPkts: flow.respPkts,
    origBytes: flow.origBytes,
    respBytes: flow.respBytes,
    service: flow.service,
    sourceKind,
    format: sourceKind === 'pcap' ? 'pcap' : 'flow',
    uid: flow.uid,
  };
  if (icmpType !== undefined) c.icmpType = icmpType;
  if (errorReply) c.errorReply = true;
  if (flow.source !== undefined) c.file = flow.source;
  if (flow.proto === 'tcp') {
    if (flow.origFlags !== undefined) c.flagClass = tcpFlagClass(flow.origFlags);
    else if (flow.history.startsWith('S')) c.flagClass = 'syn';
  }
  return c;
}

/** How a flow's attempt ended, from the responder's packets (or conn_state and history when flags are absent). */
export function flowOutcome(flow: FlowRecord): ProbeOutcome {
  if (flow.respPkts === 0 && flow.respBytes === 0) {
    // A record with no responder packets may still be a half-seen flow (RSTRH/SHR: only the responder seen).
    return flow.connState === 'RSTRH' || flow.connState === 'SHR' ? 'unknown' : 'unanswered';
  }
  if (flow.proto !== 'tcp') return 'answered';
  const rf = flow.respFlags;
  if (rf !== undefined) {
    if (rf & SYN) return 'answered';
    if (flow.respBytes > 0) return 'answered';
    if (rf & RST) return 'rejected';
    return 'answered';
  }
  const h = flow.history;
  if (flow.connState === 'REJ') return 'rejected';
  if (h.includes('h') || h.includes('d')) return 'answered';
  if (h.includes('r')) return 'rejected';
  return 'unknown';
}

/** The three-way handshake completed (TCP), or both sides sent (other protocols). */
export function flowEstablished(flow: FlowRecord): boolean {
  if (flow.proto !== 'tcp') return flow.origPkts > 0 && flow.respPkts > 0;
  const h = flow.history;
  return h.includes('S') && h.includes('h') && h.includes('A');
}
