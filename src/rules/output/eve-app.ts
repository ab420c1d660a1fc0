/**
 * The application context objects of an EVE alert (`http`, `dns`, `tls`,
 * `ssh`, `files`), built from the transaction the match came from. Fields
 * that are empty or unknown are left out, as Suricata leaves them out.
 */
import type { DnsTx, FileTx, HttpTx, SshTx, TlsTx } from '../../schema/app-tx.js';
import { eveCertDate, eveString, eveText } from './eve-text.js';

type Json = Record<string, unknown>;

const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** True when `name` equals the lower-case ASCII `want`, ignoring case. */
function nameIs(name: Uint8Array, want: string): boolean {
  if (name.length !== want.length) return false;
  for (let i = 0; i < name.length; i++) if (lower(name[i]!) !== want.charCodeAt(i)) return false;
  return true;
}

/** The first header value with this (lower-case) name. */
export function headerValue(headers: ReadonlyArray<[Uint8Array, Uint8Array]>, name: string) {
  for (const [n, v] of headers) if (nameIs(n, name)) return v;
  return undefined;
}

/** Sets `key` to the rendered bytes when there are any (Suricata omits empty values). */
function setBytes(o: Json, key: string, b: Uint8Array | undefined): void {
  if (b && b.length > 0) o[key] = eveString(b);
}

/** Host header → lower-case host name and port, brackets of an IPv6 literal removed. */
function splitHost(raw: Uint8Array): { host: Uint8Array; port?: number } {
  let end = raw.length;
  let start = 0;
  while (start < end && (raw[start] === 0x20 || raw[start] === 0x09)) start++;
  while (end > start && (raw[end - 1] === 0x20 || raw[end - 1] === 0x09)) end--;
  let hostEnd = end;
  let port: number | undefined;
  let colon = -1;
  for (let i = end - 1; i >= start; i--) {
    const c = raw[i]!;
    if (c === 0x3a) {
      colon = i;
      break;
    }
    if (c === 0x5d) break; // `]` closes an IPv6 literal: no port after it
  }
  if (colon >= 0) {
    let n = 0;
    let digits = 0;
    for (let i = colon + 1; i < end && digits < 6; i++, digits++) {
      const c = raw[i]!;
      if (c < 0x30 || c > 0x39) {
        digits = -1;
        break;
      }
      n = n * 10 + (c - 0x30);
    }
    if (digits > 0 && colon + 1 + digits === end && n <= 65535) {
      hostEnd = colon;
      port = n;
    }
  }
  let hs = start;
  let he = hostEnd;
  if (raw[hs] === 0x5b && raw[he - 1] === 0x5d) {
    hs++;
    he--;
  }
  const host = new Uint8Array(Math.max(0, he - hs));
  for (let i = 0; i < host.length; i++) host[i] = lower(raw[hs + i]!);
  return port === undefined ? { host } : { host, port };
}

