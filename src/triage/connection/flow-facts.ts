/**
 * What one connection record says about step 1: did the connection form,
 * did payload pass both ways, and how much passed each way, seen from the
 * attacking side (client) and the target (server). The rules are in
 * docs/triage.md, "Connection"; in short we read TCP flags and payload
 * bytes, never a bare packet count, because a count alone cannot tell a
 * half-open scan (3 packets) from a connect scan (4–5) or a tiny request.
 */
import type { TriState } from '../../schema/alarm.js';
import type { FlowRecord } from '../../schema/flow.js';

/** One connection as step 1 needs it, oriented client → server. */
export interface FlowFacts {
  established: TriState;
  dataExchanged: TriState;
  /** The server sent anything back at all. */
  answered: TriState;
  packetsToServer: number;
  packetsToClient: number;
  /** IP-layer bytes (headers included), as NetFlow counts them. */
  bytesToServer: number;
  bytesToClient: number;
  /** Short plain reason: "handshake completed, payload both ways (74 B / 317 B)". */
  note: string;
}

/** Zeek conn_state values that mean the three-way handshake completed. */
const ESTABLISHED_STATES = new Set(['S1', 'S2', 'S3', 'SF', 'RSTO', 'RSTR']);
/** States where the originator's attempt never completed a handshake. */
const ATTEMPT_STATES = new Set(['S0', 'REJ', 'RSTOS0', 'SH']);

/** True when the record's originator is the attacking client. */
export function clientIsOriginator(f: FlowRecord, client: string, clientPort?: number): boolean {
  if (f.origH !== f.respH) return f.origH === client;
  // Same address both sides (loopback): the client is the side with the alert's source port.
  return clientPort === undefined || f.origP === clientPort || f.respP !== clientPort;
}

/** Zeek history letters: upper case from the originator, lower case from the responder. */
function sent(history: string, letter: string, byOriginator: boolean): boolean {
  return history.includes(byOriginator ? letter.toUpperCase() : letter.toLowerCase());
}

/**
 * Reads one flow record. `icmpRefused` says an ICMP unreachable came back
 * for a UDP flow (the flow table keeps ICMP errors as their own flows).
 *
 * @example
 * flowFacts(f, '10.99.1.68').established // 'yes' for an SF flow
 */
export function flowFacts(
  f: FlowRecord,
  client: string,
  opts: { clientPort?: number; icmpRefused?: boolean } = {},
): FlowFacts {
  const fromClient = clientIsOriginator(f, client, opts.clientPort);
  const c = fromClient
    ? { pkts: f.origPkts, ip: f.origIpBytes, payload: f.origBytes }
    : { pkts: f.respPkts, ip: f.respIpBytes, payload: f.respBytes };
  const s = fromClient
    ? { pkts: f.respPkts, ip: f.respIpBytes, payload: f.respBytes }
    : { pkts: f.origPkts, ip: f.origIpBytes, payload: f.origBytes };
  const counts = {
    packetsToServer: c.pkts,
    packetsToClient: s.pkts,
    bytesToServer: c.ip,
    bytesToClient: s.ip,
  };
  const answered: TriState = s.pkts > 0 ? 'yes' : 'no';
  if (f.proto === 'tcp') {
    // No packet back at all: whatever the flags, nothing was established.
    if (s.pkts === 0)
      return {
        ...counts,
        answered,
        established: 'no',
        dataExchanged: 'no',
        note: `${f.connState || 'no state'}: nothing came back from the server`,
      };
    return { ...counts, answered, ...tcpFacts(f, fromClient, c.payload, s.payload) };
  }
  if (f.proto === 'udp') {
    if (s.pkts > 0) {
      const both = c.payload > 0 && s.payload > 0;
      return {
        ...counts,
        answered,
        established: 'yes',
        dataExchanged: both ? 'yes' : 'no',
        note: `UDP answered from the server's port (${s.pkts} datagram${s.pkts === 1 ? '' : 's'} back)`,
      };
    }
    if (opts.icmpRefused)
      return {
        ...counts,
        answered: 'yes',
        established: 'no',
        dataExchanged: 'no',
        note: 'UDP refused: the target answered ICMP unreachable',
      };
    return {
      ...counts,
      answered,
      established: 'unknown',
      dataExchanged: 'no',
      note: 'UDP with no reply: delivered or dropped, the capture cannot tell',
    };
  }
  if (f.proto === 'icmp') {
    return {
      ...counts,
      answered,
      established: s.pkts > 0 ? 'yes' : 'no',
      dataExchanged: c.payload > 0 && s.payload > 0 ? 'yes' : 'no',
      note: s.pkts > 0 ? 'ICMP answered' : 'ICMP not answered',
    };
  }
  return {
    ...counts,
    answered,
    established: 'unknown',
    dataExchanged: 'unknown',
    note: 'not TCP, UDP or ICMP',
  };
}

