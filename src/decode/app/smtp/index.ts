/**
 * SMTP sessions (RFC 5321) as they stream: client commands and server
 * replies, the HELO/EHLO name, envelope addresses, and the message of each
 * DATA (dot-unstuffed up to the lone `.` line) or BDAT sequence (RFC 3030)
 * handed to the MIME parser, whose attachments become FileTx (proto 'smtp',
 * toServer true). After a successful STARTTLS the rest is encrypted and
 * parsing stops.
 *
 * Replies are matched to commands in order (pipelining allowed): a DATA
 * answered with anything but 354 before any message byte took effect puts
 * the client side back into command mode. Bounded: command lines and data
 * lines to fixed buffers (longer data lines pass through in pieces), at most
 * MAX_PENDING unanswered commands remembered.
 */
import type { FileTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import { type LineHandler, LineSplitter } from './lines.js';
import { MimeParser } from './mime.js';

export interface SmtpParserOptions {
  /** An attachment got more decoded bytes ('data') or ended ('done'). Same object each time. */
  onFile(f: FileTx, what: 'data' | 'done'): void;
  /** The HELO/EHLO argument as sent. */
  onHelo?(name: Uint8Array): void;
  /** MAIL FROM / RCPT TO arguments (the text after the colon, trimmed). */
  onMailFrom?(address: Uint8Array): void;
  onRcptTo?(address: Uint8Array): void;
  /** Decoded bytes kept per attachment (default 1 MiB); more sets `truncated`. */
  maxFileBytes?: number;
  problems?: ProblemLog;
  file?: string;
}

export interface SmtpParser {
  toServer(bytes: Uint8Array): void;
  toClient(bytes: Uint8Array): void;
  /** Bytes of one direction were lost: the open message (if any) ends there. */
  gap(toServer: boolean, len: number): void;
  end(): void;
  /** Messages seen (DATA or BDAT LAST completed or cut off). */
  readonly messages: number;
  /** True once STARTTLS succeeded (nothing after it is parsed). */
  readonly tls: boolean;
}

const MAX_COMMAND = 4096;
const MAX_DATA_LINE = 8192;
const MAX_PENDING = 256;

const MODE_COMMAND = 0;
const MODE_DATA = 1;
const MODE_BDAT = 2;
const MODE_OFF = 3;

const CMD_OTHER = 0;
const CMD_DATA = 1;
const CMD_STARTTLS = 2;

/**
 * Creates the parser for one connection.
 *
 * @example
 * const smtp = createSmtpParser({ onFile: (f, what) => what === 'done' && files.push(f) });
 * smtp.toClient(greeting); smtp.toServer(commandsAndMessage); smtp.end();
 */
export function createSmtpParser(opts: SmtpParserOptions): SmtpParser {
  return new Smtp(opts);
}

class Smtp implements SmtpParser {
  messages = 0;
  tls = false;
  private mode = MODE_COMMAND;
  private readonly client: LineSplitter;
  private readonly server = new LineSplitter(MAX_COMMAND);
  private mime: MimeParser | null = null;
  /** Message bytes fed since DATA, to know whether a late refusal still matters. */
  private dataBytes = 0;
  private bdatLeft = 0;
  private bdatLast = false;
  private readonly pending: number[] = [];
  private fileIds = 0;
  private readonly clientLines: LineHandler;
  private readonly serverLines: LineHandler;
  private readonly maxFileBytes: number;

  constructor(private readonly opts: SmtpParserOptions) {
    this.maxFileBytes = opts.maxFileBytes ?? 1 << 20;
    if (!(this.maxFileBytes >= 0)) throw new Error('createSmtpParser: maxFileBytes must be ≥ 0');
    this.client = new LineSplitter(MAX_DATA_LINE);
    this.clientLines = { line: (b, s, e, eol, first) => this.clientLine(b, s, e, eol, first) };
    this.serverLines = { line: (b, s, e, _eol, first) => first && this.reply(b, s, e) };
  }

  toServer(b: Uint8Array): void {
    let i = 0;
    while (i < b.length && this.mode !== MODE_OFF) {
      if (this.mode === MODE_BDAT) {
        const take = Math.min(this.bdatLeft, b.length - i);
        this.mime?.write(b, i, i + take);
        this.dataBytes += take;
        this.bdatLeft -= take;
        i += take;
        if (this.bdatLeft === 0) this.bdatDone();
      } else i = this.client.next(b, i, b.length, this.clientLines);
    }
  }

  toClient(b: Uint8Array): void {
    for (let i = 0; i < b.length && this.mode !== MODE_OFF; )
      i = this.server.next(b, i, b.length, this.serverLines);
  }

  gap(toServer: boolean, _len: number): void {
    if (!toServer) {
      this.server.reset();
      return;
    }
    // Lost client bytes: the message cannot be trusted past here, and line framing restarts.
    if (this.mode === MODE_DATA || this.mode === MODE_BDAT) this.endMessage();
    this.client.reset();
    if (this.mode !== MODE_OFF) this.mode = MODE_COMMAND;
  }

  end(): void {
    if (this.mode === MODE_DATA || this.mode === MODE_BDAT) {
      this.client.flush(this.clientLines);
      this.endMessage();
    }
    this.mode = MODE_OFF;
  }

  private clientLine(b: Uint8Array, start: number, end: number, eol: number, first: boolean): void {
    if (this.mode === MODE_DATA) {
      if (first && eol > 0 && end - start === 1 && b[start] === 0x2e) {
        this.endMessage();
        this.mode = MODE_COMMAND;
        return;
      }
      // Dot-stuffing: a leading '.' was doubled by the sender.
      if (first && end > start && b[start] === 0x2e) start++;
      const mime = this.mime!;
      mime.write(b, start, end);
      if (eol === 2) mime.write(CRLF, 0, 2);
      else if (eol === 1) mime.write(CRLF, 1, 2);
      this.dataBytes += end - start + eol;
      return;
    }
    if (!first) return; // the tail of an over-long command line
    if (eol === 0 || end - start > MAX_COMMAND) {
      // A piece of a line longer than any command, or a last line cut off: not a command.
      if (end - start >= MAX_COMMAND)
        this.problem('smtp.long-command', `command line longer than ${MAX_COMMAND} bytes`);
      return;
    }
    this.command(b, start, end);
  }

  private command(b: Uint8Array, start: number, end: number): void {
    let sp = start;
    while (sp < end && b[sp] !== 0x20) sp++;
    const verb = ascii(b, start, Math.min(sp, start + 10)).toUpperCase();
    const arg = trim(b, sp, end);
    if (verb === 'HELO' || verb === 'EHLO') this.opts.onHelo?.(b.slice(arg[0], arg[1]));
    else if (verb === 'MAIL' || verb === 'RCPT') {
      const colon = b.indexOf(0x3a, sp);
      if (colon >= 0 && colon < end) {
        const a = trim(b, colon + 1, end);
        if (verb === 'MAIL') this.opts.onMailFrom?.(b.slice(a[0], a[1]));
        else this.opts.onRcptTo?.(b.slice(a[0], a[1]));
      }
    } else if (verb === 'DATA') {
      this.expect(CMD_DATA);
      this.startMessage();
      this.mode = MODE_DATA;
      return;
    } else if (verb === 'BDAT') {
      this.expect(CMD_OTHER);
      const m = /^(\d{1,12})(\s+LAST)?\s*$/i.exec(ascii(b, arg[0], arg[1]));
      if (m === null) {
        this.problem('smtp.bad-bdat', 'BDAT without a valid chunk size');
        return;
      }
      if (this.mime === null) this.startMessage();
      this.bdatLeft = Number(m[1]);
      this.bdatLast = m[2] !== undefined;
      this.mode = MODE_BDAT;
      if (this.bdatLeft === 0) this.bdatDone();
      return;
    } else if (verb === 'STARTTLS') {
      this.expect(CMD_STARTTLS);
      return;
    }
    this.expect(CMD_OTHER);
  }

  private reply(b: Uint8Array, start: number, end: number): void {
    if (end - start < 3) return;
    const c0 = b[start]! - 0x30;
    const c1 = b[start + 1]! - 0x30;
    const c2 = b[start + 2]! - 0x30;
    if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9) return;
    if (end - start > 3 && b[start + 3] === 0x2d) return; // more lines of the same reply follow
    const code = c0 * 100 + c1 * 10 + c2;
    const cmd = this.pending.shift();
    if (cmd === CMD_DATA && code !== 354 && this.mode === MODE_DATA && this.dataBytes === 0) {
      // The server refused the message before it began: what follows are commands again.
      this.mime = null;
      this.mode = MODE_COMMAND;
    } else if (cmd === CMD_STARTTLS && code === 220) {
      this.tls = true;
      this.mode = MODE_OFF;
    }
  }

  private expect(cmd: number): void {
    if (this.pending.length >= MAX_PENDING) this.pending.shift();
    this.pending.push(cmd);
  }

  private startMessage(): void {
    this.dataBytes = 0;
    this.mime = new MimeParser({
      onFile: this.opts.onFile,
      maxFileBytes: this.maxFileBytes,
      nextId: () => this.fileIds++,
      problem: (code, message) => this.problem(code, message),
    });
  }

  private bdatDone(): void {
    this.mode = MODE_COMMAND;
    if (this.bdatLast) this.endMessage();
  }

  private endMessage(): void {
    if (this.mime === null) return;
    this.mime.end();
    this.mime = null;
    this.messages++;
  }

  private problem(code: string, message: string): void {
    this.opts.problems?.add({
      stage: 'session',
      code,
      message,
      ...(this.opts.file !== undefined ? { file: this.opts.file } : {}),
    });
  }
}

