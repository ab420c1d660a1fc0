/**
 * Step 1 without a capture: connection events from Zeek conn.log, Suricata
 * EVE flow records and NetFlow/IPFIX. Zeek and EVE records are bidirectional;
 * NetFlow records are one direction each, so the two halves of a connection
 * are paired by the client's port. Each becomes FlowFacts like a capture flow.
 */
import type { EvidenceRef, TriState } from '../../schema/alarm.js';
import type { Event, SourceKind } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { AlertGroup } from '../group.js';
import { type FlowFacts, flowFacts } from './flow-facts.js';
import { inert } from './inert.js';

const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

export interface EventFlowFacts {
  facts: FlowFacts;
  evidence: EvidenceRef;
  sourceKind: SourceKind;
}

const num = (e: Event, k: string): number | undefined => {
  const v = e.attrs?.[k];
  return typeof v === 'number' ? v : undefined;
};
const str = (e: Event, k: string): string | undefined => {
  const v = e.attrs?.[k];
  return typeof v === 'string' ? v : undefined;
};

function ref(e: Event): string {
  const s = e.source;
  return s.file !== undefined && s.line !== undefined ? `${s.file}:${s.line}` : e.uid;
}

/** A Zeek conn event back into a record, so the capture's rules apply unchanged. */
function zeekFlow(e: Event): FlowRecord | undefined {
  const proto = e.proto === 'tcp' || e.proto === 'udp' || e.proto === 'icmp' ? e.proto : undefined;
  if (proto === undefined || e.dst === undefined) return undefined;
  return {
    ts: e.ts,
    uid: str(e, 'zeek_uid') ?? e.uid,
    origH: e.src,
    origP: e.srcPort ?? 0,
    respH: e.dst,
    respP: e.dstPort ?? 0,
    proto,
    service: str(e, 'service') ?? '',
    duration: num(e, 'duration') ?? 0,
    origBytes: num(e, 'orig_bytes') ?? 0,
    respBytes: num(e, 'resp_bytes') ?? 0,
    connState: (str(e, 'conn_state') ?? '') as FlowRecord['connState'],
    missedBytes: num(e, 'missed_bytes') ?? 0,
    history: str(e, 'history') ?? '',
    origPkts: num(e, 'orig_pkts') ?? 0,
    origIpBytes: num(e, 'orig_ip_bytes') ?? 0,
    respPkts: num(e, 'resp_pkts') ?? 0,
    respIpBytes: num(e, 'resp_ip_bytes') ?? 0,
    ipProto: proto === 'tcp' ? 6 : proto === 'udp' ? 17 : 1,
    origWireBytes: 0,
    respWireBytes: 0,
    communityId: str(e, 'community_id') ?? '',
  };
}

/** TCP facts from the OR of flags each side sent (what EVE and NetFlow keep). */
function flagFacts(
  toServer: number | undefined,
  toClient: number | undefined,
  pktsToClient: number,
  payloadHint: { client: TriState; server: TriState },
): Pick<FlowFacts, 'established' | 'dataExchanged' | 'note'> {
  if (toServer === undefined && toClient === undefined) {
    if (pktsToClient === 0)
      return { established: 'no', dataExchanged: 'no', note: 'no packets back from the server' };
    return { established: 'unknown', dataExchanged: 'unknown', note: 'no TCP flags recorded' };
  }
  const c = toServer ?? 0;
  const s = toClient ?? 0;
  const handshake = (c & SYN) !== 0 && (s & (SYN | ACK)) === (SYN | ACK) && (c & ACK) !== 0;
  const data: TriState =
    payloadHint.client === 'yes' && payloadHint.server === 'yes'
      ? 'yes'
      : payloadHint.client === 'no' || payloadHint.server === 'no'
        ? 'no'
        : 'unknown';
  if (handshake)
    return { established: 'yes', dataExchanged: data, note: `handshake flags both ways (data: ${data})` };
  if ((c & SYN) !== 0) {
    const why =
      (s & SYN) !== 0
        ? 'SYN-ACK but no ACK from the client'
        : (s & RST) !== 0
          ? 'refused with RST'
          : 'no answer';
    return { established: 'no', dataExchanged: 'no', note: `handshake never completed (${why})` };
  }
  if ((s & ~RST) === 0)
    return { established: 'no', dataExchanged: 'no', note: 'a probe without SYN, not answered beyond RST' };
  return {
    established: 'unknown',
    dataExchanged: data === 'yes' ? 'yes' : 'unknown',
    note: 'handshake not seen',
  };
}

