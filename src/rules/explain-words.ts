/**
 * Small vocabularies for rule explanations: buffers, numbers, comparisons,
 * rate tracking, addresses and ports, and how a content pattern is shown.
 */
import type { NumberTest, NumOrVar, Transform } from './ast.js';
import { keyword } from './keywords/index.js';

/** Buffers in plain words; others fall back to the sticky keyword's own description. */
const BUFFER_WORDS: Readonly<Record<string, string>> = {
  pkt: 'the packet payload',
  'http.uri': 'the request URI (normalised)',
  'http.uri.raw': 'the request URI as sent',
  'http.method': 'the HTTP method',
  'http.user_agent': 'the User-Agent header',
  'http.host': 'the Host header (lower-cased)',
  'http.host.raw': 'the Host header as sent',
  'http.header': 'the HTTP headers',
  'http.header.raw': 'the HTTP headers as sent',
  'http.header_names': 'the HTTP header names',
  'http.cookie': 'the Cookie header',
  'http.request_body': 'the HTTP request body',
  'http.response_body': 'the HTTP response body',
  'file.data': 'the file data (HTTP body or attachment)',
  'http.stat_code': 'the HTTP status code',
  'http.stat_msg': 'the HTTP status message',
  'http.content_type': 'the Content-Type header',
  'http.content_len': 'the Content-Length header',
  'http.request_line': 'the HTTP request line',
  'http.response_line': 'the HTTP response line',
  'http.referer': 'the Referer header',
  'http.protocol': 'the HTTP version string',
  'http.server': 'the Server header',
  'http.location': 'the Location header',
  'dns.query': 'the DNS query name',
  'tls.sni': 'the TLS server name (SNI)',
  'tls.cert_subject': 'the TLS certificate subject',
  'tls.cert_issuer': 'the TLS certificate issuer',
  'tls.cert_serial': 'the TLS certificate serial number',
  'tls.cert_fingerprint': 'the TLS certificate fingerprint',
  'ja3.hash': 'the JA3 client fingerprint hash',
  'ja3.string': 'the JA3 client fingerprint string',
  'ja3s.hash': 'the JA3S server fingerprint hash',
  'ssh.proto': 'the SSH protocol version in the banner',
  'ssh.software': 'the SSH software version in the banner',
  base64_data: 'the base64-decoded data',
};

/**
 * @example bufferWords('http.user_agent') // 'the User-Agent header'
 */
export function bufferWords(buffer: string): string {
  const known = BUFFER_WORDS[buffer];
  if (known) return known;
  const d = keyword(buffer)?.description;
  const m = d ? /inspect (.+?)\.?$/.exec(d) : null;
  return m ? m[1]! : `the ${buffer} buffer`;
}

export const capitalize = (s: string) => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

/** Whether a byte is shown as itself inside a quoted pattern. */
const shownAsIs = (c: number) => c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x7c && c !== 0x5c;

/**
 * A pattern as readable text: printable bytes as themselves, others (and `"`,
 * `|`, `\`) as `|hex|` runs, so `User-Agent|3a| x` reads `User-Agent: x`.
 * @example showPattern(new Uint8Array([0x41, 0x3a, 0x0d, 0x0a])) // 'A:|0d 0a|'
 */
export function showPattern(bytes: Uint8Array, max = 200): string {
  let out = '';
  let inHex = false;
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (shownAsIs(c)) {
      if (inHex) out += '|';
      inHex = false;
      out += String.fromCharCode(c);
    } else {
      out += inHex ? ' ' : '|';
      inHex = true;
      out += c.toString(16).padStart(2, '0');
    }
  }
  if (inHex) out += '|';
  if (bytes.length > max) out += `… (${bytes.length} bytes)`;
  return out;
}

