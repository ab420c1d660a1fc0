/**
 * One DNS message (RFC 1035 section 4) into a DnsTx: header, questions and
 * answers. Mirrors what Suricata accepts: a request needs a header and
 * well-formed questions (what follows is not looked at); a response also
 * needs well-formed answer and authority sections, else the whole message is
 * an error. Query names are rendered as Suricata renders `dns.query` (see
 * dns-name.ts).
 *
 * Bounded: a message is at most 65535 bytes (the TCP length prefix and the
 * UDP size both cap it); at most `maxRecords` questions and answers are kept,
 * the rest are still checked and counted in `droppedRecords`.
 */
import type { DnsTx } from '../../schema/app-tx.js';
import { copyName, readName } from './dns-name.js';
import { renderRdata } from './dns-rdata.js';

export { MAX_NAME_BYTES, NAME_LABEL_LIMIT, NAME_LOOP, NAME_TRUNCATED } from './dns-name.js';
export { DnsType } from './dns-rdata.js';

/** Largest DNS message: the TCP length prefix is 16 bits. */
export const MAX_DNS_MESSAGE = 65535;
export const DNS_HEADER_BYTES = 12;

/** A parsed message: the contract's DnsTx plus what parsing had to leave out. */
export interface DnsMessage extends DnsTx {
  /** Header flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  flags: number;
  opcode: number;
  /** Questions and answers beyond `maxRecords`, checked but not kept. */
  droppedRecords: number;
  /** OR of NAME_* bits over every name read (truncated, pointer loop, label limit). */
  nameFlags: number;
}

export interface DnsParseError {
  error: string;
  /** Byte offset in the message where the problem is. */
  offset: number;
}

export interface DnsParseOptions {
  /** Questions kept, and answers kept (each; default 256). */
  maxRecords?: number;
}

/** True when `r` is an error result of parseDnsMessage. */
export function isDnsError(r: DnsMessage | DnsParseError): r is DnsParseError {
  return (r as DnsParseError).error !== undefined;
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

/**
 * Parses one DNS message (UDP payload, or one TCP frame without its length prefix).
 *
 * @example
 * const r = parseDnsMessage(udpPayload);
 * if (!isDnsError(r)) for (const q of r.queries) console.log(Buffer.from(q.name).toString('latin1'));
 */
export function parseDnsMessage(bytes: Uint8Array, opts: DnsParseOptions = {}): DnsMessage | DnsParseError {
  const maxRecords = opts.maxRecords ?? 256;
  if (bytes.length < DNS_HEADER_BYTES) {
    return { error: `message of ${bytes.length} bytes is shorter than the 12-byte header`, offset: 0 };
  }
  if (bytes.length > MAX_DNS_MESSAGE) {
    return { error: `message of ${bytes.length} bytes is longer than DNS allows`, offset: MAX_DNS_MESSAGE };
  }
  const flags = u16(bytes, 2);
  const qdCount = u16(bytes, 4);
  const anCount = u16(bytes, 6);
  const nsCount = u16(bytes, 8);
  const response = (flags & 0x8000) !== 0;
  const tx: DnsMessage = {
    txId: u16(bytes, 0),
    response,
    rcode: flags & 0x0f,
    flags,
    opcode: (flags >> 11) & 0x0f,
    queries: [],
    answers: [],
    droppedRecords: 0,
    nameFlags: 0,
  };

  let p = DNS_HEADER_BYTES;
  for (let i = 0; i < qdCount; i++) {
    const r = readName(bytes, p);
    if (r.error !== '') return { error: `question ${i + 1}: ${r.error}`, offset: r.errorOffset };
    tx.nameFlags |= r.flags;
    if (r.next + 4 > bytes.length) {
      return { error: `question ${i + 1}: type and class cut by the end of the message`, offset: r.next };
    }
    if (tx.queries.length < maxRecords) {
      tx.queries.push({ name: copyName(r), type: u16(bytes, r.next), class: u16(bytes, r.next + 2) });
    } else tx.droppedRecords++;
    p = r.next + 4;
  }
  if (!response) return tx;

  const texts: string[] = [];
  for (let section = 0; section < 2; section++) {
    const count = section === 0 ? anCount : nsCount;
    const what = section === 0 ? 'answer' : 'authority';
    for (let i = 0; i < count; i++) {
      const r = readName(bytes, p);
      if (r.error !== '') return { error: `${what} ${i + 1}: ${r.error}`, offset: r.errorOffset };
      tx.nameFlags |= r.flags;
      const at = r.next;
      if (at + 10 > bytes.length) {
        return { error: `${what} ${i + 1}: record header cut by the end of the message`, offset: at };
      }
      const rdLen = u16(bytes, at + 8);
      const rdStart = at + 10;
      if (rdStart + rdLen > bytes.length) {
        return { error: `${what} ${i + 1}: rdata runs past the end of the message`, offset: at + 8 };
      }
      if (section === 0) {
        const keep = tx.answers.length < maxRecords;
        const name = keep ? copyName(r) : undefined;
        const type = u16(bytes, at);
        const ttl =
          ((bytes[at + 4]! << 24) | (bytes[at + 5]! << 16) | (bytes[at + 6]! << 8) | bytes[at + 7]!) >>> 0;
        texts.length = 0;
        const err = renderRdata(bytes, rdStart, rdStart + rdLen, type, texts);
        if (err !== '') return { error: `${what} ${i + 1}: ${err}`, offset: rdStart };
        for (const data of texts) {
          if (name !== undefined && tx.answers.length < maxRecords)
            tx.answers.push({ name, type, ttl, data });
          else tx.droppedRecords++;
        }
      } else {
        texts.length = 0;
        const err = renderRdata(bytes, rdStart, rdStart + rdLen, u16(bytes, at), texts);
        if (err !== '') return { error: `${what} ${i + 1}: ${err}`, offset: rdStart };
      }
      p = rdStart + rdLen;
    }
  }
  return tx;
}