function digitsValue(b: Uint8Array): number | undefined {
  if (b.length === 0 || b.length > 15) return undefined;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** Media type only: Suricata cuts the Content-Type at the first `;`. */
function mediaType(b: Uint8Array): Uint8Array {
  let end = b.indexOf(0x3b);
  if (end < 0) end = b.length;
  while (end > 0 && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
  return b.subarray(0, end);
}

/**
 * The `http` object: host, URL as sent, method, user agent, protocol, status, length ...
 * @example eveHttp(tx).url // '/index.php?option=com_jce'
 */
export function eveHttp(tx: HttpTx): Json {
  const o: Json = {};
  const host = headerValue(tx.requestHeaders, 'host') ?? headerValue(tx.requestHeaders, ':authority');
  if (host) {
    const h = splitHost(host);
    setBytes(o, 'hostname', h.host);
    if (h.port !== undefined) o.http_port = h.port;
  }
  setBytes(o, 'url', tx.rawUri ?? tx.uri);
  setBytes(o, 'http_user_agent', headerValue(tx.requestHeaders, 'user-agent'));
  const ctype = headerValue(tx.responseHeaders, 'content-type');
  if (ctype) setBytes(o, 'http_content_type', mediaType(ctype));
  setBytes(o, 'http_refer', headerValue(tx.requestHeaders, 'referer'));
  setBytes(o, 'http_method', tx.method);
  setBytes(o, 'protocol', tx.protocol);
  if (tx.statusCode && tx.statusCode.length > 0) {
    const n = digitsValue(tx.statusCode);
    if (n !== undefined && tx.statusCode.length === 3) o.status = n;
    else o.status_string = eveString(tx.statusCode);
  }
  setBytes(o, 'redirect', headerValue(tx.responseHeaders, 'location'));
  if (tx.responseHeadersDone) {
    const declared = headerValue(tx.responseHeaders, 'content-length');
    const n = declared ? digitsValue(declared) : undefined;
    o.length = n ?? tx.responseBodySeen ?? tx.responseBody.length;
  }
  if (tx.version === 2) o.version = '2';
  return o;
}

const RR_TYPES: Readonly<Record<number, string>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  10: 'NULL',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  35: 'NAPTR',
  39: 'DNAME',
  41: 'OPT',
  43: 'DS',
  44: 'SSHFP',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  52: 'TLSA',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  252: 'AXFR',
  255: 'ANY',
  256: 'URI',
  257: 'CAA',
};

const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

const rrType = (t: number) => RR_TYPES[t] ?? String(t);

/** The `dns` object in Suricata 8's version-3 layout. */
export function eveDns(tx: DnsTx): Json {
  const o: Json = { version: 3, type: tx.response ? 'response' : 'request', id: tx.txId };
  if (tx.response) {
    o.qr = true;
    o.rcode = RCODES[tx.rcode] ?? String(tx.rcode);
  }
  if (tx.queries.length > 0)
    o.queries = tx.queries.map((q) => ({ rrname: eveString(q.name), rrtype: rrType(q.type) }));
  if (tx.response && tx.answers.length > 0)
    o.answers = tx.answers.map((a) => ({
      rrname: eveString(a.name),
      rrtype: rrType(a.type),
      ttl: a.ttl,
      rdata: eveText(a.data),
    }));
  return o;
}

/** TLS record version as Suricata prints it ('TLS 1.2', 'SSLv3', or hex). */
export function tlsVersionName(v: number): string | undefined {
  if (v < 0) return undefined;
  switch (v) {
    case 0x0002:
    case 0x0200:
      return 'SSLv2';
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0304:
      return 'TLS 1.3';
    case 0:
      return 'UNDETERMINED';
    default:
      return `0x${v.toString(16).padStart(4, '0')}`;
  }
}

/** The `tls` object: SNI, certificate fields, version, JA3/JA3S. */
export function eveTls(tx: TlsTx): Json {
  const o: Json = {};
  setBytes(o, 'subject', tx.certSubject);
  setBytes(o, 'issuerdn', tx.certIssuer);
  setBytes(o, 'serial', tx.certSerial);
  setBytes(o, 'fingerprint', tx.certFingerprint);
  setBytes(o, 'sni', tx.sni);
  const version = tlsVersionName(tx.serverHelloDone ? tx.serverVersion : tx.clientVersion);
  if (version) o.version = version;
  const nb = tx.certNotBefore !== undefined ? eveCertDate(tx.certNotBefore) : undefined;
  const na = tx.certNotAfter !== undefined ? eveCertDate(tx.certNotAfter) : undefined;
  if (nb) o.notbefore = nb;
  if (na) o.notafter = na;
  if (tx.ja3) o.ja3 = { hash: eveText(tx.ja3.hash), string: eveText(tx.ja3.string) };
  if (tx.ja3s) o.ja3s = { hash: eveText(tx.ja3s.hash), string: eveText(tx.ja3s.string) };
  return o;
}

/** The `ssh` object: each side's protocol and software version from its banner. */
export function eveSsh(tx: SshTx): Json {
  const o: Json = {};
  const side = (proto?: Uint8Array, software?: Uint8Array) => {
    const s: Json = {};
    setBytes(s, 'proto_version', proto);
    setBytes(s, 'software_version', software);
    return Object.keys(s).length > 0 ? s : undefined;
  };
  const client = side(tx.clientProto, tx.clientSoftware);
  const server = side(tx.serverProto, tx.serverSoftware);
  if (client) o.client = client;
  if (server) o.server = server;
  return o;
}

/**
 * One `files` entry. The size is only claimed when every byte was kept;
 * Picket does not store or hash files, so `stored` is always false.
 */
export function eveFile(f: FileTx, txId: number | undefined): Json {
  const o: Json = {};
  setBytes(o, 'filename', f.name);
  o.gaps = false;
  o.state = f.done ? 'CLOSED' : 'OPEN';
  o.stored = false;
  if (!f.truncated) o.size = f.data.length;
  if (txId !== undefined) o.tx_id = txId;
  return o;
}
