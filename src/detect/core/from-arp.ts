/**
 * ARP requests as contacts: "who has T? tell S" is S probing for T on the
 * local segment (what arp-scan and nmap -PR send). A request waits up to
 * `holdSeconds` (packet time) for T's reply: reply → answered, none →
 * unanswered. Repeated requests for the same pair while one waits are the
 * same contact (retries). Gratuitous ARP (sender = target) announces the
 * sender's own address and ARP probes (sender 0.0.0.0, RFC 5227) check it;
 * neither is a probe of another host, so they are counted and skipped.
 */
import { type DecodedPacket, L3 } from '../../schema/packet.js';
import { formatIPv4 } from '../../util/ip.js';
import { ActivityList } from './activity-list.js';
import type { Contact } from './contact.js';

export interface ArpContactsOptions {
  onContact: (c: Contact) => void;
  /** Seconds a request waits for its reply. */
  holdSeconds: number;
  /** Most requests waiting at once (default 65,536); past it the oldest is emitted as unknown and counted. */
  maxHeld?: number;
  /** File the packets come from (evidence on the contacts). */
  file?: string;
}

export interface ArpContactsStats {
  requests: number;
  replies: number;
  /** Replies that matched a waiting request. */
  answered: number;
  unanswered: number;
  gratuitous: number;
  /** Requests emitted early because maxHeld was reached (outcome unknown). */
  overflow: number;
  held: number;
  peakHeld: number;
  contacts: number;
}

export interface ArpContacts {
  packet(p: DecodedPacket): void;
  /** Emits waiting requests older than `now - holdSeconds`. */
  advance(now: number): void;
  finish(): void;
  stats(): ArpContactsStats;
}

interface Waiting {
  key: string;
  /** Neighbours in waiting order (older, younger). */
  older: Waiting | undefined;
  younger: Waiting | undefined;
  sender: string;
  target: string;
  ts: number;
  end: number;
  pkts: number;
  frame: number;
}

/**
 * ARP contacts from decoded packets.
 *
 * @example
 * const arp = createArpContacts({ holdSeconds: 5, onContact: (c) => contacts.push(c) });
 * for (const p of packets) arp.packet(p);
 * arp.finish(); // contacts: { proto: 'arp', src: '10.0.0.128', dst: '10.0.0.7', outcome: 'unanswered', … }
 */
export function createArpContacts(opts: ArpContactsOptions): ArpContacts {
  if (!(opts.holdSeconds >= 0) || !Number.isFinite(opts.holdSeconds))
    throw new Error(`arp contacts: holdSeconds must be a finite number ≥ 0, got ${opts.holdSeconds}`);
  const maxHeld = opts.maxHeld ?? 65_536;
  if (!Number.isInteger(maxHeld) || maxHeld < 1)
    throw new Error(`arp contacts: maxHeld must be an integer ≥ 1, got ${maxHeld}`);
  const hold = opts.holdSeconds;
  // Keyed by sender and target as two 32-bit words in one string; age order in an ActivityList.
  const waiting = new Map<string, Waiting>();
  const order = new ActivityList<Waiting>();
  const drop = (w: Waiting) => {
    waiting.delete(w.key);
    order.unlink(w);
  };
  const st: ArpContactsStats = {
    requests: 0,
    replies: 0,
    answered: 0,
    unanswered: 0,
    gratuitous: 0,
    overflow: 0,
    held: 0,
    peakHeld: 0,
    contacts: 0,
  };

  const emit = (w: Waiting, outcome: Contact['outcome'], replyTs: number) => {
    const c: Contact = {
      ts: w.ts,
      end: outcome === 'answered' ? Math.max(w.end, replyTs) : w.end,
      src: w.sender,
      dst: w.target,
      proto: 'arp',
      srcPort: -1,
      dstPort: -1,
      outcome,
      established: outcome === 'answered',
      origPkts: w.pkts,
      respPkts: outcome === 'answered' ? 1 : 0,
      origBytes: -1,
      respBytes: -1,
      service: '',
      sourceKind: 'pcap',
      format: 'pcap',
      uid: arpUid(w),
    };
    if (opts.file !== undefined) c.file = opts.file;
    st.contacts++;
    opts.onContact(c);
  };

  const expire = (now: number) => {
    while (order.oldest && order.oldest.end + hold < now) {
      const w = order.oldest;
      drop(w);
      st.unanswered++;
      emit(w, 'unanswered', 0);
    }
    st.held = waiting.size;
  };

  return {
    packet(p) {
      if (p.l3 !== L3.ARP || p.addrLen !== 4 || (p.arpOp !== 1 && p.arpOp !== 2)) return;
      const s = ipv4Key(p.src);
      const t = ipv4Key(p.dst);
      if (p.arpOp === 2) {
        st.replies++;
        // The reply's sender is the request's target.
        const key = `${t}-${s}`;
        const w = waiting.get(key);
        if (w) {
          drop(w);
          st.answered++;
          emit(w, 'answered', p.ts);
        }
        expire(p.ts);
        return;
      }
      if (s === t || s === 0) {
        st.gratuitous++;
        return;
      }
      st.requests++;
      const key = `${s}-${t}`;
      const w = waiting.get(key);
      if (w) {
        w.pkts++;
        if (p.ts > w.end) w.end = p.ts;
        // Move to the young end: it waits from its latest retry.
        order.touch(w);
      } else {
        const fresh: Waiting = {
          key,
          older: undefined,
          younger: undefined,
          sender: formatIPv4(p.src),
          target: formatIPv4(p.dst),
          ts: p.ts,
          end: p.ts,
          pkts: 1,
          frame: p.frame.index,
        };
        waiting.set(key, fresh);
        order.append(fresh);
        while (waiting.size > maxHeld && order.oldest) {
          const old = order.oldest;
          drop(old);
          st.overflow++;
          emit(old, 'unknown', 0);
        }
      }
      expire(p.ts);
      if (waiting.size > st.peakHeld) st.peakHeld = waiting.size;
    },
    advance(now) {
      expire(now);
    },
    finish() {
      while (order.oldest) {
        const w = order.oldest;
        drop(w);
        st.unanswered++;
        emit(w, 'unanswered', 0);
      }
      st.held = 0;
    },
    stats: () => ({ ...st }),
  };
}

function ipv4Key(b: Uint8Array): number {
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/** Deterministic uid of an ARP contact: sender, target and first frame. */
function arpUid(w: Waiting): string {
  let h = 0x811c9dc5;
  const s = `${w.sender}>${w.target}@${w.frame}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return `A${(h >>> 0).toString(36).padStart(7, '0')}${w.frame.toString(36)}`;
}
