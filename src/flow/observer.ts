/**
 * How application-layer analysis rides along each connection: the flow table
 * asks `observe(proto)` once per new connection and feeds the observer every
 * packet with its direction.
 */
import type { FlowRecord } from '../schema/flow.js';
import type { DecodedPacket } from '../schema/packet.js';

export interface FlowObserver {
  /** Called for every packet of the connection after direction is known; fromOrig = sent by the originator. Copy what you keep. */
  packet(p: DecodedPacket, fromOrig: boolean): void;
  /** Application protocols recognised by content so far, e.g. ['http'] → FlowRecord.service 'http'. */
  services(): string[];
  /** The connection ended (closed, timed out, evicted or end of input); the final record is given. */
  end(flow: FlowRecord): void;
}
