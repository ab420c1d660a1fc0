/**
 * NetFlow v5 / v9 / IPFIX: the session decoder (one datagram at a time, ready
 * for the live UDP collector), file readers (captures of export traffic, raw
 * .dat payloads, nfdump CSV) and the information-element table.
 */
export { elementName, IeType, informationElements } from './elements.js';
export {
  type CaptureOptions,
  type CaptureSummary,
  readNetflowCapture,
  readNetflowDatFiles,
} from './files.js';
export { type NfdumpCsvOptions, parseNfdumpCsv, parseNfdumpFlags } from './nfdump-csv.js';
export type { FieldValue, NetflowRecord, NetflowStats } from './record.js';
export {
  createNetflowSession,
  type DatagramOrigin,
  type NetflowSession,
  type NetflowSessionOptions,
} from './session.js';
export { extractUdp, type UdpDatagram } from './udp-payload.js';
