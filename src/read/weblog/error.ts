/**
 * nginx and Apache (2.2 / 2.4) error logs.
 * nginx:  `2026/11/23 11:12:20 [error] 27357#27357: *2 open() ... failed, client: A, server: S, request: "GET / HTTP/1.1", host: "h"`
 * Apache: `[Mon Aug 31 09:30:48.958285 2015] [proxy_fcgi:error] [pid 1:tid 2] (70008)Text: [client A:port] AH01075: text`
 */
import { monthIndex } from '../syslog/time.js';
import { decodeLogEscapes } from './escapes.js';
import type { WeblogRecord } from './record.js';

const nginxPattern =
  /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[([a-z]+)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/;
const apachePattern =
  /^\[(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d+)? (\d{4})\] \[(?:([^\]:]*):)?([a-z0-9]+)\](?: \[pid (\d+)(?::tid (\d+))?\])?(?: ([\s\S]*))?$/;

const Q = '"((?:[^"\\\\]|\\\\.)*)"';
const nginxClient = /, client: ([^,\s]+)/;
const nginxServer = /, server: ([^,]*)/;
const nginxRequest = new RegExp(`, request: ${Q}`);
const nginxHost = new RegExp(`, host: ${Q}`);
const nginxReferrer = new RegExp(`, referrer: ${Q}`);

/** True when a line has an nginx or Apache error-log header. */
export function looksLikeErrorLine(line: string): boolean {
  return nginxPattern.test(line) || apachePattern.test(line);
}

/**
 * Parses one error-log line; undefined when it is neither form.
 *
 * @example parseErrorLine('[Mon Aug 31 16:27:04 2015] [error] [client 10.17.42.3] Premature end of script headers: x', 0)
 */
export function parseErrorLine(line: string, tzOffsetSeconds: number): WeblogRecord | undefined {
  if (line.charCodeAt(0) === 91) return parseApache(line, tzOffsetSeconds);
  return parseNginx(line, tzOffsetSeconds);
}

function parseNginx(line: string, tz: number): WeblogRecord | undefined {
  const m = nginxPattern.exec(line);
  if (!m) return undefined;
  const ts = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000 - tz;
  const rest = m[11]!;
  const r: WeblogRecord = {
    reader: 'weblog',
    format: 'nginx-error',
    ts,
    raw: line,
    level: m[7]!,
    http: {},
    attrs: { pid: +m[8]!, tid: +m[9]! },
  };
  if (m[10] !== undefined) r.attrs.connection = +m[10];
  const cut = rest.indexOf(', client: ');
  r.text = cut >= 0 ? rest.slice(0, cut) : rest;
  const c = nginxClient.exec(rest);
  if (c) r.src = c[1]!;
  const s = nginxServer.exec(rest);
  if (s?.[1]) r.attrs.server = s[1];
  const q = nginxRequest.exec(rest);
  if (q) {
    const req = decodeLogEscapes(q[1]!);
    const p = /^(\S+) (\S+)(?: HTTP\/(\d+(?:\.\d+)?))?$/.exec(req);
    if (p) {
      r.http.method = p[1]!;
      r.http.uri = p[2]!;
      if (p[3] !== undefined) r.http.version = p[3];
    } else r.attrs.request = req;
  }
  const h = nginxHost.exec(rest);
  if (h) r.http.host = decodeLogEscapes(h[1]!);
  const ref = nginxReferrer.exec(rest);
  if (ref) r.http.referrer = decodeLogEscapes(ref[1]!);
  return r;
}

function parseApache(line: string, tz: number): WeblogRecord | undefined {
  const m = apachePattern.exec(line);
  if (!m) return undefined;
  const month = monthIndex(m[1]!);
  if (month < 0) return undefined;
  const ts = Date.UTC(+m[7]!, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!) / 1000 - tz + (m[6] ? Number(m[6]) : 0);
  const r: WeblogRecord = {
    reader: 'weblog',
    format: 'apache-error',
    ts,
    raw: line,
    level: m[9]!,
    http: {},
    attrs: {},
  };
  r.attrs.timestamp = line.slice(1, line.indexOf(']'));
  if (m[8]) r.attrs.module = m[8];
  if (m[10] !== undefined) r.attrs.pid = +m[10];
  if (m[11] !== undefined) r.attrs.tid = Number(m[11]);
  let rest = m[12] ?? '';
  // "(70008)Partial results are valid ...: " is an APR status before the client.
  const apr = /^\((-?\d+)\)([^[]*?): (?=\[client )/.exec(rest);
  if (apr) {
    r.attrs.aprCode = apr[1]!;
    r.attrs.aprMessage = apr[2]!;
    rest = rest.slice(apr[0].length);
  }
  const client = /^\[client ([^\]]+)\] /.exec(rest);
  if (client) {
    splitClient(client[1]!, r);
    rest = rest.slice(client[0].length);
  }
  const code = /^(AH\d{5}): /.exec(rest);
  if (code) {
    r.attrs.errorCode = code[1]!;
    rest = rest.slice(code[0].length);
  }
  r.text = rest;
  return r;
}

/** "1.2.3.4:5", "[2001:db8::1]:5", "1.2.3.4" or a bare IPv6 address. */
function splitClient(s: string, r: WeblogRecord): void {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    r.src = v6[1]!;
    if (v6[2] !== undefined) r.srcPort = +v6[2];
    return;
  }
  const colon = s.lastIndexOf(':');
  if (colon > 0 && s.indexOf(':') === colon) {
    r.src = s.slice(0, colon);
    const p = Number(s.slice(colon + 1));
    if (Number.isInteger(p) && p >= 0 && p <= 65535) r.srcPort = p;
    return;
  }
  r.src = s;
}
