/**
 * Zeek's connection history string: letters are added once per kind and
 * direction (a bit per kind in `histSeen`), or logarithmically for counted
 * events (the 1st, 10th, 100th ... occurrence).
 */

/** What the analyzers need from a connection to record history and timing. */
export interface ConnCore {
  history: string;
  histSeen: number;
  /** Packet time of the last activity Zeek counts toward the duration. */
  lastTs: number;
  missedBytes: number;
  /** TCP: the handshake is over, so the long TCP inactivity timeout applies. */
  handshakeDone: boolean;
  /** TCP: packet time of the originator's first SYN (attempt timer), -1 when none. */
  attemptTs: number;
  /** TCP: packet time at which the close completed (delete timer), -1 while open. */
  closedTs: number;
  /** Zeek's FlipRoles: swap originator and responder; adds '^'. */
  flip(): void;
}

/** History bit masks for the originator; the responder's are shifted left by 16. */
export const Hist = {
  SYN: 0x1,
  FIN: 0x2,
  RST: 0x4,
  FIN_RST: 0x8,
  DATA: 0x10,
  ACK: 0x20,
  MULTI_FLAG: 0x40,
} as const;

/**
 * Adds `code` (upper case; lower-cased for the responder) the first time this
 * kind is seen in this direction. Returns true when it had been seen before.
 */
export function checkHistory(c: ConnCore, isOrig: boolean, mask: number, code: string): boolean {
  const m = isOrig ? mask : mask << 16;
  if ((c.histSeen & m) === 0) {
    c.histSeen |= m;
    c.history += isOrig ? code : code.toLowerCase();
    return false;
  }
  return true;
}

/** Adds `code` unconditionally (cased by direction). */
export function addHistory(c: ConnCore, isOrig: boolean, code: string): void {
  c.history += isOrig ? code : code.toLowerCase();
}

/**
 * Zeek's scaled history entry: adds `code` when `count` reaches the threshold,
 * then multiplies the threshold by 10. Returns the new threshold.
 */
export function scaledHistory(
  c: ConnCore,
  isOrig: boolean,
  code: string,
  count: number,
  threshold: number,
): number {
  if (count !== threshold) return threshold;
  addHistory(c, isOrig, code);
  const next = threshold * 10;
  return next > 0xffffffff ? threshold : next;
}
