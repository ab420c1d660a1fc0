/**
 * Shapes shared by the text-log readers: the per-line context, the reader
 * descriptor and the base every raw record carries.
 */
import type { Problem } from '../../schema/problem.js';

/** What a reader needs to know about the line it parses. */
export interface LineContext {
  /** File name (or stream name) for problems and uids. */
  file?: string;
  /** 1-based line number. */
  line: number;
  /** Seconds since the epoch: timestamps without a year take the year that puts them at or before this. */
  referenceTime: number;
  /** Offset of zoneless timestamps from UTC, seconds east (0 = UTC). */
  tzOffsetSeconds: number;
  /** Words in a firewall log prefix that mean deny / allow (upper case). */
  denyWords: readonly string[];
  allowWords: readonly string[];
  /**
   * Per-file memory for readers whose lines depend on earlier lines (Zeek's
   * `#fields` header). readLogFile makes a fresh one per file; readers key it by their name.
   */
  fileState?: Map<string, unknown>;
}

/** Default context values; readLogFile fills file, line and referenceTime. */
export function defaultLineContext(over: Partial<LineContext> = {}): LineContext {
  return {
    line: 1,
    referenceTime: Date.now() / 1000,
    tzOffsetSeconds: 0,
    denyWords: ['DROP', 'DENY', 'DENIED', 'BLOCK', 'REJECT', 'DROPPED', 'BLOCKED', 'REJECTED'],
    allowWords: ['ACCEPT', 'ALLOW', 'ALLOWED', 'ACC', 'PASS', 'PERMIT'],
    ...over,
  };
}

/** Fields every raw text-log record has. */
export interface LogRecordBase {
  /** Which reader made it: picks the normalize mapper. */
  reader: 'firewall' | 'sshd' | 'weblog' | 'syslog' | 'zeek' | 'ids';
  /** Concrete format, e.g. 'iptables', 'openssh', 'nginx-combined'. */
  format: string;
  /** Seconds since the epoch. */
  ts: number;
  /** Logging host from the syslog header, when there is one. */
  host?: string;
  /** The line as read. */
  raw: string;
}

/** Result of parsing one line: a record, a problem, or null for lines that carry nothing (blank, journal markers). */
export type LineResult<R> = R | Problem | null;

/**
 * A text-log reader: recognises its format from the first lines and parses
 * one line at a time, returning problems as values.
 *
 * @example
 * const r = sshdReader.parseLine('Nov 23 11:12:20 h sshd[1]: Invalid user a from 10.0.0.1 port 2', defaultLineContext());
 */
export interface LogReader<R extends LogRecordBase = LogRecordBase> {
  name: string;
  description: string;
  /** Confidence 0..1 that these first lines are this reader's format. */
  sniff(lines: readonly string[]): number;
  parseLine(line: string, ctx: LineContext): LineResult<R>;
}

/** True when a line result is a problem rather than a record. */
export function isProblem(x: object): x is Problem {
  return 'code' in x && 'stage' in x;
}

/** A read-stage problem for a line. */
export function lineProblem(ctx: LineContext, code: string, message: string): Problem {
  const p: Problem = { stage: 'read', code, message, line: ctx.line };
  if (ctx.file !== undefined) p.file = ctx.file;
  return p;
}
