/**
 * One decoded NetFlow v5 / v9 / IPFIX record. The common flow fields are
 * properties; every other element is kept in `fields` by its IANA name
 * (`<enterprise>:<id>` for enterprise-specific elements), so nothing decoded is lost.
 */

export type FieldValue = number | string;

export interface NetflowRecord {
  /** 'flow' for data records, 'options' for options data (sampler, interface names, exporter stats). */
  kind: 'flow' | 'options';
  /** Export version; 0 for records read from a flow log (nfdump CSV). */
  version: 0 | 5 | 9 | 10;
  /** The exporter as 'ip:port'. */
  exporter: string;
  /** v9 source id / IPFIX observation domain id; v5: engine type << 8 | engine id. */
  domain: number;
  /** Template that described the record (0 for v5). */
  templateId: number;
  /** Header sequence number. */
  sequence: number;
  /** Header export time, unix seconds (v5 with its nanoseconds). */
  exportTime: number;
  /** When the datagram was received (collector clock, or the capture's timestamp). */
  recvTs: number;
  /** Byte offset of the record in its datagram. */
  offset: number;
  /** Absolute flow start / end, unix seconds (fractional); undefined when the record does not say. */
  start?: number;
  end?: number;
  srcAddr?: string;
  dstAddr?: string;
  srcPort?: number;
  dstPort?: number;
  proto?: number;
  tcpFlags?: number;
  /** Counts as exported (not multiplied by sampling; see samplingInterval). */
  packets?: number;
  bytes?: number;
  inputIf?: number;
  outputIf?: number;
  /** Interface names learned from options data, when the exporter sent them. */
  inputIfName?: string;
  outputIfName?: string;
  nextHop?: string;
  srcAs?: number;
  dstAs?: number;
  srcMask?: number;
  dstMask?: number;
  tos?: number;
  /** 0 ingress, 1 egress (flowDirection). */
  direction?: number;
  /**
   * 1-in-N packet sampling that applied to this record (from the record, the
   * v5 header or the exporter's options data). Noted, not applied: multiply
   * packets/bytes by it for an estimate of the real traffic.
   */
  samplingInterval?: number;
  /** Elements not modelled above, by name. With `allFields`, every element. */
  fields: Record<string, FieldValue>;
}

/** Counters a session keeps; problems carry the details. */
export interface NetflowStats {
  datagrams: number;
  records: number;
  optionsRecords: number;
  templates: number;
  /** A template id re-sent with another layout (the newer wins). */
  templatesRedefined: number;
  templatesWithdrawn: number;
  templatesExpired: number;
  /** Data sets held because their template had not arrived yet. */
  pendingHeld: number;
  /** Held data sets decoded once their template came. */
  pendingDecoded: number;
  /** Held data sets dropped (too old, too many, session closed). */
  pendingDropped: number;
}

export function emptyStats(): NetflowStats {
  return {
    datagrams: 0,
    records: 0,
    optionsRecords: 0,
    templates: 0,
    templatesRedefined: 0,
    templatesWithdrawn: 0,
    templatesExpired: 0,
    pendingHeld: 0,
    pendingDecoded: 0,
    pendingDropped: 0,
  };
}
