/**
 * NetFlow and IPFIX export one record per direction, so a probe and its
 * answer are two records. The pairer holds each conversation (same protocol,
 * same two endpoints, records no more than `holdSeconds` apart) until it has
 * been quiet for `holdSeconds` of record time, then emits ONE Contact from
 * the side that started it, with the outcome the other side's record shows.
 * Record time is the latest flow end seen (or `advance(now)`); a record that
 * comes in late (flows are exported when they expire, not in start order)
 * still waits `holdSeconds` from its arrival for its other half.
 *
 * Initiator: the side whose OR of TCP flags has SYN without ACK; else the only
 * side that sent SYN; for ICMP the side that sent the request type (echo,
 * timestamp, information, address mask); else the earlier start; else the
 * higher (ephemeral) port; else the side seen first.
 *
 * Outcome from the responder's record: SYN (a SYN-ACK) or payload → answered;
 * RST without SYN or payload → rejected; no record at all → unanswered
 * (unknown when the exporter samples, since the answer may simply not have
 * been sampled, or when the conversation is pushed out early by `maxHeld`).
 * Established: both sides carry ACK and the responder sent SYN or payload.
 * UDP and other protocols: a reverse record → answered and established.
 * ICMP errors (unreachable, time exceeded ...) are not held: each becomes an
 * `errorReply` contact from the error's receiver to its sender at once, as
 * for capture flows. A lone record that can only be an answer (a bare
 * SYN-ACK or one from the lower port, a bare RST, an ICMP echo/timestamp
 * reply: backscatter, or the half of a conversation whose other half was not
 * exported) is no attempt by anyone and is counted in `repliesAlone`, not
 * emitted. A lone client record with SYN and ACK had its SYN-ACK (the reverse
 * record went another way): answered.
 *
 * Byte counts in NetFlow include IP and transport headers; contacts carry
 * `payloadEstimate` (minimal headers taken off). Packets and bytes are as
 * exported (not multiplied by the sampling interval).
 */
