/**
 * The two sides of a NetFlow conversation and what they tell together: who
 * started it, and how it ended (the rules are described in netflow-pair.ts).
 */
import type { Event } from '../../schema/event.js';
import type { ProbeOutcome } from '../../schema/finding.js';
import {
  attrNumber,
  type Contact,
  type ContactProto,
  contactProto,
  payloadEstimate,
  tcpFlagClass,
} from './contact.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

const ICMP_REQUESTS = new Set([8, 13, 15, 17, 128]);
const ICMP_REPLIES = new Set([0, 14, 16, 18, 129]);

/** What one direction of a conversation sent. */
export interface Side {
  endpoint: string;
  addr: string;
  port: number;
  start: number;
  end: number;
  /** OR of the TCP flags of its records; -1 when no record said. */
  flags: number;
  /** -1 when a record did not say. */
  pkts: number;
  bytes: number;
  icmpType: number;
  uid: string;
  /** The receiver of this side's records (the destination of a one-sided conversation). */
  peerAddr: string;
  peerPort: number;
}

/** What the pairer holds about one conversation, apart from its place in the activity list. */
export interface ConversationData {
  proto: ContactProto;
  v6: boolean;
  first: Side;
  second: Side | undefined;
  sampled: boolean;
  format: string;
  sourceKind: Contact['sourceKind'];
  file: string | undefined;
}

/** One record as the side of a conversation it reports. */
export function sideOf(e: Event): Side {
  const proto = contactProto(e.proto);
  const port = proto === 'icmp' ? -1 : (e.srcPort ?? -1);
  const ts = Number.isFinite(e.ts) ? e.ts : 0;
  const end = attrNumber(e, 'end');
  return {
    endpoint: proto === 'icmp' ? e.src : `${e.src}|${port}`,
    addr: e.src,
    port,
    start: ts,
    end: end !== undefined && end >= ts ? end : ts,
    flags: attrNumber(e, 'tcpFlags') ?? -1,
    pkts: typeof e.packets === 'number' ? e.packets : -1,
    bytes: typeof e.bytes === 'number' ? e.bytes : -1,
    icmpType: attrNumber(e, 'icmpType') ?? -1,
    uid: e.uid,
    peerAddr: e.dst ?? '',
    peerPort: proto === 'icmp' ? -1 : (e.dstPort ?? -1),
  };
}

/** Adds a record of the same direction to its side. */
export function mergeSide(into: Side, s: Side): void {
  if (s.start < into.start) into.start = s.start;
  if (s.end > into.end) into.end = s.end;
  if (s.flags >= 0) into.flags = Math.max(into.flags, 0) | s.flags;
  into.pkts = into.pkts < 0 || s.pkts < 0 ? -1 : into.pkts + s.pkts;
  into.bytes = into.bytes < 0 || s.bytes < 0 ? -1 : into.bytes + s.bytes;
  if (into.icmpType < 0) into.icmpType = s.icmpType;
}

/** An ICMP error record as the contact it reports: from its receiver (the refused sender) to its sender. */
export function errorContact(e: Event, s: Side): Contact {
  const c: Contact = {
    ts: s.start,
    end: s.end,
    src: e.dst!,
    dst: e.src,
    proto: 'icmp',
    srcPort: -1,
    dstPort: -1,
    outcome: 'rejected',
    established: false,
    icmpType: s.icmpType,
    errorReply: true,
    origPkts: s.pkts,
    respPkts: 0,
    origBytes: payloadEstimate(
      s.bytes < 0 ? undefined : s.bytes,
      s.pkts < 0 ? undefined : s.pkts,
      'icmp',
      e.src.includes(':'),
    ),
    respBytes: 0,
    service: '',
    sourceKind: e.source.kind,
    format: e.source.format,
    uid: e.uid,
  };
  if (e.source.file !== undefined) c.file = e.source.file;
  return c;
}