type TcpFacts = Pick<FlowFacts, 'established' | 'dataExchanged' | 'note'>;

/** 3 packets or fewer in all cannot hold a handshake and payload both ways (the seed's rule of thumb, made exact). */
function atMostThree(c: { packetsToServer: number; packetsToClient: number }, f: TcpFacts): TcpFacts {
  if (c.packetsToServer + c.packetsToClient > 3 || f.dataExchanged === 'no') return f;
  return { ...f, dataExchanged: 'no', note: `${f.note}; 3 packets or fewer` };
}

/**
 * Whether one direction carried payload, from flags and sizes: PSH is set on
 * data segments; IP bytes above 120 per packet exceed any IPv4 header pair;
 * exactly 40 (IPv4) or 60 (IPv6) per packet is headers only.
 */
function payloadOf(flags: number | undefined, packets: number, bytes: number, v6: boolean): TriState {
  if (packets === 0) return 'no';
  if (flags !== undefined && (flags & PSH) !== 0) return 'yes';
  if (bytes > packets * 120) return 'yes';
  if (bytes <= packets * (v6 ? 60 : 40)) return 'no';
  return 'unknown';
}

/** An EVE flow record (bidirectional, from the client's side). */
function eveFacts(e: Event, g: AlertGroup): FlowFacts {
  const fromClient = e.src === g.src;
  const pick = (a: string, b: string) => (fromClient ? num(e, a) : num(e, b)) ?? 0;
  const pktsToServer = pick('pktsToServer', 'pktsToClient');
  const pktsToClient = pick('pktsToClient', 'pktsToServer');
  const bytesToServer = pick('bytesToServer', 'bytesToClient');
  const bytesToClient = pick('bytesToClient', 'bytesToServer');
  const fs = fromClient ? num(e, 'tcpFlagsToServer') : num(e, 'tcpFlagsToClient');
  const fc = fromClient ? num(e, 'tcpFlagsToClient') : num(e, 'tcpFlagsToServer');
  const v6 = g.dst.includes(':');
  // EVE counts whole frames: allow 14 bytes of Ethernet header per packet before calling it payload.
  const hint = {
    client: payloadOf(fs, pktsToServer, bytesToServer - 14 * pktsToServer, v6),
    server: payloadOf(fc, pktsToClient, bytesToClient - 14 * pktsToClient, v6),
  };
  const counts = {
    packetsToServer: pktsToServer,
    packetsToClient: pktsToClient,
    bytesToServer,
    bytesToClient,
  };
  const answered: TriState = pktsToClient > 0 ? 'yes' : 'no';
  if (e.proto === 'tcp')
    return { ...counts, answered, ...atMostThree(counts, flagFacts(fs, fc, pktsToClient, hint)) };
  const est: TriState = pktsToClient > 0 ? 'yes' : e.proto === 'udp' ? 'unknown' : 'no';
  return {
    ...counts,
    answered,
    established: est,
    dataExchanged: pktsToClient > 0 && pktsToServer > 0 ? 'yes' : 'no',
    note: pktsToClient > 0 ? `${e.proto ?? '?'} answered` : `${e.proto ?? '?'} not answered`,
  };
}

