/** Parses a rule header: action protocol src sport direction dst dport. */
import type { RuleAction, RuleHeader } from '../ast.js';
import { compileAddress } from './addresses.js';
import { compilePort } from './ports.js';
import { clip } from './tokenize.js';
import type { RuleVars } from './variables.js';

const ACTIONS = new Set(['alert', 'drop', 'reject', 'rejectsrc', 'rejectdst', 'rejectboth', 'pass']);
/** Header protocols that name an application protocol (the flow must have it). */
export const APP_LAYER_PROTOCOLS: ReadonlySet<string> = new Set([
  'http',
  'http1',
  'http2',
  'tls',
  'ssl',
  'dns',
  'ssh',
  'smb',
  'ftp',
  'ftp-data',
  'smtp',
  'imap',
  'pop3',
  'dcerpc',
  'dhcp',
  'dnp3',
  'modbus',
  'enip',
  'nfs',
  'ntp',
  'tftp',
  'ikev2',
  'ike',
  'krb5',
  'snmp',
  'sip',
  'rfb',
  'mqtt',
  'rdp',
  'telnet',
]);

const PROTOCOLS = new Set([
  'ip',
  'ipv4',
  'ipv6',
  'tcp',
  'udp',
  'icmp',
  'icmpv4',
  'icmpv6',
  'sctp',
  'tcp-pkt',
  'tcp-stream',
  'udp-pkt',
  'pkthdr',
  'arp',
  ...APP_LAYER_PROTOCOLS,
]);

/** Caches compiled specs: ET repeats a handful of address/port texts thousands of times. */
export interface SpecCache {
  addresses: Map<string, ReturnType<typeof compileAddress>>;
  ports: Map<string, ReturnType<typeof compilePort>>;
}

export function newSpecCache(): SpecCache {
  return { addresses: new Map(), ports: new Map() };
}

/**
 * @example parseHeader('alert tcp $HOME_NET any -> any 80', defaultVars(), newSpecCache())
 */
export function parseHeader(text: string, vars: RuleVars, cache: SpecCache): RuleHeader | { error: string } {
  const parts = splitHeader(text);
  if (parts.length !== 7)
    return {
      error: `header needs 7 fields (action proto src sport dir dst dport), got ${parts.length}: "${clip(text)}"`,
    };
  const [action, proto, src, sport, dir, dst, dport] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!ACTIONS.has(action)) return { error: `unknown action "${clip(action)}"` };
  const protocol = proto.toLowerCase();
  if (!PROTOCOLS.has(protocol)) return { error: `unknown protocol "${clip(proto)}"` };
  if (dir !== '->' && dir !== '<>' && dir !== '=>')
    return { error: `bad direction "${clip(dir)}" (expected ->, <> or =>)` };
  const s = addr(src, vars, cache);
  if ('error' in s) return s;
  const d = addr(dst, vars, cache);
  if ('error' in d) return d;
  const sp = port(sport, vars, cache);
  if ('error' in sp) return sp;
  const dp = port(dport, vars, cache);
  if ('error' in dp) return dp;
  return {
    action: action as RuleAction,
    protocol,
    src: s,
    srcPorts: sp,
    direction: dir,
    dst: d,
    dstPorts: dp,
  };
}

function addr(t: string, vars: RuleVars, cache: SpecCache) {
  let v = cache.addresses.get(t);
  if (!v) {
    v = compileAddress(t, vars);
    if (cache.addresses.size < 100_000) cache.addresses.set(t, v);
  }
  return v;
}

function port(t: string, vars: RuleVars, cache: SpecCache) {
  let v = cache.ports.get(t);
  if (!v) {
    v = compilePort(t, vars);
    if (cache.ports.size < 100_000) cache.ports.set(t, v);
  }
  return v;
}

/** Splits on whitespace outside brackets, so `[1.2.3.4, 5.6.7.8]` stays one field. */
function splitHeader(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if ((ch === ' ' || ch === '\t') && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      if (out.length > 16) break;
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}
