/**
 * nfdump's binary flow files (what nfcapd, nfpcapd and `nfdump -w` write),
 * read without nfdump. Layout 2 (nfdump 1.7): a 40-byte file header, data
 * blocks (a 12-byte header, then records, each block compressed on its own),
 * then appendix blocks (ident, statistics) that we do not need. One block is
 * in memory at a time. Uncompressed, LZO, BZ2 and LZ4 blocks are read (our
 * own decompressors: Node 20 has none of the three); ZSTD blocks (nfdump
 * 1.7.2+; Node 20 has no zstd) and layout 1 files (nfdump 1.6) are problems,
 * counted, and the rest of the file is still read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Problem } from '../../schema/problem.js';
import { bz2DecompressBlock } from './nfcapd-bz2.js';
import { lz4DecompressBlock } from './nfcapd-lz4.js';
import { lzoDecompressBlock } from './nfcapd-lzo.js';
import { decodeNfcapdBlock, type NfcapdBlockState, type NfcapdExporter } from './nfcapd-records.js';
import type { NetflowRecord } from './record.js';

export const NFCAPD_HEADER_BYTES = 40;
const BLOCK_HEADER_BYTES = 12;
/** nfdump's own buffers are 5 MB; a block claiming more is not one nfdump wrote. */
export const NFCAPD_MAX_BLOCK_BYTES = 8 << 20;

const compressionNames = ['none', 'LZO', 'BZ2', 'LZ4', 'ZSTD'] as const;

export interface NfcapdReadOptions {
  file?: string;
  onRecord: (r: NetflowRecord) => void;
  onProblem: (p: Problem) => void;
  /** Awaited after each block (e.g. to flush a store batch). */
  afterBlock?: (bytesRead: number, size: number) => Promise<void> | void;
  /** Largest block accepted, compressed or not (default 8 MiB). */
  maxBlockBytes?: number;
}

export interface NfcapdSummary {
  /** 2 for a readable file (nfdump 1.7's layout); undefined when the header was unusable. */
  layout?: 2;
  compression?: (typeof compressionNames)[number] | `unknown ${number}`;
  /** Header fields, as nfdump wrote them. */
  created?: number;
  nfdumpVersion?: string;
  blocks: number;
  /** Blocks not read: compressed in a way we cannot decompress, or broken. */
  blocksSkipped: number;
  /** Records those skipped blocks said they held. */
  recordsSkipped: number;
  records: number;
  exporters: NfcapdExporter[];
}

/** Where the bytes come from: a file descriptor or a buffer (tests). */
type ReadAt = (buf: Uint8Array, len: number, pos: number) => number;

/**
 * Reads an nfcapd file block by block; flows go to `onRecord`, problems
 * (file + byte offset of the bad block + reason) to `onProblem`.
 *
 * @example const s = await readNfcapdFile('nfcapd.202611231110', { onRecord: (r) => rows.push(r), onProblem: (p) => log.add(p) })
 */
export async function readNfcapdFile(path: string, opts: NfcapdReadOptions): Promise<NfcapdSummary> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return await readNfcapd((buf, len, pos) => readSync(fd, buf, 0, len, pos), size, { file: path, ...opts });
  } finally {
    closeSync(fd);
  }
}

/**
 * The same over bytes in memory (a file read whole, or a test's bytes).
 * @example await readNfcapdBytes(readFileSync(f), { onRecord, onProblem })
 */
export function readNfcapdBytes(bytes: Uint8Array, opts: NfcapdReadOptions): Promise<NfcapdSummary> {
  const readAt: ReadAt = (buf, len, pos) => {
    const n = Math.max(0, Math.min(len, bytes.length - pos));
    buf.set(bytes.subarray(pos, pos + n), 0);
    return n;
  };
  return readNfcapd(readAt, bytes.length, opts);
}

/** True when the first bytes are an nfdump file header (layout 1 or 2, little-endian). */
export function isNfcapdHeader(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x0c &&
    head[1] === 0xa5 &&
    (head[2] === 1 || head[2] === 2) &&
    head[3] === 0
  );
}

