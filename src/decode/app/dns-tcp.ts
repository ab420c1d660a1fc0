/**
 * DNS over TCP (RFC 1035 section 4.2.2, RFC 7766): each message is preceded
 * by a 2-byte length, and messages may be split across segments or share
 * one. Bytes are valid only during `feed` (the reassembler reuses them), so a
 * partial message is copied into a buffer of at most 65535 bytes: the length
 * prefix itself is the bound.
 */
import { type DnsMessage, type DnsParseOptions, isDnsError, parseDnsMessage } from './dns.js';

export interface DnsTcpParser {
  /** In-order stream bytes of one direction. */
  feed(bytes: Uint8Array): void;
  /** `len` bytes were lost: the framing cannot be trusted, so wait for a fresh start. */
  gap(len: number): void;
  /** End of the stream; a message cut short is reported. */
  end(): void;
  /** Stream offset of the next byte expected. */
  readonly offset: number;
}

/**
 * Frames and parses a TCP DNS stream of one direction. `onMessage` gets each
 * message and its stream offset (of the length prefix); `onError` gets bad
 * messages with the stream offset of the problem.
 *
 * @example
 * const p = createDnsTcpParser((tx) => seen.push(tx), (e, at) => problems.push([e, at]));
 * p.feed(chunk1); p.feed(chunk2); p.end();
 */
export function createDnsTcpParser(
  onMessage: (tx: DnsMessage, offset: number) => void,
  onError: (error: string, offset: number) => void,
  opts: DnsParseOptions = {},
): DnsTcpParser {
  const lenBytes = new Uint8Array(2);
  let lenHave = 0;
  let need = 0;
  let buf: Uint8Array | null = null;
  let have = 0;
  let msgStart = 0;
  let offset = 0;
  /** After a gap we drop bytes until end, since a length prefix cannot be found again reliably. */
  let lost = false;

  function deliver(msg: Uint8Array): void {
    const r = parseDnsMessage(msg, opts);
    if (isDnsError(r)) onError(r.error, msgStart + 2 + r.offset);
    else onMessage(r, msgStart);
  }

  function feed(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    if (lost) {
      offset += n;
      return;
    }
    while (i < n) {
      if (lenHave < 2) {
        if (lenHave === 0) msgStart = offset + i;
        lenBytes[lenHave++] = bytes[i++]!;
        if (lenHave < 2) continue;
        need = (lenBytes[0]! << 8) | lenBytes[1]!;
        have = 0;
        if (need === 0) {
          onError('zero-length DNS message in a TCP stream', msgStart);
          lenHave = 0;
          continue;
        }
        // Whole message in this chunk: parse in place, no copy.
        if (n - i >= need) {
          deliver(bytes.subarray(i, i + need));
          i += need;
          lenHave = 0;
          continue;
        }
        buf ??= new Uint8Array(65535);
      }
      const take = Math.min(need - have, n - i);
      buf!.set(bytes.subarray(i, i + take), have);
      have += take;
      i += take;
      if (have === need) {
        deliver(buf!.subarray(0, need));
        lenHave = 0;
      }
    }
    offset += n;
  }

  return {
    feed,
    gap(len: number) {
      if (lenHave > 0) onError('DNS message cut by a gap in the capture', msgStart);
      lenHave = 0;
      lost = true;
      offset += len;
    },
    end() {
      if (lenHave > 0 && !lost) {
        onError(
          `DNS message cut short: ${lenHave === 2 ? have : 0} of ${lenHave === 2 ? need : '?'} bytes`,
          msgStart,
        );
      }
      lenHave = 0;
      buf = null;
    },
    get offset() {
      return offset;
    },
  };
}