/** `5` → 'byte 5'; a variable → 'the value of NAME'. */
export function numOrVar(v: NumOrVar): string {
  return typeof v === 'number' ? String(v) : `the value in ${v.var}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export { plural };

/**
 * @example numberTest({ op: '<', value: 10 }) // 'less than 10'
 */
export function numberTest(t: NumberTest): string {
  switch (t.op) {
    case '=':
      return `exactly ${t.value}`;
    case '<':
      return `less than ${t.value}`;
    case '>':
      return `more than ${t.value}`;
    case '<=':
      return `at most ${t.value}`;
    case '>=':
      return `at least ${t.value}`;
    case '!=':
      return `anything but ${t.value}`;
    case 'between':
      return `between ${t.value} and ${t.max} (exclusive)`;
    case 'range':
      return `from ${t.value} to ${t.max}`;
    default:
      return `${t.op} ${t.value}`;
  }
}

/** 1 → '1st', 2 → '2nd', 11 → '11th'. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** 1 → 'once', 2 → 'twice', n → 'n times'. */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** A duration in seconds, in words. */
export function seconds(n: number): string {
  if (n % 3600 === 0 && n >= 3600) return n === 3600 ? 'hour' : `${n / 3600} hours`;
  if (n % 60 === 0 && n >= 60) return n === 60 ? '60 seconds' : `${n / 60} minutes`;
  return n === 1 ? 'second' : `${n} seconds`;
}

/** Threshold/detection_filter tracking in words. */
export function trackWords(track: string): string {
  switch (track) {
    case 'by_src':
      return 'per source';
    case 'by_dst':
      return 'per destination';
    case 'by_both':
      return 'per source and destination pair';
    case 'by_rule':
      return 'for the rule as a whole';
    case 'by_flow':
      return 'per connection';
    default:
      return track;
  }
}

/** Transforms applied before matching, in order. */
export function transformWords(ts: readonly Transform[]): string {
  return ts
    .map((t) => {
      if (t.name === 'pcrexform') return `pcrexform /${t.args.source}/`;
      if (t.name === 'from_base64') return 'from_base64 (base64-decoded)';
      return t.name;
    })
    .join(', then ');
}

/** Address variables that Suricata configurations conventionally define. */
const ADDRESS_VARS: Readonly<Record<string, string>> = {
  HOME_NET: 'your network',
  EXTERNAL_NET: 'outside your network',
  HTTP_SERVERS: 'your web servers',
  SMTP_SERVERS: 'your mail servers',
  SQL_SERVERS: 'your database servers',
  DNS_SERVERS: 'your DNS servers',
  TELNET_SERVERS: 'your telnet servers',
  DC_SERVERS: 'your domain controllers',
  AIM_SERVERS: 'AIM servers',
};

const PORT_VARS: Readonly<Record<string, string>> = {
  HTTP_PORTS: 'the web ports',
  SSH_PORTS: 'the SSH ports',
  FTP_PORTS: 'the FTP ports',
  ORACLE_PORTS: 'the Oracle ports',
  SHELLCODE_PORTS: 'any port but 80',
  FILE_DATA_PORTS: 'the web and mail ports',
};

/**
 * An address spec as written in the header, with its variable named.
 * @example addressWords('$EXTERNAL_NET') // 'outside your network ($EXTERNAL_NET)'
 */
export function addressWords(text: string): string {
  const t = text.trim();
  if (t === 'any') return 'any address';
  const v = /^(!?)\$([A-Za-z0-9_]+)$/.exec(t);
  if (v) {
    const name = ADDRESS_VARS[v[2]!] ?? `the address group`;
    return v[1] ? `anything outside ${name} (${t})` : `${name} (${t})`;
  }
  if (t.startsWith('!')) return `any address except ${t.slice(1)}`;
  return t.includes(',') || t.includes('[') ? `the addresses ${t}` : t;
}

/**
 * @example portWords('22') // 'port 22'
 */
export function portWords(text: string): string {
  const t = text.trim();
  if (t === 'any') return 'any port';
  const v = /^(!?)\$([A-Za-z0-9_]+)$/.exec(t);
  if (v) {
    const name = PORT_VARS[v[2]!] ?? 'the port group';
    return v[1] ? `any port outside ${name} (${t})` : `${name} (${t})`;
  }
  if (/^\d+$/.test(t)) return `port ${t}`;
  if (/^!\d+$/.test(t)) return `any port but ${t.slice(1)}`;
  if (/^\d*:\d*$/.test(t)) {
    const [lo, hi] = t.split(':');
    return `ports ${lo || '0'} to ${hi || '65535'}`;
  }
  return `ports ${t}`;
}

/** Header protocols in words. */
export function protocolWords(p: string): string {
  const known: Record<string, string> = {
    ip: 'any IP traffic',
    tcp: 'TCP',
    udp: 'UDP',
    icmp: 'ICMP',
    'tcp-pkt': 'TCP packets (not the reassembled stream)',
    'tcp-stream': 'the reassembled TCP stream',
    http: 'HTTP',
    http1: 'HTTP/1',
    http2: 'HTTP/2',
    tls: 'TLS',
    ssh: 'SSH',
    dns: 'DNS',
    smb: 'SMB',
    ftp: 'FTP',
    smtp: 'SMTP',
  };
  return known[p] ?? p.toUpperCase();
}
