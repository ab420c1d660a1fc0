/**
 * TLS handshake facts for the rule engine: the streaming parser, the hello
 * and certificate readers it uses, and a first-bytes test for recognition.
 */

export { isGrease, md5Hex, parseClientHello, parseServerHello } from './hello.js';
export { createTlsParser, type TlsParser, type TlsParserOptions, type TlsUpdate } from './parser.js';
export { type CertFacts, certFingerprint, colonHex, parseAsn1Time, parseCertificate } from './x509.js';
export { renderName } from './x509-name.js';

/**
 * True when the first bytes of a direction look like the start of TLS: a
 * handshake record of version 3.x carrying a ClientHello or ServerHello, or
 * an SSLv2-compatible ClientHello. Fewer bytes than needed to decide count as
 * "could be", so the caller can wait for more.
 *
 * @example
 * looksLikeTls(Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01)) === true
 */
export function looksLikeTls(first: Uint8Array): boolean {
  const n = first.length;
  if (n === 0) return false;
  const b0 = first[0]!;
  if (b0 === 0x16) {
    if (n >= 2 && first[1] !== 0x03) return false;
    if (n >= 3 && first[2]! > 0x04) return false;
    if (n >= 5) {
      const len = (first[3]! << 8) | first[4]!;
      if (len < 4 || len > 16384 + 2048) return false;
    }
    if (n >= 6 && first[5] !== 1 && first[5] !== 2) return false;
    return true;
  }
  if ((b0 & 0x80) !== 0) {
    // SSLv2 header: 15-bit length, then msg type 1 and a version 0.2 or 3.x.
    if (n >= 2 && (((b0 & 0x7f) << 8) | first[1]!) < 9) return false;
    if (n >= 3 && first[2] !== 1) return false;
    if (n >= 4 && first[3] !== 0x00 && first[3] !== 0x03) return false;
    if (n >= 5 && first[3] === 0x00 && first[4] !== 0x02) return false;
    return true;
  }
  return false;
}