/** The two halves of NetFlow connections, paired by the client's port. */
function netflowFacts(events: readonly Event[], g: AlertGroup): EventFlowFacts[] {
  const byConn = new Map<string, { c: Event[]; s: Event[] }>();
  for (const e of events) {
    const fromClient = e.src === g.src;
    const clientPort = fromClient ? e.srcPort : e.dstPort;
    const key = `${e.proto ?? '?'}|${clientPort ?? '-'}`;
    let slot = byConn.get(key);
    if (slot === undefined) {
      slot = { c: [], s: [] };
      byConn.set(key, slot);
    }
    (fromClient ? slot.c : slot.s).push(e);
  }
  const out: EventFlowFacts[] = [];
  const v6 = g.dst.includes(':');
  for (const { c, s } of byConn.values()) {
    const sum = (list: Event[], k: 'packets' | 'bytes') => list.reduce((n, e) => n + (e[k] ?? 0), 0);
    const flags = (list: Event[]) =>
      list.some((e) => num(e, 'tcpFlags') !== undefined)
        ? list.reduce((n, e) => n | (num(e, 'tcpFlags') ?? 0), 0)
        : undefined;
    const counts = {
      packetsToServer: sum(c, 'packets'),
      packetsToClient: sum(s, 'packets'),
      bytesToServer: sum(c, 'bytes'),
      bytesToClient: sum(s, 'bytes'),
    };
    const first = c[0] ?? s[0]!;
    const proto = first.proto;
    let facts: Pick<FlowFacts, 'established' | 'dataExchanged' | 'note'>;
    if (proto === 'tcp') {
      const hint = {
        client: payloadOf(flags(c), counts.packetsToServer, counts.bytesToServer, v6),
        server: payloadOf(flags(s), counts.packetsToClient, counts.bytesToClient, v6),
      };
      facts = atMostThree(counts, flagFacts(flags(c), flags(s), counts.packetsToClient, hint));
    } else {
      const answered = counts.packetsToClient > 0;
      facts = {
        established: answered ? 'yes' : proto === 'udp' ? 'unknown' : 'no',
        dataExchanged: answered && counts.packetsToServer > 0 ? 'yes' : 'no',
        note: answered ? `${proto ?? '?'} answered` : `${proto ?? '?'} not answered`,
      };
    }
    const sampled = [...c, ...s].some((e) => (num(e, 'samplingInterval') ?? 1) > 1);
    out.push({
      facts: {
        ...counts,
        answered: counts.packetsToClient > 0 ? 'yes' : 'no',
        ...facts,
        note: `NetFlow ${counts.packetsToServer}→/${counts.packetsToClient}← packets: ${facts.note}${sampled ? ' (sampled: counts as exported)' : ''}`,
      },
      evidence: { kind: 'netflow', ref: ref(first), note: inert(first.message), sourceKind: 'netflow' },
      sourceKind: 'netflow',
    });
  }
  return out;
}

/** Exporter formats in order of preference when one site sends the same flows twice (nfcapd and its CSV). */
const NETFLOW_PREFERENCE = ['nfcapd', 'ipfix', 'netflow-v9', 'netflow-v5', 'nfdump-csv'];

/**
 * Facts from connection events between the pair (either direction), on the group's port.
 *
 * @example
 * factsFromFlowEvents(group, events).map((x) => x.facts.established)
 */
export function factsFromFlowEvents(g: AlertGroup, events: readonly Event[]): EventFlowFacts[] {
  const onPort = (e: Event) =>
    g.dstPort === undefined ||
    (e.src === g.src ? e.dstPort === g.dstPort : e.srcPort === g.dstPort) ||
    e.proto === 'icmp';
  const out: EventFlowFacts[] = [];
  const netflow = new Map<string, Event[]>();
  for (const e of events) {
    if (e.type !== 'connection' && e.type !== 'connection-refused') continue;
    if (!onPort(e)) continue;
    if (e.source.kind === 'zeek') {
      const f = zeekFlow(e);
      if (f === undefined) continue;
      out.push({
        facts: flowFacts(f, g.src),
        evidence: { kind: 'event', ref: ref(e), note: inert(e.message), sourceKind: 'zeek' },
        sourceKind: 'zeek',
      });
    } else if (
      e.source.kind === 'eve' &&
      (str(e, 'eventType') === 'flow' || str(e, 'eventType') === undefined)
    ) {
      out.push({
        facts: eveFacts(e, g),
        evidence: { kind: 'event', ref: ref(e), note: inert(e.message), sourceKind: 'eve' },
        sourceKind: 'eve',
      });
    } else if (e.source.kind === 'netflow') {
      const list = netflow.get(e.source.format) ?? [];
      list.push(e);
      netflow.set(e.source.format, list);
    }
  }
  const format = [...netflow.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))[0];
  if (format !== undefined) out.push(...netflowFacts(netflow.get(format)!, g));
  return out;
}

function rank(format: string): number {
  const i = NETFLOW_PREFERENCE.indexOf(format);
  return i < 0 ? NETFLOW_PREFERENCE.length : i;
}
