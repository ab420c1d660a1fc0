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
import { ActivityList } from './activity-list.js';
import { attrNumber, type Contact, contactProto, isIcmpError } from './contact.js';
import {
  type ConversationData,
  conversationContact,
  errorContact,
  mergeSide,
  sideOf,
} from './netflow-conversation.js';

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

interface Conversation extends ConversationData {
  key: string;
  /** Neighbours in activity order (older, younger). */
  older: Conversation | undefined;
  younger: Conversation | undefined;
  last: number;
  /**
   * Record time after which it is released: holdSeconds past its last record, or past the
   * time already seen when that record came in late (exporters send records out of order).
   */
  deadline: number;
  records: number;
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
  const order = new ActivityList<Conversation>();
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
    order.unlink(conv);
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
    while (order.oldest && order.oldest.deadline < now) release(order.oldest, false);
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
        order.unlink(conv);
        if (conv.first.endpoint === side.endpoint) mergeSide(conv.first, side);
        else if (conv.second) mergeSide(conv.second, side);
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
      order.append(conv);
      expire(watermark);
      while (held.size > opts.maxHeld && order.oldest) release(order.oldest, true);
      st.held = held.size;
      if (st.held > st.peakHeld) st.peakHeld = st.held;
      return true;
    },
    advance(now) {
      if (now > watermark) watermark = now;
      expire(watermark);
    },
    finish() {
      while (order.oldest) release(order.oldest, false);
      st.held = 0;
    },
    stats: () => ({ ...st }),
  };
}
