/**
 * Capture readers: recognise a capture by its first bytes and open the right
 * streaming reader (pcap or pcapng). Unusable input is a Problem, not a throw.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ProblemLog } from '../schema/problem.js';
import { ByteSource, DEFAULT_CHUNK } from './byte-source.js';
import { type CaptureReader, MAX_BLOCK, MAX_CAPLEN } from './capture.js';
import { pcapMagic } from './pcap/header.js';
import { PcapReader } from './pcap/reader.js';
import { PcapngReader } from './pcapng/reader.js';

export type { CaptureReader } from './capture.js';

/** A pcap window never needs more than two records and their headers at once (resync looks one ahead). */
const PCAP_MAX_WINDOW = 2 * (MAX_CAPLEN + 64);
/** pcapng resync may look at a maximal block from any byte; twice that keeps the scan linear. */
const PCAPNG_MAX_WINDOW = 2 * MAX_BLOCK + 65536;

/**
 * Recognises a capture by its first bytes (content, never the file name).
 * @example sniffCapture(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1])) // 'pcap'
 */
export function sniffCapture(head: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (pcapMagic(head)) return 'pcap';
  if (head.length >= 4 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a) {
    if (head.length < 12) return 'pcapng';
    const bom = ((head[8]! << 24) | (head[9]! << 16) | (head[10]! << 8) | head[11]!) >>> 0;
    if (bom === 0x1a2b3c4d || bom === 0x4d3c2b1a) return 'pcapng';
  }
  return undefined;
}

/**
 * Opens a capture file; on an unusable file (not a capture, unreadable, empty)
 * adds a Problem and returns undefined.
 * @example
 * const r = openCapture('scan.pcap', log);
 * for (let f = r?.next(); f; f = r!.next()) count++;
 * r?.close();
 */
export function openCapture(
  path: string,
  problems: ProblemLog,
  opts?: { chunkSize?: number },
): CaptureReader | undefined {
  let fd: number;
  let size: number;
  const head = new Uint8Array(12);
  let headLen: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    problems.add(unreadable(path, err));
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
    headLen = readSync(fd, head, 0, head.length, 0);
  } catch (err) {
    closeSync(fd);
    problems.add(unreadable(path, err));
    return undefined;
  }
  const format = detect(head.subarray(0, headLen), path, problems);
  if (!format) {
    closeSync(fd);
    return undefined;
  }
  const chunk = Math.max(1, opts?.chunkSize ?? DEFAULT_CHUNK);
  const maxWindow = Math.max(chunk, format === 'pcap' ? PCAP_MAX_WINDOW : PCAPNG_MAX_WINDOW);
  const src = new ByteSource(fd, undefined, size, chunk, maxWindow);
  const reader =
    format === 'pcap' ? PcapReader.open(path, src, problems) : PcapngReader.open(path, src, problems);
  if (!reader) src.close();
  return reader;
}

/**
 * The same over bytes already in memory (tests, fuzzing); `name` labels problems.
 * @example captureFromBytes(readFileSync('a.pcap'), 'a.pcap', log)?.next()?.capLen
 */
export function captureFromBytes(
  bytes: Uint8Array,
  name: string,
  problems: ProblemLog,
): CaptureReader | undefined {
  const format = detect(bytes.subarray(0, 12), name, problems);
  if (!format) return undefined;
  const src = new ByteSource(-1, bytes, bytes.length, 0, bytes.length);
  return format === 'pcap' ? PcapReader.open(name, src, problems) : PcapngReader.open(name, src, problems);
}

function detect(head: Uint8Array, file: string, problems: ProblemLog): 'pcap' | 'pcapng' | undefined {
  if (head.length === 0) {
    problems.add({ stage: 'read', code: 'capture.empty', message: 'the file is empty', file, offset: 0 });
    return undefined;
  }
  const format = sniffCapture(head);
  if (!format) {
    problems.add({
      stage: 'read',
      code: 'capture.unknown-format',
      message: 'not a pcap or pcapng capture (unrecognised first bytes)',
      file,
      offset: 0,
    });
  }
  return format;
}

function unreadable(file: string, err: unknown) {
  return {
    stage: 'read' as const,
    code: 'capture.unreadable',
    message: `cannot read the file: ${(err as Error).message}`,
    file,
  };
}
