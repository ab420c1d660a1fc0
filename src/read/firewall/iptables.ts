/**
 * Linux netfilter LOG / nftables log lines (kernel log or syslog) and UFW:
 * `PREFIX IN=eth0 OUT= MAC=... SRC=a DST=b LEN=40 ... PROTO=TCP SPT=1 DPT=22 ... SYN URGP=0`.
 */
import type { LineContext } from '../syslog/types.js';
import { actionFromPrefix, type FirewallRecord, portNumber, protoName } from './record.js';

const kernelStamp = /^\[\s*\d+\.\d+\] ?/;

/** True when a message looks like a netfilter LOG line. */
export function isNetfilterMessage(msg: string): boolean {
  return msg.includes('SRC=') && msg.includes(' DST=') && (msg.startsWith('IN=') || msg.includes(' IN='));
}

/**
 * Parses a netfilter message (the text after `kernel: `); undefined when it is not one.
 *
 * @example parseNetfilterMessage('[ 1.0] DROP IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 LEN=40 PROTO=TCP SPT=1 DPT=22 SYN', 0, undefined, raw, ctx)
 */
export function parseNetfilterMessage(
  msg: string,
  ts: number,
  host: string | undefined,
  raw: string,
  ctx: LineContext,
): FirewallRecord | undefined {
  let text = msg;
  const ks = kernelStamp.exec(text);
  if (ks) text = text.slice(ks[0].length);
  let inAt = text.startsWith('IN=') ? 0 : text.indexOf(' IN=');
  if (inAt < 0) return undefined;
  const prefix = text.slice(0, inAt).trim();
  if (inAt > 0) inAt++;
  const ufw = prefix.startsWith('[UFW ');
  const r: FirewallRecord = {
    reader: 'firewall',
    format: ufw ? 'ufw' : 'iptables',
    kind: 'packet',
    action: actionFromPrefix(prefix, ctx.denyWords, ctx.allowWords),
    ts,
    raw,
    attrs: {},
  };
  if (host !== undefined) r.host = host;
  if (prefix) {
    r.rule = prefix;
    suseParts(prefix, r.attrs);
  }
  let flags = '';
  let i = inAt;
  const n = text.length;
  while (i < n) {
    let j = text.indexOf(' ', i);
    if (j < 0) j = n;
    if (j > i) {
      const c = text.charCodeAt(i);
      // "[SRC=... ]" is the packet quoted inside an ICMP error; "OPT (...)" is TCP options.
      if (c === 91 /* [ */) break;
      const eq = text.indexOf('=', i);
      if (eq > 0 && eq < j) applyField(r, text.slice(i, eq), text.slice(eq + 1, j));
      else {
        const word = text.slice(i, j);
        if (word === 'OPT') break;
        flags = flags ? `${flags} ${word}` : word;
      }
    }
    i = j + 1;
  }
  if (flags) r.attrs.flags = flags;
  if (r.src === undefined || r.dst === undefined) return undefined;
  return r;
}

function applyField(r: FirewallRecord, key: string, value: string): void {
  switch (key) {
    case 'IN':
      if (value) r.inIface = value;
      return;
    case 'OUT':
      if (value) r.outIface = value;
      return;
    case 'SRC':
      if (r.src === undefined) r.src = value;
      return;
    case 'DST':
      if (r.dst === undefined) r.dst = value;
      return;
    case 'PROTO':
      if (r.proto === undefined) r.proto = protoName(value);
      return;
    case 'SPT': {
      const p = portNumber(value);
      if (p !== undefined && r.srcPort === undefined) r.srcPort = p;
      return;
    }
    case 'DPT': {
      const p = portNumber(value);
      if (p !== undefined && r.dstPort === undefined) r.dstPort = p;
      return;
    }
    case 'LEN':
      // The first LEN is the IP length; a later one is the UDP length.
      if (r.bytes === undefined) {
        const v = Number(value);
        if (Number.isFinite(v) && v >= 0) r.bytes = v;
      } else if (r.attrs.l4len === undefined) r.attrs.l4len = value;
      return;
    case 'MAC':
      if (value.length >= 35) {
        r.attrs.dstMac = value.slice(0, 17);
        r.attrs.srcMac = value.slice(18, 35);
      }
      return;
    case 'TTL':
    case 'HOPLIMIT':
      r.attrs.ttl = Number(value) || 0;
      return;
    case 'ID':
      // The second ID of an ICMP echo line is the echo identifier.
      if (r.attrs.ipId === undefined) r.attrs.ipId = value;
      else r.attrs.icmpId = value;
      return;
    case 'TYPE':
      r.attrs.icmpType = Number(value) || 0;
      return;
    case 'CODE':
      r.attrs.icmpCode = Number(value) || 0;
      return;
    case 'WINDOW':
      r.attrs.window = Number(value) || 0;
      return;
    case 'TOS':
    case 'PREC':
    case 'TC':
    case 'FLOWLBL':
    case 'PHYSIN':
    case 'PHYSOUT':
    case 'MARK':
    case 'UID':
    case 'GID':
    case 'RES':
      r.attrs[key.toLowerCase()] = value;
      return;
    default:
      return;
  }
}

// SuSEfirewall2 prefixes: chain direction, zone and the rule's verdict, e.g. `SFW2-INext-DROP-DEFLT`.
const sfw2Prefix = /^SFW2-(IN|OUT|FWD)([a-z]*)-(\S+)$/;

/** Zone and verdict words of a SuSEfirewall2 log prefix, into attrs (sfw2Chain, sfw2Zone, sfw2Action). */
function suseParts(prefix: string, attrs: Record<string, string | number>): void {
  if (!prefix.startsWith('SFW2-')) return;
  const m = sfw2Prefix.exec(prefix);
  if (!m) return;
  attrs.sfw2Chain = m[1]!;
  if (m[2]) attrs.sfw2Zone = m[2];
  attrs.sfw2Action = m[3]!;
}
