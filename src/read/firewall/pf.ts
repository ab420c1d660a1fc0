/**
 * pf / pfSense / OPNsense `filterlog` CSV: rule,sub,anchor,tracker,iface,reason,
 * action,dir,ipver, then the IPv4 or IPv6 fields, then ports for TCP/UDP.
 */
import type { FirewallRecord } from './record.js';
import { portNumber, protoName } from './record.js';

/**
 * Parses a filterlog CSV message; undefined when the fields do not fit.
 *
 * @example parsePfMessage('5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,1.2.3.4,5.6.7.8,5555,22,0,S,1,,1024,,', ts, host, raw)
 */
export function parsePfMessage(
  msg: string,
  ts: number,
  host: string | undefined,
  raw: string,
): FirewallRecord | undefined {
  const f = msg.split(',');
  if (f.length < 18) return undefined;
  const action = f[6];
  if (action !== 'pass' && action !== 'block' && action !== 'match' && action !== 'scrub') return undefined;
  const ver = f[8];
  let protoText: string;
  let src: string | undefined;
  let dst: string | undefined;
  let len: string | undefined;
  let next: number;
  const attrs: Record<string, string | number> = {};
  if (ver === '4') {
    if (f.length < 20) return undefined;
    attrs.ttl = Number(f[11]) || 0;
    attrs.ipId = f[12]!;
    if (f[14]) attrs.ipFlags = f[14]!;
    protoText = f[16]!;
    len = f[17];
    src = f[18];
    dst = f[19];
    next = 20;
  } else if (ver === '6') {
    attrs.ttl = Number(f[11]) || 0;
    protoText = f[12]!;
    len = f[14];
    src = f[15];
    dst = f[16];
    next = 17;
  } else return undefined;
  if (!src || !dst) return undefined;
  const r: FirewallRecord = {
    reader: 'firewall',
    format: 'pf',
    kind: 'packet',
    action: action === 'pass' ? 'allowed' : action === 'block' ? 'denied' : 'unknown',
    ts,
    raw,
    src,
    dst,
    proto: protoName(protoText),
    attrs,
  };
  if (host !== undefined) r.host = host;
  if (f[0]) r.rule = f[0];
  if (f[4]) {
    if (f[7] === 'out') r.outIface = f[4];
    else r.inIface = f[4];
  }
  if (f[5]) attrs.reason = f[5];
  if (f[7]) attrs.direction = f[7];
  const bytes = Number(len);
  if (len && Number.isFinite(bytes)) r.bytes = bytes;
  if (r.proto === 'tcp' || r.proto === 'udp') {
    const sp = portNumber(f[next]);
    const dp = portNumber(f[next + 1]);
    if (sp !== undefined) r.srcPort = sp;
    if (dp !== undefined) r.dstPort = dp;
    if (r.proto === 'tcp' && f[next + 3]) attrs.flags = f[next + 3]!;
  }
  return r;
}
