/**
 * X.509 Name → text as Suricata shows it in `tls.cert_subject` and
 * `tls.cert_issuer` (Suricata uses the Rust x509-parser crate's rendering):
 * relative distinguished names in certificate order joined by `, `, several
 * attributes within one RDN joined by ` + `, each as `SHORT=value`. Short
 * names: C, ST, L, O, OU, CN, DC and Email, else the attribute's registered
 * name (serialNumber, title...), else `OID(2.5.4.99)`. String values are kept
 * as their bytes (an embedded NUL stays a NUL); they must be valid UTF-8 or
 * the whole name is rejected (as the crate does); BMPString is UTF-16 and is
 * converted to UTF-8; any other value type is shown as upper-case hex.
 */
import { newTlv, readTlv, Tag } from './der.js';

/** Abbreviations first, then registered short names, keyed by dotted OID. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'Email',
  '2.5.4.0': 'objectClass',
  '2.5.4.1': 'aliasedEntryName',
  '2.5.4.2': 'knowledgeInformation',
  '2.5.4.4': 'surname',
  '2.5.4.5': 'serialNumber',
  '2.5.4.9': 'streetAddress',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.14': 'searchGuide',
  '2.5.4.15': 'businessCategory',
  '2.5.4.16': 'postalAddress',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'givenName',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.45': 'uniqueIdentifier',
  '2.5.4.46': 'dnQualifier',
  '1.3.6.1.4.1.311.60.2.1.1': 'msJurisdictionLocality',
  '1.3.6.1.4.1.311.60.2.1.2': 'msJurisdictionStateOrProvince',
  '1.3.6.1.4.1.311.60.2.1.3': 'msJurisdictionCountry',
  '1.2.840.113549.1.9.2': 'unstructuredName',
};

/** Value tags rendered as their (UTF-8) text. */
const TEXT_TAGS = new Set([
  0x07, // ObjectDescriptor
  0x0c, // UTF8String
  0x12, // NumericString
  0x13, // PrintableString
  0x14, // T61String
  0x15, // VideotexString
  0x16, // IA5String
  0x19, // GraphicString
  0x1a, // VisibleString
  0x1b, // GeneralString
]);
const BMP_STRING = 0x1e;

/** Dotted OID text, or the hex of its bytes when an arc does not fit a safe integer. */
export function oidText(b: Uint8Array, start: number, end: number): string {
  if (start >= end) return '';
  const arcs: number[] = [];
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    v = v * 128 + (c & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return Buffer.from(b.subarray(start, end)).toString('hex');
    if ((c & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/** True when b[start..end) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
export function isUtf8(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
      cp = c & 0x07;
    } else return false;
    if (i + n >= end) return false;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

/** Growable byte output, bounded by the name's own size times a small factor. */
class ByteOut {
  buf = new Uint8Array(256);
  n = 0;
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i) & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** Appends a UTF-16BE BMPString as UTF-8; false when it is not valid UTF-16. */
function appendBmp(out: ByteOut, b: Uint8Array, start: number, end: number): boolean {
  if ((end - start) % 2 !== 0) return false;
  const le = Buffer.allocUnsafe(end - start);
  for (let i = start; i < end; i += 2) {
    le[i - start] = b[i + 1]!;
    le[i - start + 1] = b[i]!;
  }
  for (let i = 0; i < le.length; i += 2) {
    const u = le[i]! | (le[i + 1]! << 8);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 3 < le.length ? le[i + 2]! | (le[i + 3]! << 8) : -1;
      if (next < 0xdc00 || next > 0xdfff) return false;
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) return false;
  }
  out.bytes(Buffer.from(le.toString('utf16le'), 'utf8'));
  return true;
}

/**
 * Renders the Name whose SEQUENCE content is b[start..end). Returns undefined
 * when the structure is malformed or a string value is not valid text.
 *
 * @example
 * renderName(der, nameStart, nameEnd) // bytes of 'C=US, O=Example, CN=example.com'
 */
export function renderName(b: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const out = new ByteOut();
  const rdn = newTlv();
  const atv = newTlv();
  const oid = newTlv();
  const val = newTlv();
  let p = start;
  let firstRdn = true;
  while (p < end) {
    if (!readTlv(b, p, end, rdn) || rdn.tag !== Tag.SET) return undefined;
    p = rdn.end;
    if (!firstRdn) out.ascii(', ');
    firstRdn = false;
    let q = rdn.start;
    let firstAttr = true;
    while (q < rdn.end) {
      if (!readTlv(b, q, rdn.end, atv) || atv.tag !== Tag.SEQUENCE) return undefined;
      q = atv.end;
      if (!readTlv(b, atv.start, atv.end, oid) || oid.tag !== Tag.OID) return undefined;
      if (!readTlv(b, oid.end, atv.end, val)) return undefined;
      if (!firstAttr) out.ascii(' + ');
      firstAttr = false;
      const dotted = oidText(b, oid.start, oid.end);
      out.ascii(`${ATTRIBUTE_NAMES[dotted] ?? `OID(${dotted})`}=`);
      if (TEXT_TAGS.has(val.tag)) {
        if (!isUtf8(b, val.start, val.end)) return undefined;
        out.bytes(b.subarray(val.start, val.end));
      } else if (val.tag === BMP_STRING) {
        if (!appendBmp(out, b, val.start, val.end)) return undefined;
      } else {
        out.ascii(Buffer.from(b.subarray(val.start, val.end)).toString('hex').toUpperCase());
      }
    }
  }
  return out.result();
}