/** True when a lone side can only be answering someone (SYN-ACK, a bare RST, an ICMP reply). */
function onlyAnswers(s: Side, proto: ContactProto): boolean {
  if (proto === 'icmp') return ICMP_REPLIES.has(s.icmpType);
  if (proto !== 'tcp' || s.flags < 0) return false;
  if (s.flags & SYN) {
    if ((s.flags & ACK) === 0) return false;
    // SYN and ACK: a server's SYN-ACK, or a client that completed the handshake and whose
    // reverse record is missing. A bare SYN-ACK (no data, no FIN) or one sent from the
    // lower (service) port to a higher one is the server's.
    return (s.flags & (FIN | PSH)) === 0 || (s.port >= 0 && s.peerPort >= 0 && s.port < s.peerPort);
  }
  return (
    (s.flags & RST) !== 0 &&
    s.bytes >= 0 &&
    s.pkts >= 0 &&
    payloadEstimate(s.bytes, s.pkts, proto, false) === 0
  );
}

/** Which of two sides started the conversation (see the file comment for the order of rules). */
function startedFirst(a: Side, b: Side, proto: ContactProto): boolean {
  if (proto === 'tcp' && a.flags >= 0 && b.flags >= 0) {
    const aOpen = (a.flags & SYN) !== 0 && (a.flags & ACK) === 0;
    const bOpen = (b.flags & SYN) !== 0 && (b.flags & ACK) === 0;
    if (aOpen !== bOpen) return aOpen;
    const aSyn = (a.flags & SYN) !== 0;
    const bSyn = (b.flags & SYN) !== 0;
    if (aSyn !== bSyn) return aSyn;
  }
  if (proto === 'icmp') {
    const aReq = ICMP_REQUESTS.has(a.icmpType);
    const bReq = ICMP_REQUESTS.has(b.icmpType);
    if (aReq !== bReq) return aReq;
  }
  if (a.start !== b.start) return a.start < b.start;
  if (a.port !== b.port) return a.port > b.port;
  return true;
}

/**
 * The contact a held conversation stands for (see netflow-pair.ts for the rules);
 * undefined when its only side can just be an answer. `early`: pushed out by maxHeld.
 */
export function conversationContact(conv: ConversationData, early: boolean): Contact | undefined {
  const { proto, v6 } = conv;
  let init = conv.first;
  let resp = conv.second;
  if (resp === undefined) {
    if (onlyAnswers(init, proto)) return undefined;
  } else if (!startedFirst(init, resp, proto)) {
    [init, resp] = [resp, init];
  }
  const bytesOf = (s: Side) =>
    payloadEstimate(s.bytes < 0 ? undefined : s.bytes, s.pkts < 0 ? undefined : s.pkts, proto, v6);
  const initPayload = bytesOf(init);
  const respPayload = resp ? bytesOf(resp) : 0;
  let outcome: ProbeOutcome;
  let established = false;
  if (!resp) {
    if (proto === 'tcp' && init.flags >= 0 && (init.flags & (SYN | ACK)) === (SYN | ACK)) {
      // A client that ACKed after its SYN had its SYN-ACK: the reverse record was not exported (asymmetric path).
      outcome = 'answered';
      established = (init.flags & PSH) !== 0 || initPayload > 0;
    } else outcome = early || conv.sampled ? 'unknown' : 'unanswered';
  } else if (proto === 'tcp' && resp.flags >= 0) {
    const rf = resp.flags;
    outcome = rf & SYN || respPayload > 0 ? 'answered' : rf & RST ? 'rejected' : 'answered';
    established =
      init.flags >= 0 &&
      (init.flags & ACK) !== 0 &&
      (rf & ACK) !== 0 &&
      ((rf & SYN) !== 0 || respPayload > 0 || initPayload > 0);
  } else {
    outcome = 'answered';
    established = proto !== 'tcp' || (init.pkts >= 2 && resp.pkts >= 2);
  }
  const c: Contact = {
    ts: resp ? Math.min(init.start, resp.start) : init.start,
    end: resp ? Math.max(init.end, resp.end) : init.end,
    src: init.addr,
    dst: resp ? resp.addr : init.peerAddr,
    proto,
    srcPort: init.port,
    dstPort: resp ? resp.port : init.peerPort,
    outcome,
    established,
    origPkts: init.pkts,
    respPkts: resp ? resp.pkts : 0,
    origBytes: initPayload,
    respBytes: respPayload,
    service: '',
    sourceKind: conv.sourceKind,
    format: conv.format,
    uid: init.uid,
  };
  if (proto === 'tcp' && init.flags >= 0) c.flagClass = tcpFlagClass(init.flags);
  if (proto === 'icmp' && init.icmpType >= 0) c.icmpType = init.icmpType;
  if (conv.file !== undefined) c.file = conv.file;
  return c;
}
