/**
 * The text-log registry and the streaming file reader: sniff the first lines,
 * pick the reader that is surest, then parse line by line. Bad lines become
 * problems (file + line + reason); nothing is thrown for bad data.
 */
import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { ProblemLog } from '../schema/problem.js';
import { firewallReader } from './firewall/index.js';
import { eveReader, snort3JsonReader, snortFastReader } from './ids/index.js';
import { sshdReader } from './sshd/index.js';
import { syslogReader } from './syslog/index.js';
import {
  defaultLineContext,
  isProblem,
  type LineContext,
  type LogReader,
  type LogRecordBase,
} from './syslog/types.js';
import { weblogReader } from './weblog/index.js';
import { zeekReader } from './zeek/index.js';

/** Every text-log reader, most specific first. */
export const logReaders: readonly LogReader[] = [
  firewallReader,
  sshdReader,
  weblogReader,
  zeekReader,
  eveReader,
  snort3JsonReader,
  snortFastReader,
  syslogReader,
];

/** Longest line kept; longer lines are a problem and are skipped. */
export const maxLineLength = 64 * 1024;
const sniffLines = 20;
const chunkSize = 256 * 1024;

/** The reader with the highest sniff confidence (≥ 0.2), or undefined. */
export function pickReader(lines: readonly string[]): LogReader | undefined {
  let best: LogReader | undefined;
  let bestScore = 0.2;
  for (const r of logReaders) {
    const s = r.sniff(lines);
    if (s > bestScore) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}

export interface ReadLogOptions extends Partial<Omit<LineContext, 'line' | 'file'>> {
  /** Use this reader instead of sniffing. */
  reader?: LogReader;
  /** Awaited after each chunk: lets a consumer write what it collected, with back-pressure. */
  afterChunk?: (bytesRead: number, size: number) => Promise<void>;
}

export interface ReadLogSummary {
  reader?: string;
  lines: number;
  records: number;
  problems: number;
}

/**
 * Streams a text log: sniffs, then calls `onRecord` for every parsed line.
 * Invalid UTF-8 is decoded with U+FFFD; lines over 64 KiB are problems.
 * The year of yearless timestamps comes from `referenceTime` (default: the file's mtime).
 *
 * @example
 * const problems = createProblemLog();
 * await readLogFile('auth.log', problems, (rec, reader, ctx) => events.push(normalize(rec, ctx)));
 */
export async function readLogFile(
  path: string,
  problems: ProblemLog,
  onRecord: (record: LogRecordBase, reader: LogReader, ctx: LineContext) => void,
  options: ReadLogOptions = {},
): Promise<ReadLogSummary> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const { reader: forced, afterChunk, ...over } = options;
    const ctx = defaultLineContext({
      referenceTime: st.mtimeMs / 1000,
      ...over,
      file: path,
      fileState: new Map(),
    });
    const summary: ReadLogSummary = { lines: 0, records: 0, problems: 0 };
    const decode = createChunkDecoder();
    const buf = Buffer.allocUnsafe(chunkSize);
    let reader = forced;
    const pending: Array<[string, boolean]> = [];
    let carry = '';
    let skipping = false; // inside an over-long line
    let lineNo = 0;
    const handle = (line: string, tooLong: boolean) => {
      lineNo++;
      summary.lines++;
      ctx.line = lineNo;
      if (tooLong) {
        problems.add({
          stage: 'read',
          code: 'log.line-too-long',
          message: `line longer than ${maxLineLength} bytes; skipped`,
          file: path,
          line: lineNo,
        });
        summary.problems++;
        return;
      }
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      const r = reader!.parseLine(line, ctx);
      if (r === null) return;
      if (isProblem(r)) {
        problems.add(r);
        summary.problems++;
        return;
      }
      summary.records++;
      onRecord(r, reader!, ctx);
    };
    const feed = (line: string, tooLong: boolean) => {
      if (reader) return handle(line, tooLong);
      pending.push([tooLong ? '' : line, tooLong]);
      if (pending.length >= sniffLines) flushPending();
    };
    const flushPending = () => {
      reader = pickReader(pending.filter((p) => p[0] !== '').map((p) => p[0])) ?? syslogReader;
      for (const [l, long] of pending.splice(0)) handle(l, long);
    };
    let consumed = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkSize, null);
      if (bytesRead === 0) break;
      consumed += bytesRead;
      const text = carry + decode(buf, bytesRead);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (skipping) skipping = false;
        else {
          const line = text.slice(start, nl);
          feed(line, line.length > maxLineLength);
        }
        start = nl + 1;
      }
      carry = text.slice(start);
      if (carry.length > maxLineLength) {
        // Report the long line once, then drop its bytes until the next newline.
        if (!skipping) feed('', true);
        skipping = true;
        carry = '';
      }
      if (afterChunk) await afterChunk(consumed, st.size);
    }
    carry += decode(buf, 0, true);
    if (carry !== '' && !skipping) feed(carry, carry.length > maxLineLength);
    if (!reader) flushPending();
    summary.reader = reader?.name;
    return summary;
  } finally {
    await fh.close();
  }
}

/**
 * Streaming UTF-8 text of a file's chunks, invalid bytes as U+FFFD and a
 * leading BOM dropped, as one TextDecoder over the whole stream gives it.
 * All-ASCII chunks (the usual log) skip the decoder: their bytes are their
 * characters, and a sequence the decoder still holds ends there, so it is
 * flushed first (its U+FFFD is what the next ASCII byte would have produced).
 */
function createChunkDecoder(): (buf: Buffer, n: number, end?: boolean) => string {
  // The BOM is handled here, on the first text out, so flushing mid-stream cannot drop a later one.
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let holding = false; // the decoder may hold the first bytes of a sequence
  let started = false;
  return (buf, n, end = false) => {
    let text: string;
    if (end) text = holding ? decoder.decode() : '';
    else if (isAscii(buf.subarray(0, n))) {
      text = holding ? decoder.decode() + buf.toString('latin1', 0, n) : buf.toString('latin1', 0, n);
      holding = false;
    } else {
      text = decoder.decode(buf.subarray(0, n), { stream: true });
      holding = true;
    }
    if (!started && text !== '') {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
}
