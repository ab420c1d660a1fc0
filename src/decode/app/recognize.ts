/**
 * Application protocol recognition by content, not by port, from the first
 * bytes of a stream direction (TCP) or from one datagram (UDP). Names follow
 * Zeek's conn.log `service` values (`ssl` for TLS), since FlowRecord mirrors it.
 *
 * Each function answers a service name, `null` for "not one we know", or
 * `undefined` for "need more bytes" (TCP only), and looks at a bounded prefix.
 */

/** Bytes of a TCP direction worth keeping for recognition. */
export const RECOGNIZE_PREFIX = 512;

const HTTP_METHODS = [
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PATCH',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
];
const HTTP_METHOD_BYTES = HTTP_METHODS.map((m) => Buffer.from(`${m} `, 'latin1'));
const HTTP_RESPONSE = Buffer.from('HTTP/1.', 'latin1');
const SSH = Buffer.from('SSH-', 'latin1');

/** Compares `b` with `pat` over their common length: 1 match, 0 prefix of it (need more), -1 differs. */
function startsWith(b: Uint8Array, pat: Uint8Array, at = 0): number {
  const n = Math.min(b.length - at, pat.length);
  for (let i = 0; i < n; i++) if (b[at + i] !== pat[i]) return -1;
  return n === pat.length ? 1 : 0;
}

/** Line at `at` starts with an SMTP/FTP-style 3-digit reply code followed by space or dash. */
function replyCode(b: Uint8Array, code: string): number {
  if (b.length < 4) return startsWith(b, Buffer.from(code, 'latin1')) >= 0 ? 0 : -1;
  return startsWith(b, Buffer.from(code, 'latin1')) === 1 && (b[3] === 0x20 || b[3] === 0x2d) ? 1 : -1;
}

/** The first bytes are printable ASCII or line/tab controls, as text protocols start. */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 32);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if ((c < 0x20 || c > 0x7e) && c !== 0x0d && c !== 0x0a && c !== 0x09) return false;
  }
  return true;
}

function firstLine(b: Uint8Array): string | undefined {
  const lf = b.indexOf(10);
  if (lf < 0) return undefined;
  return Buffer.from(b.buffer, b.byteOffset, lf).toString('latin1');
}

/**
 * Recognises a TCP stream direction from its first bytes.
 *
 * @example
 * recognizeTcp(new TextEncoder().encode('GET / HTTP/1.1\r\n'), true); // 'http'
 * recognizeTcp(new TextEncoder().encode('GE'), true);                 // undefined (need more)
 */
export function recognizeTcp(b: Uint8Array, fromClient: boolean): string | null | undefined {
  if (b.length === 0) return undefined;
  let pending = false;
  // HTTP request (either side, in case the flow's direction was guessed wrong) or response.
  for (const m of HTTP_METHOD_BYTES) {
    const r = startsWith(b, m);
    if (r === 1) return 'http';
    if (r === 0) pending = true;
  }
  const resp = startsWith(b, HTTP_RESPONSE);
  if (resp === 1) return 'http';
  if (resp === 0) pending = true;
  // SSH: the client starts with its banner; a server may send other lines first.
  const ssh = startsWith(b, SSH);
  if (ssh === 1) return 'ssh';
  if (ssh === 0) pending = true;
  if (!fromClient && looksLikeText(b)) {
    for (let i = b.indexOf(10); i >= 0 && i + 1 < b.length; i = b.indexOf(10, i + 1)) {
      if (startsWith(b, SSH, i + 1) === 1) return 'ssh';
    }
    pending = true; // text from a server: an SSH line may still follow
  }
  const tls = recognizeTlsRecord(b);
  if (tls === 'ssl') return tls;
  if (tls === undefined) pending = true;
  // SMTP/FTP: the server greets with 220; the client's first command says which.
  if (!fromClient) {
    const r = replyCode(b, '220');
    if (r === 0) pending = true;
    if (r === 1) {
      const line = firstLine(b);
      if (line === undefined) pending = true;
      else if (/\bE?SMTP\b/i.test(line)) return 'smtp';
      else if (/FTP/i.test(line)) return 'ftp';
    }
  } else {
    const line = firstLine(b);
    if (line === undefined) pending = pending || looksLikeText(b);
    else if (/^(?:EHLO|HELO) \S/i.test(line)) return 'smtp';
  }
  if (pending && b.length < RECOGNIZE_PREFIX) return undefined;
  return null;
}

/** TLS handshake record carrying a ClientHello (1) or ServerHello (2). */
function recognizeTlsRecord(b: Uint8Array): string | null | undefined {
  if (b[0] !== 0x16) return null;
  if (b.length < 2) return undefined;
  if (b[1] !== 0x03) return null;
  if (b.length < 3) return undefined;
  if (b[2]! > 0x04) return null;
  if (b.length < 6) return undefined;
  const recLen = (b[3]! << 8) | b[4]!;
  if (recLen < 4 || recLen > 18432) return null;
  const hsType = b[5]!;
  if (hsType !== 1 && hsType !== 2) return null;
  if (b.length < 9) return undefined;
  const hsLen = (b[6]! << 16) | (b[7]! << 8) | b[8]!;
  // A hello body is at least version, random, session-id, suites and compression lengths.
  if (hsLen < 38) return null;
  if (b.length < 11) return undefined;
  return b[9] === 0x03 ? 'ssl' : null;
}

/**
 * Recognises a UDP datagram; today DNS (and mDNS/LLMNR, which share its shape).
 *
 * @example
 * recognizeUdp(dnsQueryBytes); // 'dns'
 */
export function recognizeUdp(b: Uint8Array): string | null {
  return looksLikeDns(b) ? 'dns' : null;
}

/** DNS header sanity plus a parse of the first question (or, with no question, a sane answer-only message). */
function looksLikeDns(b: Uint8Array): boolean {
  if (b.length < 12 || b.length > 65535) return false;
  const flags = (b[2]! << 8) | b[3]!;
  const opcode = (flags >> 11) & 0xf;
  if (opcode > 6 || opcode === 3) return false;
  if (flags & 0x0040) return false; // Z bit must be zero
  const qd = (b[4]! << 8) | b[5]!;
  const an = (b[6]! << 8) | b[7]!;
  const ns = (b[8]! << 8) | b[9]!;
  const ar = (b[10]! << 8) | b[11]!;
  if (qd > 16 || an > 512 || ns > 512 || ar > 512) return false;
  if (qd === 0) return (flags & 0x8000) !== 0 && an > 0 && b.length > 12 && nameEnd(b, 12) > 0;
  const end = nameEnd(b, 12);
  if (end < 0 || end + 4 > b.length) return false;
  const qclass = ((b[end + 2]! << 8) | b[end + 3]!) & 0x7fff; // top bit: mDNS unicast-response
  return qclass === 1 || qclass === 3 || qclass === 4 || qclass === 254 || qclass === 255;
}

/** Offset after a (possibly compressed) domain name at `off`, or -1 when malformed. */
function nameEnd(b: Uint8Array, off: number): number {
  let total = 0;
  for (let labels = 0; labels < 128 && off < b.length; labels++) {
    const len = b[off]!;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2 <= b.length ? off + 2 : -1;
    if (len > 63) return -1;
    total += len + 1;
    if (total > 255) return -1;
    off += len + 1;
  }
  return -1;
}
