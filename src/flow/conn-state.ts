/**
 * Zeek's conn_state summary of a connection, from the two endpoint states
 * (and, for TCP, the history and sizes), as Zeek's conn script derives it.
 */
import type { ConnState } from '../schema/flow.js';
import { IpProto } from '../schema/packet.js';
import { TcpState } from './tcp-endpoint.js';

/** Originator sent SYN (optionally after a flip) and then RST, with no SYN-ACK, ACK, FIN, gap, I or Q in between. */
const RSTOS0_HISTORY = /^\^?S[^HAFGIQ]*R.*$/;

/**
 * conn_state of a TCP connection.
 *
 * @example
 * tcpConnState(TcpState.SYN_SENT, TcpState.INACTIVE, 'S', 0, 0) // 'S0'
 */
export function tcpConnState(
  os: number,
  rs: number,
  history: string,
  origSize: number,
  respSize: number,
): ConnState {
  const oInactive = os === TcpState.INACTIVE || os === TcpState.PARTIAL;
  const rInactive = rs === TcpState.INACTIVE || rs === TcpState.PARTIAL;
  if (rs === TcpState.RESET) {
    if (
      os === TcpState.SYN_SENT ||
      os === TcpState.SYN_ACK_SENT ||
      (os === TcpState.RESET && origSize === 0 && respSize === 0)
    )
      return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === TcpState.RESET) {
    if (rInactive) return RSTOS0_HISTORY.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === TcpState.CLOSED && os === TcpState.CLOSED) return 'SF';
  if (os === TcpState.CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === TcpState.CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === TcpState.SYN_SENT && rs === TcpState.INACTIVE) return 'S0';
  if (os === TcpState.ESTABLISHED && rs === TcpState.ESTABLISHED) return 'S1';
  return 'OTH';
}

/** conn_state of a UDP flow: which sides sent anything. */
export function udpConnState(origActive: boolean, respActive: boolean): ConnState {
  if (origActive) return respActive ? 'SF' : 'S0';
  return respActive ? 'SHR' : 'OTH';
}

/** conn_state for any flow: TCP and UDP by their rules, everything else 'OTH'. */
export function connStateFor(
  ipProto: number,
  os: number,
  rs: number,
  history: string,
  origSize: number,
  respSize: number,
  origPkts: number,
  respPkts: number,
): ConnState {
  if (ipProto === IpProto.TCP) return tcpConnState(os, rs, history, origSize, respSize);
  if (ipProto === IpProto.UDP) return udpConnState(origPkts > 0, respPkts > 0);
  return 'OTH';
}
