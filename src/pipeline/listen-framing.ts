/**
 * RFC 6587 framing of syslog over TCP: octet counting (`LEN SP MSG`) or
 * newline-delimited messages, told apart by the first bytes of a connection.
 * Frames are bounded: an over-long one is a counted problem and its bytes are
 * skipped; a broken octet count loses the framing, so the connection must close.
 */

/** What the framer hands on. Offsets are bytes since the connection opened. */
export interface FrameSink {
  /** One complete message, `bytes[start..end)`, trailing CR/LF removed; valid only during the call. */
  message(bytes: Buffer, start: number, end: number): void;
  /** A frame that was skipped; the connection goes on. */
  problem(code: string, reason: string, offset: number): void;
  /** The framing is lost; the caller should close the connection. */
  fatal(code: string, reason: string, offset: number): void;
}

export type FramingMode = 'unknown' | 'octet-counted' | 'newline';

export interface SyslogFramer {
  /** Feeds the next bytes of the connection. */
  push(chunk: Buffer): void;
  /** The peer closed: an unfinished frame is reported as a problem. */
  end(): void;
  readonly mode: FramingMode;
  /** False once a fatal framing error happened; further input is ignored. */
  readonly ok: boolean;
}

const LF = 10;
const CR = 13;
const SP = 32;
/** Digits of the longest octet count accepted (a 10-digit count is already 1 GB). */
const maxCountDigits = 9;
const EMPTY = Buffer.alloc(0);

/**
 * Creates a framer for one connection.
 *
 * @example
 * const f = createSyslogFramer(65536, { message: (b, s, e) => seen.push(b.toString('utf8', s, e)), problem, fatal });
 * f.push(Buffer.from('12 <13>1 - - - -\n<13>hello\n')); // octet-counted, detected from "12 "
 */