import type { Event } from '../../schema/event.js';
import type { ProbeOutcome } from '../../schema/finding.js';
import {
  attrNumber,
  type Contact,
  type ContactProto,
  contactProto,
  isIcmpError,
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

export interface NetflowPairerOptions {
  /** Seconds of record time a conversation waits for more records before it is emitted. */
  holdSeconds: number;
  /** Most conversations held at once; past it the least recently active is emitted early (counted). */
  maxHeld: number;
  onContact: (c: Contact) => void;
}

export interface NetflowPairerStats {
  /** Events given to add(). */
  records: number;
  /** Events that are not unidirectional flow records, or name no destination. */
  ignored: number;
  /** ICMP error records, each emitted at once as an errorReply contact. */
  errorReplies: number;
  /** Records inside conversations still held. */
  recordsHeld: number;
  /** Records inside conversations already emitted (as contacts or as repliesAlone). */
  recordsEmitted: number;
  /** Conversations held now, and the most ever held. */
  held: number;
  peakHeld: number;
  /** Contacts emitted (including error replies). */
  contacts: number;
  /** Conversations with records from both sides. */
  paired: number;
  /** Conversations with one side only, emitted as unanswered (or unknown). */
  unpaired: number;
  /** One-sided conversations that can only be answers (SYN-ACK, bare RST, ICMP reply): not emitted. */
  repliesAlone: number;
  /** Conversations emitted early because maxHeld was reached. */
  overflow: number;
}

export interface NetflowPairer {
  /** Takes one event; returns false when it is no unidirectional flow record (counted as ignored). */
  add(e: Event): boolean;
  /** Emits conversations quiet since before `now - holdSeconds` (record time, epoch seconds). */
  advance(now: number): void;
  /** Emits everything still held. */
  finish(): void;
  stats(): NetflowPairerStats;
}

/** What one direction of a conversation sent. */
interface Side {
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

interface Conversation {
  key: string;
  /** Neighbours in activity order (older, younger). */
  older: Conversation | undefined;
  younger: Conversation | undefined;
  proto: ContactProto;
  v6: boolean;
  first: Side;
  second: Side | undefined;
  last: number;
  /**
   * Record time after which it is released: holdSeconds past its last record, or past the
   * time already seen when that record came in late (exporters send records out of order).
   */
  deadline: number;
  records: number;
  sampled: boolean;
  format: string;
  sourceKind: Contact['sourceKind'];
  file: string | undefined;
}

/** True for the events the pairer takes: NetFlow/IPFIX/nfdump records and Suricata EVE `netflow` records. */
export function isUnidirectionalFlow(e: Event): boolean {
  if (e.type !== 'connection') return false;
  const kind = e.source?.kind;
  return kind === 'netflow' || (kind === 'eve' && e.attrs?.eventType === 'netflow');
}

/**
 * A pairer of unidirectional flow records into Contacts.
 *
 * @example
 * const pairer = createNetflowPairer({ holdSeconds: 60, maxHeld: 100_000, onContact: (c) => detector.contact(c) });
 * for (const e of nfdumpEvents) pairer.add(e);
 * pairer.finish();
 */
export function createNetflowPairer(opts: NetflowPairerOptions): NetflowPairer {
  if (!(opts.holdSeconds >= 0) || !Number.isFinite(opts.holdSeconds))
    throw new Error(`netflow pairer: holdSeconds must be a finite number ≥ 0, got ${opts.holdSeconds}`);
  if (!Number.isInteger(opts.maxHeld) || opts.maxHeld < 1)
    throw new Error(`netflow pairer: maxHeld must be an integer ≥ 1, got ${opts.maxHeld}`);
  const hold = opts.holdSeconds;
  const held = new Map<string, Conversation>();
  // Activity order as a linked list: a Map re-inserted on every touch leaves holes that
  // each scan from its start must skip, which made expiry cost grow with the table.
  let oldest: Conversation | undefined;
  let youngest: Conversation | undefined;
  const unlink = (c: Conversation) => {
    if (c.older) c.older.younger = c.younger;
    else oldest = c.younger;
    if (c.younger) c.younger.older = c.older;
    else youngest = c.older;
    c.older = undefined;
    c.younger = undefined;
  };
  const append = (c: Conversation) => {
    c.older = youngest;
    c.younger = undefined;
    if (youngest) youngest.younger = c;
    else oldest = c;
    youngest = c;
  };
  let watermark = Number.NEGATIVE_INFINITY;
  const st: NetflowPairerStats = {
    records: 0,
    ignored: 0,
    errorReplies: 0,
    recordsHeld: 0,
    recordsEmitted: 0,
    held: 0,
    peakHeld: 0,
    contacts: 0,
    paired: 0,
    unpaired: 0,
    repliesAlone: 0,
    overflow: 0,
  };

  const emitContact = (c: Contact) => {
    st.contacts++;
    opts.onContact(c);
  };

  const release = (conv: Conversation, early: boolean) => {
    held.delete(conv.key);
    unlink(conv);
    st.recordsHeld -= conv.records;
    st.recordsEmitted += conv.records;
    if (early) st.overflow++;
    const c = conversationContact(conv, early);
    if (c === undefined) st.repliesAlone++;
    else {
      if (conv.second) st.paired++;
      else st.unpaired++;
      emitContact(c);
    }
  };

  const expire = (now: number) => {
    // Activity order is only approximate when records are not time-sorted: stop at the first live one.
    while (oldest && oldest.deadline < now) release(oldest, false);
    st.held = held.size;
  };

  return {
    add(e) {
      st.records++;
      if (
        !isUnidirectionalFlow(e) ||
        typeof e.dst !== 'string' ||
        e.dst === '' ||
        typeof e.src !== 'string'
      ) {
        st.ignored++;
        return false;
      }
      const side = sideOf(e);
      const proto = contactProto(e.proto);
      const v6 = e.src.includes(':');
      if (proto === 'icmp' && isIcmpError(side.icmpType, v6)) {
        st.errorReplies++;
        emitContact(errorContact(e, side));
        return true;
      }
      const other = proto === 'icmp' ? e.dst : `${e.dst}|${e.dstPort ?? -1}`;
      const key =
        side.endpoint < other
          ? `${proto}|${e.proto ?? ''}|${side.endpoint}|${other}`
          : `${proto}|${e.proto ?? ''}|${other}|${side.endpoint}`;
      let conv = held.get(key);
      if (conv && side.start > conv.last + hold) {
        // The same endpoints again after a quiet spell: a new conversation.
        release(conv, false);
        conv = undefined;
      }
      if (conv) {
        unlink(conv);
        if (conv.first.endpoint === side.endpoint) merge(conv.first, side);
        else if (conv.second) merge(conv.second, side);
        else conv.second = side;
      } else {
        conv = {
          key,
          older: undefined,
          younger: undefined,
          proto,
          v6,
          first: side,
          second: undefined,
          last: side.end,
          deadline: 0,
          records: 0,
          sampled: false,
          format: e.source.format,
          sourceKind: e.source.kind,
          file: e.source.file,
        };
      }
      conv.records++;
      st.recordsHeld++;
      if (side.end > conv.last) conv.last = side.end;
      if ((attrNumber(e, 'samplingInterval') ?? 1) > 1) conv.sampled = true;
      if (side.end > watermark) watermark = side.end;
      conv.deadline = Math.max(conv.last, watermark) + hold;
      held.set(key, conv);
      append(conv);
      expire(watermark);
      while (held.size > opts.maxHeld && oldest) release(oldest, true);
      st.held = held.size;
      if (st.held > st.peakHeld) st.peakHeld = st.held;
      return true;
    },
    advance(now) {
      if (now > watermark) watermark = now;
      expire(watermark);
    },
    finish() {
      while (oldest) release(oldest, false);
      st.held = 0;
    },
    stats: () => ({ ...st }),
  };
}

function sideOf(e: Event): Side {
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

function merge(into: Side, s: Side): void {
  if (s.start < into.start) into.start = s.start;
  if (s.end > into.end) into.end = s.end;
  if (s.flags >= 0) into.flags = Math.max(into.flags, 0) | s.flags;
  into.pkts = into.pkts < 0 || s.pkts < 0 ? -1 : into.pkts + s.pkts;
  into.bytes = into.bytes < 0 || s.bytes < 0 ? -1 : into.bytes + s.bytes;
  if (into.icmpType < 0) into.icmpType = s.icmpType;
}

/** An ICMP error record as the contact it reports: from its receiver (the refused sender) to its sender. */
function errorContact(e: Event, s: Side): Contact {
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

function conversationContact(conv: Conversation, early: boolean): Contact | undefined {
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
