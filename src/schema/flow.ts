import { z } from 'zod';

/** Zeek's conn_state values (conn.log), with Zeek's meaning. */
export const ConnState = z.enum([
  'S0', // attempt seen, no reply
  'S1', // established, not terminated
  'SF', // normal establishment and termination
  'REJ', // attempt rejected
  'S2', // established, originator close attempt seen, no reply from responder
  'S3', // established, responder close attempt seen, no reply from originator
  'RSTO', // established, originator aborted (sent RST)
  'RSTR', // responder sent RST
  'RSTOS0', // originator sent SYN then RST, no SYN-ACK seen
  'RSTRH', // responder sent SYN-ACK then RST, no SYN seen from originator
  'SH', // originator sent SYN then FIN, no SYN-ACK seen (half-open)
  'SHR', // responder sent SYN-ACK then FIN, no SYN seen from originator
  'OTH', // no SYN seen, midstream traffic
]);
export type ConnState = z.infer<typeof ConnState>;

/**
 * One connection record, the fields an analyst knows from Zeek's conn.log.
 * `toZeekJson` in flow/ writes it with Zeek's dotted names.
 */
export const FlowRecord = z.object({
  /** First packet time, seconds since the epoch. */
  ts: z.number(),
  /** Deterministic id: the same input always gives the same uid. */
  uid: z.string(),
  origH: z.string(),
  origP: z.number().int(),
  respH: z.string(),
  respP: z.number().int(),
  proto: z.enum(['tcp', 'udp', 'icmp', 'unknown_transport']),
  /** Comma-separated application protocols recognised by content, '' when none. */
  service: z.string(),
  duration: z.number(),
  /** Payload bytes: TCP by sequence space as Zeek counts them, else summed payload. */
  origBytes: z.number().int(),
  respBytes: z.number().int(),
  connState: z.union([ConnState, z.literal('')]),
  missedBytes: z.number().int(),
  history: z.string(),
  origPkts: z.number().int(),
  origIpBytes: z.number().int(),
  respPkts: z.number().int(),
  respIpBytes: z.number().int(),
  ipProto: z.number().int(),
  /** Bytes on the wire including link headers (frame lengths), per direction; what tshark's conversations count. */
  origWireBytes: z.number().int(),
  respWireBytes: z.number().int(),
  /** TCP only: OR of the TCP flag bytes each side sent (not in Zeek's conn.log; what NetFlow keeps). */
  origFlags: z.number().int().optional(),
  respFlags: z.number().int().optional(),
  vlan: z.number().int().optional(),
  innerVlan: z.number().int().optional(),
  /** Community ID v1 flow hash, `1:base64`. */
  communityId: z.string(),
  /** Capture the flow came from, for per-session export. */
  source: z.string().optional(),
});
export type FlowRecord = z.infer<typeof FlowRecord>;
