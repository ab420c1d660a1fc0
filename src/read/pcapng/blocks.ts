/**
 * Parsers for the pcapng blocks that are read once per interface or section
 * (Interface Description, Name Resolution). They are not on the per-packet
 * path, so clarity wins over speed here. Offsets are into the reader's window.
 */
import { formatIPv4, formatIPv6 } from '../../util/ip.js';
import { MAX_NAMES } from '../capture.js';
import { MICROSECONDS, type TsResolution, tsResolution } from './timestamp.js';

export const BlockType = {
  SHB: 0x0a0d0d0a,
  IDB: 1,
  PB: 2,
  SPB: 3,
  NRB: 4,
  ISB: 5,
  EPB: 6,
  DSB: 0x0a,
} as const;

/** Block types that are valid but carry nothing Picket reads: skipped without a problem. */
export function isKnownSkippedBlock(type: number): boolean {
  // ISB, IRIG timestamp, AFDX info, systemd journal, decryption secrets, experimental 0x0B..0x0D,
  // custom blocks, and the range the spec reserves for local use (high bit set)
  return (
    (type >= 5 && type <= 0x0d && type !== BlockType.EPB) ||
    type === 0xbad ||
    type === 0x40000bad ||
    type >= 0x80000000
  );
}

export interface InterfaceInfo {
  linkType: number;
  snapLen: number;
  res: TsResolution;
  /** Seconds added to every timestamp (if_tsoffset). */
  tsOffset: number;
}

/** What went wrong inside a block that was still usable, for the reader to report. */
export interface BlockIssue {
  code: string;
  message: string;
}

/**
 * Reads an IDB body at `p` (block start) of length `len`; a malformed option
 * list keeps what was read and returns an issue.
 * @example parseInterface(view, p, len, true, issues).linkType // 1
 */
export function parseInterface(
  view: DataView,
  p: number,
  len: number,
  le: boolean,
  issues: BlockIssue[],
): InterfaceInfo {
  const info: InterfaceInfo = {
    linkType: view.getUint16(p + 8, le),
    snapLen: view.getUint32(p + 12, le),
    res: MICROSECONDS,
    tsOffset: 0,
  };
  const end = p + len - 4;
  let q = p + 16;
  while (q + 4 <= end) {
    const code = view.getUint16(q, le);
    const olen = view.getUint16(q + 2, le);
    if (code === 0) break;
    if (q + 4 + olen > end) {
      issues.push({
        code: 'pcapng.bad-option',
        message: `IDB option ${code} of ${olen} bytes runs past its block`,
      });
      break;
    }
    if (code === 9 && olen >= 1) info.res = tsResolution(view.getUint8(q + 4));
    else if (code === 14 && olen >= 8) {
      const a = le ? view.getInt32(q + 8, true) : view.getInt32(q + 4, false);
      const b = le ? view.getUint32(q + 4, true) : view.getUint32(q + 8, false);
      info.tsOffset = a * 4294967296 + b;
    }
    q += 4 + ((olen + 3) & ~3);
  }
  return info;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Adds the IPv4/IPv6 records of an NRB at `p` to `names` (address → first name),
 * keeping at most MAX_NAMES entries.
 */
export function parseNameRecords(
  buf: Uint8Array,
  view: DataView,
  p: number,
  len: number,
  le: boolean,
  names: Map<string, string>,
  issues: BlockIssue[],
): void {
  const end = p + len - 4;
  let q = p + 8;
  let dropped = 0;
  while (q + 4 <= end) {
    const type = view.getUint16(q, le);
    const rlen = view.getUint16(q + 2, le);
    if (type === 0) break;
    if (q + 4 + rlen > end) {
      issues.push({
        code: 'pcapng.bad-name-record',
        message: `name record of ${rlen} bytes runs past its block`,
      });
      break;
    }
    const addrLen = type === 1 ? 4 : type === 2 ? 16 : 0;
    if (addrLen > 0 && rlen > addrLen) {
      const value = buf.subarray(q + 4 + addrLen, q + 4 + rlen);
      const nul = value.indexOf(0);
      const name = utf8.decode(nul >= 0 ? value.subarray(0, nul) : value);
      const addr = addrLen === 4 ? formatIPv4(buf, q + 4) : formatIPv6(buf, q + 4);
      if (name && !names.has(addr)) {
        if (names.size < MAX_NAMES) names.set(addr, name);
        else dropped++;
      }
    }
    q += 4 + ((rlen + 3) & ~3);
  }
  if (dropped > 0) {
    issues.push({
      code: 'pcapng.names-dropped',
      message: `${dropped} names not kept: the name table is full (${MAX_NAMES})`,
    });
  }
}
