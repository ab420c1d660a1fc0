/**
 * The facts rules inspect about a leaf certificate, read with the small DER
 * reader: subject, issuer, serial and validity. Certificate ::= SEQUENCE {
 * tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber INTEGER,
 * signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore,
 * notAfter }, subject Name, ... }, ... } (RFC 5280 section 4.1).
 */
import { createHash } from 'node:crypto';
import { newTlv, readTlv, Tag } from './der.js';
import { renderName } from './x509-name.js';

export interface CertFacts {
  subject: Uint8Array;
  issuer: Uint8Array;
  /** Serial as Suricata shows it: the INTEGER's bytes as sent, upper-case hex pairs joined by `:`. */
  serial: string;
  /** Seconds since the epoch; undefined when the time is not readable. */
  notBefore?: number;
  notAfter?: number;
}

/** Colon-separated hex pairs: `ab:cd:...`. */
export function colonHex(b: Uint8Array, upper: boolean): string {
  const h = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  let s = '';
  for (let i = 0; i < h.length; i += 2) s += (i ? ':' : '') + h.slice(i, i + 2);
  return upper ? s.toUpperCase() : s;
}

/** SHA-1 of the certificate DER as lower-case colon hex, as `tls.cert_fingerprint` holds it. */
export function certFingerprint(der: Uint8Array): string {
  return colonHex(createHash('sha1').update(der).digest(), false);
}

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[at + i]! - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * UTCTime (YYMMDDhhmm[ss]Z, years 50-99 are 19xx) or GeneralizedTime
 * (YYYYMMDDhhmmss[.fff]Z), also with a +hhmm/-hhmm offset, to epoch seconds.
 */
export function parseAsn1Time(b: Uint8Array, tag: number, start: number, end: number): number | undefined {
  let p = start;
  let year: number;
  if (tag === Tag.UTC_TIME) {
    year = digits(b, p, 2);
    year += year < 50 ? 2000 : 1900;
    p += 2;
  } else if (tag === Tag.GENERALIZED_TIME) {
    year = digits(b, p, 4);
    p += 4;
  } else return undefined;
  if (p + 8 > end) return undefined;
  const month = digits(b, p, 2);
  const day = digits(b, p + 2, 2);
  const hour = digits(b, p + 4, 2);
  const minute = digits(b, p + 6, 2);
  p += 8;
  let second = 0;
  if (p + 2 <= end && b[p]! >= 0x30 && b[p]! <= 0x39) {
    second = digits(b, p, 2);
    p += 2;
  }
  if (p < end && (b[p] === 0x2e || b[p] === 0x2c)) {
    p++;
    while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
  }
  let offsetMinutes = 0;
  if (p < end && b[p] === 0x5a) p++;
  else if (p + 5 <= end && (b[p] === 0x2b || b[p] === 0x2d)) {
    const sign = b[p] === 0x2b ? 1 : -1;
    offsetMinutes = sign * (digits(b, p + 1, 2) * 60 + digits(b, p + 3, 2));
    p += 5;
  } else return undefined;
  if (p !== end) return undefined;
  const ok = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
  if (!ok || Number.isNaN(year + offsetMinutes)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60;
}

/**
 * Reads subject, issuer, serial and validity of a DER certificate; undefined
 * when the structure up to the subject is malformed or a name is not text.
 *
 * @example
 * const f = parseCertificate(der);
 * f && Buffer.from(f.subject).toString(); // 'C=US, O=Example, CN=example.com'
 */
export function parseCertificate(der: Uint8Array): CertFacts | undefined {
  const t = newTlv();
  if (!readTlv(der, 0, der.length, t) || t.tag !== Tag.SEQUENCE) return undefined;
  if (!readTlv(der, t.start, t.end, t) || t.tag !== Tag.SEQUENCE) return undefined;
  const tbsEnd = t.end;
  let p = t.start;
  if (!readTlv(der, p, tbsEnd, t)) return undefined;
  if (t.tag === Tag.CONTEXT_0) {
    p = t.end;
    if (!readTlv(der, p, tbsEnd, t)) return undefined;
  }
  if (t.tag !== Tag.INTEGER) return undefined;
  const serial = colonHex(der.subarray(t.start, t.end), true);
  p = t.end;
  if (!readTlv(der, p, tbsEnd, t) || t.tag !== Tag.SEQUENCE) return undefined; // signature algorithm
  p = t.end;
  if (!readTlv(der, p, tbsEnd, t) || t.tag !== Tag.SEQUENCE) return undefined;
  const issuer = renderName(der, t.start, t.end);
  p = t.end;
  if (!readTlv(der, p, tbsEnd, t) || t.tag !== Tag.SEQUENCE) return undefined;
  const validityEnd = t.end;
  p = t.end;
  let notBefore: number | undefined;
  let notAfter: number | undefined;
  if (readTlv(der, t.start, validityEnd, t)) {
    notBefore = parseAsn1Time(der, t.tag, t.start, t.end);
    if (readTlv(der, t.end, validityEnd, t)) notAfter = parseAsn1Time(der, t.tag, t.start, t.end);
  }
  if (!readTlv(der, p, tbsEnd, t) || t.tag !== Tag.SEQUENCE) return undefined;
  const subject = renderName(der, t.start, t.end);
  if (subject === undefined || issuer === undefined) return undefined;
  const facts: CertFacts = { subject, issuer, serial };
  if (notBefore !== undefined) facts.notBefore = notBefore;
  if (notAfter !== undefined) facts.notAfter = notAfter;
  return facts;
}