export function createSyslogFramer(maxFrame: number, sink: FrameSink): SyslogFramer {
  if (!(maxFrame >= 1)) throw new Error('createSyslogFramer: maxFrame must be at least 1');
  let mode: FramingMode = 'unknown';
  let ok = true;
  /** Bytes of the connection consumed before the current chunk. */
  let base = 0;
  /** Partial frame carried across chunks (never longer than maxFrame); allocated when first needed. */
  let carry: Buffer = EMPTY;
  let carryLen = 0;
  /** Stream offset where the carried frame starts. */
  let frameStart = 0;
  // newline mode
  let skippingLine = false;
  // octet mode
  let inCount = true;
  let count = 0;
  let countDigits = 0;
  let bodyLeft = 0;
  let skipBody = false;
  // detection: the first bytes, until they show "DIGITS SP" or something else
  const head = Buffer.allocUnsafe(maxCountDigits + 2);
  let headLen = 0;

  const emit = (b: Buffer, s: number, e: number) => {
    while (e > s && (b[e - 1] === LF || b[e - 1] === CR)) e--;
    if (e > s) sink.message(b, s, e);
  };

  const appendCarry = (b: Buffer, s: number, e: number) => {
    if (carry.length < maxFrame) {
      // Grow by doubling up to the bound: idle connections with short partial lines stay small.
      const want = Math.min(maxFrame, Math.max(1024, carryLen + e - s, carry.length * 2));
      if (want > carry.length) {
        const next = Buffer.allocUnsafe(want);
        carry.copy(next, 0, 0, carryLen);
        carry = next;
      }
    }
    b.copy(carry, carryLen, s, e);
    carryLen += e - s;
  };

  function pushNewline(b: Buffer, from: number): void {
    let i = from;
    const n = b.length;
    while (i < n) {
      const nl = b.indexOf(LF, i);
      const stop = nl < 0 ? n : nl;
      if (skippingLine) {
        if (nl >= 0) skippingLine = false;
      } else {
        if (carryLen === 0) frameStart = base + i;
        const len = carryLen + stop - i;
        if (len > maxFrame) {
          sink.problem(
            'syslog-tcp.frame-too-long',
            `line longer than ${maxFrame} bytes; skipped to its end`,
            frameStart,
          );
          carryLen = 0;
          if (nl < 0) skippingLine = true;
        } else if (nl < 0) appendCarry(b, i, n);
        else if (carryLen === 0) emit(b, i, nl);
        else {
          appendCarry(b, i, nl);
          carryLen = 0; // reset before emitting: the sink may push again
          emit(carry, 0, len);
        }
      }
      if (nl < 0) break;
      i = nl + 1;
    }
  }

  function pushOctet(b: Buffer, from: number): void {
    let i = from;
    const n = b.length;
    while (i < n && ok) {
      if (inCount) {
        const c = b[i]!;
        if (c >= 48 && c <= 57 && !(c === 48 && countDigits === 0)) {
          if (countDigits === 0) frameStart = base + i;
          count = count * 10 + (c - 48);
          if (++countDigits > maxCountDigits) {
            lose(`octet count longer than ${maxCountDigits} digits`, base + i);
            return;
          }
        } else if (c === SP && countDigits > 0) {
          inCount = false;
          bodyLeft = count;
          skipBody = count > maxFrame;
          if (skipBody)
            sink.problem(
              'syslog-tcp.frame-too-long',
              `octet-counted frame of ${count} bytes is longer than ${maxFrame}; skipped`,
              frameStart,
            );
          carryLen = 0;
        } else if ((c === LF || c === CR) && countDigits === 0) {
          // some senders end octet-counted frames with a newline as well: tolerated
        } else {
          lose(
            `expected an octet count (digits and a space), found byte 0x${c.toString(16).padStart(2, '0')}`,
            base + i,
          );
          return;
        }
        i++;
        continue;
      }
      const take = Math.min(bodyLeft, n - i);
      if (!skipBody) {
        if (take === bodyLeft && carryLen === 0) emit(b, i, i + take);
        else {
          appendCarry(b, i, i + take);
          if (take === bodyLeft) {
            const len = carryLen;
            carryLen = 0;
            emit(carry, 0, len);
          }
        }
      }
      bodyLeft -= take;
      i += take;
      if (bodyLeft === 0) {
        inCount = true;
        count = 0;
        countDigits = 0;
      }
    }
  }

  function lose(reason: string, offset: number): void {
    ok = false;
    sink.fatal('syslog-tcp.bad-octet-count', `${reason}; framing lost, connection closed`, offset);
  }

  /** Decides the mode from the first bytes: "DIGITS SP" (first digit non-zero) means octet counting. */
  function detect(b: Buffer): void {
    let i = 0;
    while (i < b.length && mode === 'unknown') {
      const c = b[i]!;
      head[headLen++] = c;
      i++;
      const digit = c >= 48 && c <= 57 && !(c === 48 && headLen === 1);
      if (digit && headLen <= maxCountDigits) continue;
      mode = c === SP && headLen > 1 && headLen - 1 <= maxCountDigits ? 'octet-counted' : 'newline';
    }
    if (mode === 'unknown') return;
    const replay = Buffer.from(head.subarray(0, headLen));
    const rest = b.subarray(i);
    base -= headLen - i; // the head's first byte was consumed `headLen - i` bytes before this chunk
    run(replay);
    base += replay.length;
    if (ok && rest.length > 0) run(rest);
    base += rest.length;
  }

  function run(b: Buffer): void {
    if (mode === 'newline') pushNewline(b, 0);
    else pushOctet(b, 0);
  }

  return {
    push(chunk) {
      if (!ok || chunk.length === 0) return;
      if (mode === 'unknown') {
        detect(chunk);
        if (mode === 'unknown') base += chunk.length;
        return;
      }
      run(chunk);
      base += chunk.length;
    },
    end() {
      if (!ok) return;
      const partial =
        mode === 'unknown'
          ? headLen > 0
          : mode === 'newline'
            ? carryLen > 0 || skippingLine
            : !inCount || countDigits > 0;
      if (partial)
        sink.problem(
          'syslog-tcp.truncated-frame',
          'the connection closed in the middle of a message; the partial message is not parsed',
          mode === 'unknown' ? 0 : frameStart,
        );
    },
    get mode() {
      return mode;
    },
    get ok() {
      return ok;
    },
  };
}