function tcpFacts(
  f: FlowRecord,
  fromClient: boolean,
  clientPayload: number,
  serverPayload: number,
): Pick<FlowFacts, 'established' | 'dataExchanged' | 'note'> {
  const h = f.history.replace('^', '');
  const state = f.connState || 'no state';
  const payload = `${clientPayload} B to the server, ${serverPayload} B back`;
  const gaps = f.missedBytes > 0;
  if (h === '') return tcpFactsByState(f, clientPayload, serverPayload);
  // The history letters are the originator's in upper case; flip them when the server originated the record.
  const clientSent = (l: string) => sent(h, l, fromClient);
  const serverSent = (l: string) => sent(h, l, !fromClient);
  const bothData = (clientPayload > 0 || clientSent('d')) && (serverPayload > 0 || serverSent('d'));
  const handshake = clientSent('s') && serverSent('h') && (clientSent('a') || clientSent('d'));
  if (handshake)
    return {
      established: 'yes',
      dataExchanged: bothData ? 'yes' : gaps ? 'unknown' : 'no',
      note: `${state}: handshake completed, ${bothData ? 'payload both ways' : 'no payload both ways'} (${payload})`,
    };
  if (clientSent('d') && serverSent('d'))
    return {
      established: 'yes',
      dataExchanged: 'yes',
      note: `${state}: handshake not seen, payload both ways (${payload})`,
    };
  if (clientSent('s')) {
    const why = serverSent('h')
      ? 'the port answered SYN-ACK but the client never completed the handshake'
      : serverSent('r')
        ? 'refused with RST'
        : 'no answer';
    return { established: 'no', dataExchanged: 'no', note: `${state}: handshake never completed (${why})` };
  }
  // No SYN: NULL/FIN/Xmas probes, or a capture that began mid-connection.
  const serverLetters = [...h].filter((l) => /[a-z]/i.test(l) && (l === l.toLowerCase()) === fromClient);
  if (serverLetters.every((l) => l.toLowerCase() === 'r'))
    return {
      established: 'no',
      dataExchanged: 'no',
      note: `${state}: a probe without SYN, ${serverLetters.length > 0 ? 'answered only with RST' : 'not answered'}`,
    };
  return {
    established: 'unknown',
    dataExchanged: 'unknown',
    note: `${state}: partial record (history ${h})`,
  };
}

/** Records without a history (some Zeek logs): Zeek's conn_state alone. */
function tcpFactsByState(
  f: FlowRecord,
  clientPayload: number,
  serverPayload: number,
): Pick<FlowFacts, 'established' | 'dataExchanged' | 'note'> {
  if (ESTABLISHED_STATES.has(f.connState)) {
    const both = clientPayload > 0 && serverPayload > 0;
    return {
      established: 'yes',
      dataExchanged: both ? 'yes' : f.missedBytes > 0 ? 'unknown' : 'no',
      note: `${f.connState}: established by Zeek's state, ${both ? 'payload both ways' : 'no payload both ways'}`,
    };
  }
  if (ATTEMPT_STATES.has(f.connState))
    return { established: 'no', dataExchanged: 'no', note: `${f.connState}: handshake never completed` };
  return {
    established: 'unknown',
    dataExchanged: 'unknown',
    note: `${f.connState || 'no state'}: partial record`,
  };
}
