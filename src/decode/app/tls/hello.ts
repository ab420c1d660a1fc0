/**
 * ClientHello and ServerHello bodies (RFC 8446 section 4.1.2-4.1.3, RFC 5246
 * section 7.4.1) and their JA3 / JA3S fingerprints.
 *
 * JA3 = `version,ciphers,extensions,groups,point_formats`: decimal values
 * joined by `-` within a field, GREASE values (RFC 8701: 0x0a0a, 0x1a1a ...
 * 0xfafa) left out of ciphers, extensions and groups; the hash is the MD5 of
 * that text in lower-case hex. JA3S = `version,cipher,extensions` from the
 * ServerHello. The version is the legacy version field of the hello, not the
 * record's and not supported_versions.
 */
import { createHash } from 'node:crypto';

export const Ext = {
  SERVER_NAME: 0,
  SUPPORTED_GROUPS: 10,
  EC_POINT_FORMATS: 11,
  SUPPORTED_VERSIONS: 43,
} as const;

export interface ClientHelloFacts {
  version: number;
  /** First host_name entry of server_name, as sent. */
  sni?: Uint8Array;
  ja3: string;
}

export interface ServerHelloFacts {
  /** Legacy version field. */
  version: number;
  /** supported_versions selection (TLS 1.3), else the legacy version. */
  negotiated: number;
  cipher: number;
  ja3s: string;
}

/** RFC 8701 GREASE: both bytes equal and of the form 0x?a. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'latin1').digest('hex');
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

/** Appends `v` to a `-`-joined list. */
const add = (list: string, v: number) => (list === '' ? `${v}` : `${list}-${v}`);

/**
 * Parses a ClientHello body (after the 4-byte handshake header). Returns an
 * error text when it is malformed.
 *
 * @example
 * const r = parseClientHello(body);
 * if (typeof r !== 'string') md5Hex(r.ja3);
 */
export function parseClientHello(b: Uint8Array): ClientHelloFacts | string {
  const end = b.length;
  if (end < 2 + 32 + 1) return 'ClientHello shorter than version, random and session id';
  const version = u16(b, 0);
  let p = 34;
  p += 1 + b[p]!;
  if (p + 2 > end) return 'ClientHello cut in the session id';
  const csLen = u16(b, p);
  p += 2;
  if (p + csLen > end || csLen % 2 !== 0) return 'ClientHello cipher suites malformed';
  let ciphers = '';
  for (let i = p; i < p + csLen; i += 2) {
    const c = u16(b, i);
    if (!isGrease(c)) ciphers = add(ciphers, c);
  }
  p += csLen;
  if (p + 1 > end) return 'ClientHello cut before compression methods';
  p += 1 + b[p]!;
  if (p > end) return 'ClientHello compression methods malformed';
  let exts = '';
  let groups = '';
  let formats = '';
  let sni: Uint8Array | undefined;
  if (p + 2 <= end) {
    const extEnd = p + 2 + u16(b, p);
    if (extEnd > end) return 'ClientHello extensions run past the message';
    p += 2;
    while (p + 4 <= extEnd) {
      const type = u16(b, p);
      const len = u16(b, p + 2);
      const d = p + 4;
      if (d + len > extEnd) return `ClientHello extension ${type} runs past the extensions`;
      if (!isGrease(type)) exts = add(exts, type);
      if (type === Ext.SERVER_NAME && sni === undefined && len >= 2) {
        const listEnd = Math.min(d + 2 + u16(b, d), d + len);
        let q = d + 2;
        while (q + 3 <= listEnd) {
          const nameLen = u16(b, q + 1);
          if (q + 3 + nameLen > listEnd) break;
          if (b[q] === 0) {
            sni = b.slice(q + 3, q + 3 + nameLen);
            break;
          }
          q += 3 + nameLen;
        }
      } else if (type === Ext.SUPPORTED_GROUPS && len >= 2) {
        const listEnd = Math.min(d + 2 + u16(b, d), d + len);
        for (let q = d + 2; q + 2 <= listEnd; q += 2) {
          const g = u16(b, q);
          if (!isGrease(g)) groups = add(groups, g);
        }
      } else if (type === Ext.EC_POINT_FORMATS && len >= 1) {
        const listEnd = Math.min(d + 1 + b[d]!, d + len);
        for (let q = d + 1; q < listEnd; q++) formats = add(formats, b[q]!);
      }
      p = d + len;
    }
  }
  const facts: ClientHelloFacts = { version, ja3: `${version},${ciphers},${exts},${groups},${formats}` };
  if (sni !== undefined) facts.sni = sni;
  return facts;
}

/**
 * Parses a ServerHello body. Returns an error text when it is malformed.
 *
 * @example
 * const r = parseServerHello(body);
 * if (typeof r !== 'string' && r.negotiated === 0x0304) { // TLS 1.3: the rest is encrypted
 * }
 */
export function parseServerHello(b: Uint8Array): ServerHelloFacts | string {
  const end = b.length;
  if (end < 2 + 32 + 1) return 'ServerHello shorter than version, random and session id';
  const version = u16(b, 0);
  let p = 34;
  p += 1 + b[p]!;
  if (p + 3 > end) return 'ServerHello cut before cipher suite and compression';
  const cipher = u16(b, p);
  p += 3;
  let exts = '';
  let negotiated = version;
  if (p + 2 <= end) {
    const extEnd = p + 2 + u16(b, p);
    if (extEnd > end) return 'ServerHello extensions run past the message';
    p += 2;
    while (p + 4 <= extEnd) {
      const type = u16(b, p);
      const len = u16(b, p + 2);
      if (p + 4 + len > extEnd) return `ServerHello extension ${type} runs past the extensions`;
      if (!isGrease(type)) exts = add(exts, type);
      if (type === Ext.SUPPORTED_VERSIONS && len === 2) negotiated = u16(b, p + 4);
      p += 4 + len;
    }
  }
  return { version, negotiated, cipher, ja3s: `${version},${cipher},${exts}` };
}
