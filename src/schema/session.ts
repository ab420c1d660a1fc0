import { z } from 'zod';

/** One HTTP/1.x request and its response as reassembled from a TCP stream. */
export const HttpTransaction = z.object({
  ts: z.number(),
  /** uid of the flow (FlowRecord.uid) the transaction belongs to. */
  uid: z.string(),
  origH: z.string(),
  origP: z.number().int(),
  respH: z.string(),
  respP: z.number().int(),
  /** 0-based position of the transaction within its connection. */
  transDepth: z.number().int(),
  method: z.string(),
  uri: z.string(),
  version: z.string(),
  host: z.string(),
  userAgent: z.string(),
  /** Request headers in order, names as sent. Values are attacker data: never evaluate. */
  requestHeaders: z.array(z.tuple([z.string(), z.string()])),
  requestBodyLen: z.number().int(),
  /** Up to the first N bytes of the request body, latin1-decoded. */
  requestBodyPrefix: z.string(),
  /** -1 when no response was seen. */
  statusCode: z.number().int(),
  statusMsg: z.string(),
  responseHeaders: z.array(z.tuple([z.string(), z.string()])),
  responseBodyLen: z.number().int(),
  responseBodyPrefix: z.string(),
  responseContentType: z.string(),
  server: z.string(),
});
export type HttpTransaction = z.infer<typeof HttpTransaction>;

/** SSH version banners seen on a TCP connection. */
export const SshBanner = z.object({
  ts: z.number(),
  uid: z.string(),
  origH: z.string(),
  origP: z.number().int(),
  respH: z.string(),
  respP: z.number().int(),
  /** e.g. `SSH-2.0-libssh_0.9.6`; '' when the side sent none. */
  client: z.string(),
  server: z.string(),
});
export type SshBanner = z.infer<typeof SshBanner>;

/** Reassembly counters for one direction or a whole run. */
export interface ReassemblyStats {
  segments: number;
  outOfOrder: number;
  retransmissions: number;
  overlaps: number;
  /** Overlaps whose bytes differed from what was already received (possible evasion). */
  inconsistentOverlaps: number;
  gaps: number;
  gapBytes: number;
  /** Bytes discarded because a stream exceeded its buffer bound. */
  truncatedBytes: number;
}
