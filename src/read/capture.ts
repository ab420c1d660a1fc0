/**
 * Types and limits shared by the capture readers (pcap, pcapng). The readers
 * hand out one reused Frame per call, viewing into their chunk buffer.
 */
import type { Frame } from '../schema/packet.js';

/** A capture file read frame by frame with bounded memory. */
export interface CaptureReader {
  readonly file: string;
  readonly format: 'pcap' | 'pcapng';
  /** Next frame (the SAME reused Frame object each call) or undefined at end of input. */
  next(): Frame | undefined;
  /** Bytes consumed so far and total input size, for progress bars. */
  readonly bytesRead: number;
  readonly size: number;
  /** pcap: file-level nanosecond resolution; pcapng: false. */
  readonly nanosecond: boolean;
  /** Address → host name from pcapng Name Resolution Blocks (empty for pcap); bounded. */
  readonly names: Map<string, string>;
  close(): void;
}

/** Largest captured length accepted for one packet (libpcap's and Wireshark's limit). */
export const MAX_CAPLEN = 256 * 1024;
/** Largest original (wire) length that still looks like a packet; larger means a corrupt header. */
export const MAX_ORIGLEN = 64 * 1024 * 1024;
/** Largest pcapng block accepted; anything bigger is treated as a corrupt length. */
export const MAX_BLOCK = 32 * 1024 * 1024;
/** Most NRB entries kept in `names`; more are counted as a problem, not stored. */
export const MAX_NAMES = 100_000;

const EMPTY = new Uint8Array(0);

/** A fresh Frame with neutral values, to be reused by one reader. */
export function createFrame(): Frame {
  return {
    index: 0,
    offset: 0,
    tsSec: 0,
    tsNsec: 0,
    linkType: 0,
    interfaceId: 0,
    capLen: 0,
    origLen: 0,
    data: EMPTY,
  };
}