async function readNfcapd(readAt: ReadAt, size: number, opts: NfcapdReadOptions): Promise<NfcapdSummary> {
  const summary: NfcapdSummary = {
    blocks: 0,
    blocksSkipped: 0,
    recordsSkipped: 0,
    records: 0,
    exporters: [],
  };
  const fail = (code: string, message: string, offset: number) => {
    const p: Problem = { stage: 'read', code, message, offset };
    if (opts.file !== undefined) p.file = opts.file;
    opts.onProblem(p);
  };
  const head = new Uint8Array(NFCAPD_HEADER_BYTES);
  const got = readAt(head, NFCAPD_HEADER_BYTES, 0);
  if (got < 4 || !isNfcapdHeader(head)) {
    fail('netflow.nfcapd-header', 'not an nfdump file (magic 0xA50C, little-endian) or too short', 0);
    return summary;
  }
  const hv = new DataView(head.buffer);
  if (hv.getUint16(2, true) === 1) {
    fail(
      'netflow.nfcapd-version',
      'an nfdump 1.6 file (layout 1): Picket reads layout 2 (nfdump 1.7); convert it with nfdump 1.7 (`nfdump -r FILE -w NEW`) or read `nfdump -o csv` output',
      0,
    );
    return summary;
  }
  if (got < NFCAPD_HEADER_BYTES) {
    fail('netflow.nfcapd-header', `the file header is cut short (${got} of 40 bytes)`, 0);
    return summary;
  }
  const compression = head[16]!;
  summary.layout = 2;
  summary.compression = compressionNames[compression] ?? `unknown ${compression}`;
  summary.created = Number(hv.getBigUint64(8, true));
  const v = hv.getUint32(4, true);
  summary.nfdumpVersion = `${(v >>> 24) & 0x0f}.${(v >>> 16) & 255}.${(v >>> 8) & 255}`;
  if (head[17] !== 0) {
    fail('netflow.nfcapd-header', `the file is encrypted (type ${head[17]}); Picket cannot read it`, 0);
    return summary;
  }
  // Data blocks end where the appendix starts (or at the end of the file when none is recorded).
  const appendix = Number(hv.getBigUint64(24, true));
  const dataEnd = appendix >= NFCAPD_HEADER_BYTES && appendix <= size ? appendix : size;
  if (appendix > size)
    fail(
      'netflow.nfcapd-truncated',
      `the file is cut short: its appendix should start at byte ${appendix} but the file has ${size} bytes; whole blocks are read`,
      size,
    );
  const maxBlock = opts.maxBlockBytes ?? NFCAPD_MAX_BLOCK_BYTES;

  const state: NfcapdBlockState = {
    blockOffset: 0,
    exporters: new Map(),
    records: 0,
    onRecord: opts.onRecord,
    onProblem: opts.onProblem,
  };
  if (opts.file !== undefined) state.file = opts.file;
  const blockHead = new Uint8Array(BLOCK_HEADER_BYTES);
  const bh = new DataView(blockHead.buffer);
  let raw = new Uint8Array(64 * 1024);
  let out: Uint8Array | undefined;
  let pos = NFCAPD_HEADER_BYTES;
  while (pos < dataEnd) {
    if (readAt(blockHead, BLOCK_HEADER_BYTES, pos) < BLOCK_HEADER_BYTES) {
      fail('netflow.nfcapd-block', 'a block header cut short at the end of the file', pos);
      break;
    }
    const numRecords = bh.getUint32(0, true);
    const blockSize = bh.getUint32(4, true);
    const type = bh.getUint16(8, true);
    const flags = bh.getUint16(10, true);
    if (blockSize > maxBlock || pos + BLOCK_HEADER_BYTES + blockSize > dataEnd) {
      // The size cannot be trusted, so neither can the next block's position: stop here.
      fail(
        'netflow.nfcapd-block',
        `a block says it is ${blockSize} bytes, but ${blockSize > maxBlock ? `blocks are at most ${maxBlock}` : `the data blocks have ${dataEnd - pos - BLOCK_HEADER_BYTES} bytes left`}; the rest of the file is not read`,
        pos,
      );
      summary.blocksSkipped++;
      summary.recordsSkipped += numRecords;
      break;
    }
    summary.blocks++;
    const next = pos + BLOCK_HEADER_BYTES + blockSize;
    if (type !== 3) {
      fail('netflow.nfcapd-block', `a block of type ${type} (flow records come in type 3); skipped`, pos);
      summary.blocksSkipped++;
      summary.recordsSkipped += numRecords;
      pos = next;
      continue;
    }
    if (raw.length < blockSize) raw = new Uint8Array(Math.min(maxBlock, Math.max(blockSize, raw.length * 2)));
    const payload = raw.subarray(0, blockSize);
    readAt(payload, blockSize, pos + BLOCK_HEADER_BYTES);
    let data: Uint8Array = payload;
    const compressed = compression !== 0 && (flags & 1) === 0;
    if (compressed) {
      out ??= new Uint8Array(maxBlock);
      const n =
        compression === 1
          ? lzoDecompressBlock(payload, out)
          : compression === 2
            ? bz2DecompressBlock(payload, out)
            : compression === 3
              ? lz4DecompressBlock(payload, out)
              : -2;
      if (n < 0) {
        fail(
          'netflow.nfcapd-compression',
          n === -2
            ? `a ${summary.compression}-compressed block: Picket decompresses LZO, BZ2 and LZ4 only (Node 20 has no zstd); its ${numRecords} records are skipped (re-write the file with \`nfdump -r FILE -y -w NEW\`)`
            : `a ${summary.compression}-compressed block that does not decompress (corrupt or cut); its ${numRecords} records are skipped`,
          pos,
        );
        summary.blocksSkipped++;
        summary.recordsSkipped += numRecords;
        pos = next;
        continue;
      }
      data = out.subarray(0, n);
    }
    state.blockOffset = pos;
    summary.records += decodeNfcapdBlock(data, state);
    pos = next;
    await opts.afterBlock?.(pos, size);
  }
  summary.exporters = [...state.exporters.values()];
  return summary;
}
