/**
 * TLS handshake parser over the reassembled bytes of both directions of one
 * connection. Records (RFC 5246 section 6.2) are framed per direction,
 * handshake messages are put back together across records, and the facts
 * rules need land in one TlsTx: ClientHello (SNI, JA3), ServerHello (JA3S,
 * version), Certificate (every DER, leaf subject/issuer/serial/fingerprint/
 * validity). An SSLv2-compatible ClientHello gives only its version.
 *
 * Bounded state: a direction stops as soon as it has nothing more to give
 * (after its hello or certificate, at ChangeCipherSpec or application data,
 * after a TLS 1.3 ServerHello since the rest is encrypted, or at the first
 * malformed record), and its buffer is released. A handshake message may not
 * exceed `maxHandshakeBytes`, and at most `maxCerts` certificates are kept.
 */
import type { TlsTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import { md5Hex, parseClientHello, parseServerHello } from './hello.js';
import { certFingerprint, parseCertificate } from './x509.js';

export type TlsUpdate = 'client_hello' | 'server_hello' | 'certificate';

export interface TlsParserOptions {
  /** Called with the connection's one TlsTx each time a handshake part has been read. */
  onUpdate(tx: TlsTx, what: TlsUpdate): void;
  problems?: ProblemLog;
  /** Capture file name for problem reports. */
  file?: string;
  /** Largest handshake message accepted (default 256 KiB; a certificate chain is the big one). */
  maxHandshakeBytes?: number;
  /** Certificates kept from the chain (default 16); more are counted as a problem. */
  maxCerts?: number;
}

export interface TlsParser {
  /** Client-to-server stream bytes, in order; valid only during the call. */
  toServer(bytes: Uint8Array): void;
  /** Server-to-client stream bytes, in order. */
  toClient(bytes: Uint8Array): void;
  /** End of the connection: a handshake message cut short is reported. */
  end(): void;
  readonly tx: TlsTx;
}

const CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
const HEARTBEAT = 24;
/** TLSPlaintext may carry 2^14 bytes; TLSCiphertext up to 2^14 + 2048. */
const MAX_RECORD = 16384 + 2048;
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const CERTIFICATE = 11;
const SERVER_HELLO_DONE = 14;
const TLS13 = 0x0304;

interface Direction {
  readonly toServer: boolean;
  hdr: Uint8Array;
  hdrLen: number;
  recType: number;
  recLeft: number;
  recStart: number;
  records: number;
  hs: Uint8Array | null;
  hsLen: number;
  done: boolean;
  offset: number;
}

function newDirection(toServer: boolean): Direction {
  return {
    toServer,
    hdr: new Uint8Array(5),
    hdrLen: 0,
    recType: 0,
    recLeft: 0,
    recStart: 0,
    records: 0,
    hs: null,
    hsLen: 0,
    done: false,
    offset: 0,
  };
}

const u24 = (b: Uint8Array, at: number) => (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;

/**
 * One parser per TCP connection that looks like TLS.
 *
 * @example
 * const p = createTlsParser({ onUpdate: (tx, what) => { if (what === 'client_hello') sni = tx.sni; } });
 * p.toServer(clientBytes); p.toClient(serverBytes); p.end();
 */
export function createTlsParser(opts: TlsParserOptions): TlsParser {
  const maxHandshake = opts.maxHandshakeBytes ?? 256 * 1024;
  const maxCerts = opts.maxCerts ?? 16;
  const tx: TlsTx = {
    clientVersion: -1,
    serverVersion: -1,
    certs: [],
    clientHelloDone: false,
    serverHelloDone: false,
    certificateDone: false,
  };
  const client = newDirection(true);
  const server = newDirection(false);

  function problem(d: Direction, code: string, what: string, at = d.recStart): void {
    const side = d.toServer ? 'client-to-server' : 'server-to-client';
    opts.problems?.add({
      stage: 'session',
      code,
      message: `TLS ${side} stream byte ${at}: ${what}`,
      ...(opts.file !== undefined ? { file: opts.file } : {}),
    });
  }

  function stop(d: Direction): void {
    d.done = true;
    d.hs = null;
    d.hsLen = 0;
  }

  function clientHello(d: Direction, body: Uint8Array): void {
    const r = parseClientHello(body);
    if (typeof r === 'string') {
      problem(d, 'tls.bad-client-hello', r);
      stop(d);
      return;
    }
    tx.clientVersion = r.version;
    if (r.sni !== undefined) tx.sni = r.sni;
    tx.ja3 = { string: r.ja3, hash: md5Hex(r.ja3) };
    tx.clientHelloDone = true;
    opts.onUpdate(tx, 'client_hello');
    // Nothing after the ClientHello in this direction is needed.
    stop(d);
  }

  function serverHello(d: Direction, body: Uint8Array): void {
    const r = parseServerHello(body);
    if (typeof r === 'string') {
      problem(d, 'tls.bad-server-hello', r);
      stop(d);
      return;
    }
    tx.serverVersion = r.negotiated;
    tx.ja3s = { string: r.ja3s, hash: md5Hex(r.ja3s) };
    tx.serverHelloDone = true;
    opts.onUpdate(tx, 'server_hello');
    if (r.negotiated === TLS13) stop(d);
  }

  function certificate(d: Direction, body: Uint8Array): void {
    if (body.length < 3) {
      problem(d, 'tls.bad-certificate', 'Certificate message shorter than its list length');
      stop(d);
      return;
    }
    const end = Math.min(3 + u24(body, 0), body.length);
    let p = 3;
    let dropped = 0;
    while (p + 3 <= end) {
      const len = u24(body, p);
      if (p + 3 + len > end) {
        problem(d, 'tls.bad-certificate', 'certificate runs past the Certificate message');
        break;
      }
      if (tx.certs.length < maxCerts) tx.certs.push(body.slice(p + 3, p + 3 + len));
      else dropped++;
      p += 3 + len;
    }
    if (dropped > 0) {
      problem(d, 'tls.too-many-certificates', `${dropped} certificates past the first ${maxCerts} not kept`);
    }
    const leaf = tx.certs[0];
    if (leaf !== undefined) {
      tx.certFingerprint = Buffer.from(certFingerprint(leaf), 'latin1');
      const facts = parseCertificate(leaf);
      if (facts === undefined) {
        problem(d, 'tls.bad-certificate', 'leaf certificate is not a readable X.509 certificate');
      } else {
        tx.certSubject = facts.subject;
        tx.certIssuer = facts.issuer;
        tx.certSerial = Buffer.from(facts.serial, 'latin1');
        if (facts.notBefore !== undefined) tx.certNotBefore = facts.notBefore;
        if (facts.notAfter !== undefined) tx.certNotAfter = facts.notAfter;
      }
    }
    tx.certificateDone = true;
    opts.onUpdate(tx, 'certificate');
    stop(d);
  }

  function message(d: Direction, type: number, body: Uint8Array): void {
    if (d.toServer) {
      if (type === CLIENT_HELLO) clientHello(d, body);
    } else if (type === SERVER_HELLO && !tx.serverHelloDone) serverHello(d, body);
    else if (type === CERTIFICATE) certificate(d, body);
    else if (type === SERVER_HELLO_DONE) stop(d);
  }

  function appendHandshake(d: Direction, chunk: Uint8Array): void {
    const need = d.hsLen + chunk.length;
    // What stays buffered is one partial message (checked below), so one record more always fits.
    const cap = maxHandshake + 4 + MAX_RECORD;
    if (need > cap) {
      problem(
        d,
        'tls.handshake-too-long',
        `handshake message longer than ${maxHandshake} bytes; parsing stops`,
      );
      stop(d);
      return;
    }
    if (d.hs === null || d.hs.length < need) {
      let size = d.hs === null ? 4096 : d.hs.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(Math.min(size, cap));
      if (d.hs !== null) next.set(d.hs.subarray(0, d.hsLen));
      d.hs = next;
    }
    d.hs.set(chunk, d.hsLen);
    d.hsLen = need;
    let p = 0;
    while (!d.done && d.hsLen - p >= 4) {
      const hs: Uint8Array = d.hs!;
      const len = u24(hs, p + 1);
      if (len > maxHandshake) {
        problem(d, 'tls.handshake-too-long', `handshake message of ${len} bytes; parsing stops`);
        stop(d);
        return;
      }
      if (d.hsLen - p < 4 + len) break;
      message(d, hs[p]!, hs.subarray(p + 4, p + 4 + len));
      p += 4 + len;
    }
    if (d.done || d.hs === null) return;
    d.hs.copyWithin(0, p, d.hsLen);
    d.hsLen -= p;
  }

  /** Called when the 5 header bytes are in; sets up the record body or stops. */
  function startRecord(d: Direction): void {
    const h = d.hdr;
    d.records++;
    if (d.records === 1 && d.toServer && (h[0]! & 0x80) !== 0 && h[2] === CLIENT_HELLO) {
      // SSLv2-compatible ClientHello: 2-byte length, then type and version.
      tx.clientVersion = (h[3]! << 8) | h[4]!;
      tx.clientHelloDone = true;
      opts.onUpdate(tx, 'client_hello');
      stop(d);
      return;
    }
    const type = h[0]!;
    const len = (h[3]! << 8) | h[4]!;
    if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT || h[1] !== 3) {
      problem(
        d,
        'tls.bad-record',
        `not a TLS record header (type ${type}, version ${h[1]}.${h[2]}); parsing stops`,
      );
      stop(d);
      return;
    }
    if (len > MAX_RECORD) {
      problem(d, 'tls.record-too-long', `record of ${len} bytes exceeds ${MAX_RECORD}; parsing stops`);
      stop(d);
      return;
    }
    // From here on the handshake of this direction is encrypted.
    if (type === CHANGE_CIPHER_SPEC || type === APPLICATION_DATA) {
      stop(d);
      return;
    }
    d.recType = type;
    d.recLeft = len;
    if (len === 0) d.hdrLen = 0;
  }

  function feed(d: Direction, bytes: Uint8Array): void {
    const n = bytes.length;
    const base = d.offset;
    d.offset += n;
    let i = 0;
    while (i < n && !d.done) {
      if (d.hdrLen < 5) {
        if (d.hdrLen === 0) d.recStart = base + i;
        const take = Math.min(5 - d.hdrLen, n - i);
        d.hdr.set(bytes.subarray(i, i + take), d.hdrLen);
        d.hdrLen += take;
        i += take;
        if (d.hdrLen === 5) startRecord(d);
        continue;
      }
      const take = Math.min(d.recLeft, n - i);
      if (d.recType === HANDSHAKE) appendHandshake(d, bytes.subarray(i, i + take));
      i += take;
      d.recLeft -= take;
      if (d.recLeft === 0) d.hdrLen = 0;
    }
  }

  return {
    toServer: (bytes) => feed(client, bytes),
    toClient: (bytes) => feed(server, bytes),
    end() {
      for (const d of [client, server]) {
        if (!d.done && (d.hsLen > 0 || d.hdrLen > 0)) {
          problem(d, 'tls.truncated-handshake', 'connection ended inside a handshake record or message');
        }
        stop(d);
      }
    },
    tx,
  };
}