const CRLF = Uint8Array.of(0x0d, 0x0a);

function ascii(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** [start, end) without surrounding blanks. */
function trim(b: Uint8Array, start: number, end: number): [number, number] {
  while (start < end && (b[start] === 0x20 || b[start] === 0x09)) start++;
  while (end > start && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
  return [start, end];
}

/**
 * True when a server's first bytes are an SMTP greeting: reply code 220 and,
 * since FTP greets with 220 too, no mention of FTP in the first line.
 *
 * @example
 * looksLikeSmtp(ascii('220 mx.example.org ESMTP Postfix\r\n')); // true
 * looksLikeSmtp(ascii('220 ProFTPD Server ready.\r\n'));        // false
 */
export function looksLikeSmtp(serverGreeting: Uint8Array): boolean {
  const b = serverGreeting;
  if (b.length < 4 || b[0] !== 0x32 || b[1] !== 0x32 || b[2] !== 0x30) return false;
  if (b[3] !== 0x20 && b[3] !== 0x2d && b[3] !== 0x0d && b[3] !== 0x0a) return false;
  let end = b.indexOf(0x0a);
  if (end < 0) end = Math.min(b.length, 512);
  const line = ascii(b, 0, end).toUpperCase();
  if (line.includes('SMTP')) return true;
  return !line.includes('FTP');
}
