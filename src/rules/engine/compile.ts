/**
 * Turns a parsed Rule into what the detector runs: the kind of packets it
 * applies to, whether it inspects packets/streams or application
 * transactions, its payload matches grouped per buffer, and its non-payload
 * conditions sorted into tests (checked before the match) and actions
 * (applied after it).
 */
import type { NumberTest, PayloadMatch, Rule } from '../ast.js';
import { httpBufferDirection } from '../buffers/http.js';
import type { AppLayerProtocolOption } from '../keywords/app-layer.js';
import type { DatasetCondition } from '../keywords/dataset.js';
import type { FlowOption } from '../keywords/flow.js';
import type { FlowbitsOption } from '../keywords/flowbits.js';
import type { FlagsOption, FragbitsOption } from '../keywords/packet-header.js';
import { APP_LAYER_PROTOCOLS } from '../parse/header.js';
import { type BufferList, compileList } from './inspect.js';

/** Application protocol family of a transaction buffer. */
export type TxProto = 'http' | 'dns' | 'tls' | 'ssh' | 'file' | 'smb' | 'smtp';

/** Which side of a transaction a rule needs. */
export type TxSide = 'request' | 'response' | 'both' | 'either';

export interface CompiledRule {
  rule: Rule;
  /** Position in the loaded set (stable id for per-flow state). */
  index: number;
  /** IP protocol required (6, 17, 1, 58) or -1 for any IP; -2 for ARP. */
  ipProto: number;
  /** 4 or 6 for ipv4/ipv6 rules, 0 for either. */
  ipVersion: number;
  /** Application protocol the flow must have ('http', 'dns' ...); undefined for transport rules. */
  appProto?: string;
  /** tcp-pkt: packet payload only; tcp-stream: reassembled stream only. */
  payloadMode: 'both' | 'packet' | 'stream';
  /** 'tx' when some buffer belongs to an application transaction. */
  kind: 'packet' | 'tx';
  txProto?: TxProto;
  side: TxSide;
  /** Buffers in rule order. */
  lists: BufferList[];
  /** True when the rule has a packet-payload list (pkt) or header-buffer lists. */
  hasPayload: boolean;
  flow?: FlowOption;
  flags?: FlagsOption;
  fragbits?: FragbitsOption;
  dsize?: NumberTest;
  urilen?: { test: NumberTest; raw: boolean };
  /** Numeric header tests by keyword (ttl, itype, icode, id, tos, window, seq, ack, icmp_id, icmp_seq, fragoffset). */
  numeric: Array<{ keyword: string; test: NumberTest }>;
  ipProtoTest?: NumberTest;
  ipopts?: string;
  sameip: boolean;
  appLayer: AppLayerProtocolOption[];
  streamSize?: { side: 'server' | 'client' | 'both' | 'either'; test: NumberTest };
  flowbitTests: FlowbitsOption[];
  flowbitActions: FlowbitsOption[];
  /** Conditions handled by other engine modules (xbits, flowint, dataset ...), in rule order. */
  other: Array<{ keyword: string; value: unknown }>;
  noalert: boolean;
  /** app-layer-event names (`http.request_body_unexpected`). */
  appEvents: string[];
  /** Uses flowbits, flowint or xbits (tests or actions). */
  hasState: boolean;
  /** Inspects a body (or tests a buffer's absence): only when that side of the transaction is done. */
  needsBody: boolean;
  /** TLS conditions (tls.version, ssl_version, ssl_state, legacy tls.subject ...). */
  tls: Array<{ keyword: string; value: unknown }>;
  /** dataset / datarep tests, each on its own buffer. */
  datasets: DatasetCondition[];
  /** `absent` tests by buffer. */
  absent: Array<{ buffer: string; orElse: boolean }>;
  /** Rule action drop/reject: blocks under IPS simulation. */
  blocks: boolean;
  pass: boolean;
}

const HEADER_BUFFERS = new Set(['ipv4.hdr', 'ipv6.hdr', 'tcp.hdr', 'udp.hdr', 'icmpv4.hdr', 'icmpv6.hdr']);

const IP_PROTO: Record<string, number> = {
  tcp: 6,
  'tcp-pkt': 6,
  'tcp-stream': 6,
  udp: 17,
  'udp-pkt': 17,
  icmp: 1,
  icmpv4: 1,
  icmpv6: 58,
  sctp: 132,
};

/** Non-HTTP buffers that exist only in the response (to_client) side; HTTP's come from buffers/http.ts. */
const RESPONSE_BUFFERS = new Set([
  'tls.cert_subject',
  'tls.cert_issuer',
  'tls.cert_serial',
  'tls.cert_fingerprint',
  'tls.certs',
  'ja3s.hash',
  'ja3s.string',
]);

/** Buffers that exist only once a message's body is complete. */
const BODY_BUFFERS = new Set(['http.request_body', 'http.response_body', 'file.data']);

/** Non-HTTP buffers of both sides; everything else in a non-HTTP transaction is request side. */
const EITHER_BUFFERS = new Set(['file.data', 'ssh.proto', 'ssh.software']);

/** Which side of a transaction a buffer belongs to: HTTP's from the HTTP module, the rest from the sets above. */
function sideOf(buffer: string, t: TxProto): 'request' | 'response' | 'either' {
  const hd = t === 'http' ? httpBufferDirection(buffer) : undefined;
  if (hd === 'to_client' || (hd === undefined && RESPONSE_BUFFERS.has(buffer))) return 'response';
  if (hd === 'to_server' || (hd === undefined && !EITHER_BUFFERS.has(buffer))) return 'request';
  return 'either';
}

/** The transaction family of a buffer name; undefined for packet buffers. */
export function txProtoOf(buffer: string, headerProto: string): TxProto | undefined {
  if (buffer === 'pkt' || HEADER_BUFFERS.has(buffer) || buffer === 'base64_data') return undefined;
  if (buffer.startsWith('http.')) return 'http';
  if (buffer === 'file.data') {
    if (headerProto === 'smb') return 'smb';
    if (headerProto === 'smtp') return 'smtp';
    if (headerProto.startsWith('http')) return 'http';
    return 'file';
  }
  if (buffer.startsWith('dns.')) return 'dns';
  if (buffer.startsWith('tls.') || buffer.startsWith('ja3')) return 'tls';
  if (buffer.startsWith('ssh.')) return 'ssh';
  if (buffer.startsWith('smb.')) return 'smb';
  if (buffer.startsWith('smtp.')) return 'smtp';
  return 'file';
}

/** Groups the payload matches by buffer and transform chain, keeping rule order. */
function groupMatches(matches: PayloadMatch[]): BufferList[] {
  const out: BufferList[] = [];
  let cur: PayloadMatch[] = [];
  let key = '';
  const flush = () => {
    if (cur.length > 0) out.push(compileList(cur[0]!.buffer, cur));
    cur = [];
  };
  for (const m of matches) {
    const k = `${m.buffer}\u0000${JSON.stringify(m.transforms)}`;
    if (k !== key) {
      // A buffer named again later continues its earlier list (Snort modifiers interleave).
      const earlier = out.findIndex((l) => `${l.buffer}\u0000${JSON.stringify(l.transforms)}` === k);
      flush();
      if (earlier >= 0) {
        const prev = out.splice(earlier, 1)[0]!;
        cur = [...prev.matches];
      }
      key = k;
    }
    cur.push(m);
  }
  flush();
  return out;
}

/**
 * @example compileRule(rule, 0).kind // 'tx' for a rule with http.uri content
 */
export function compileRule(rule: Rule, index: number): CompiledRule {
  const proto = rule.header.protocol;
  const lists = groupMatches(rule.matches);
  let txProto: TxProto | undefined;
  let request = false;
  let response = false;
  for (const l of lists) {
    const t = txProtoOf(l.buffer, proto);
    if (t === undefined) continue;
    txProto ??= t;
    const side = sideOf(l.buffer, t);
    if (side === 'response') response = true;
    else if (side === 'request') request = true;
  }
  const c: CompiledRule = {
    rule,
    index,
    ipProto:
      IP_PROTO[proto] ??
      (proto === 'pkthdr' || proto === 'ip' || proto === 'ipv4' || proto === 'ipv6' ? -1 : 6),
    ipVersion: proto === 'ipv4' ? 4 : proto === 'ipv6' ? 6 : 0,
    payloadMode:
      proto === 'tcp-pkt' || proto === 'udp-pkt' ? 'packet' : proto === 'tcp-stream' ? 'stream' : 'both',
    kind: txProto !== undefined ? 'tx' : 'packet',
    side: 'either',
    lists,
    hasPayload: lists.some((l) => txProtoOf(l.buffer, proto) === undefined),
    numeric: [],
    sameip: false,
    appLayer: [],
    flowbitTests: [],
    flowbitActions: [],
    other: [],
    noalert: false,
    absent: [],
    datasets: [],
    tls: [],
    hasState: rule.conditions.some(
      (x) => x.keyword === 'flowbits' || x.keyword === 'flowint' || x.keyword === 'xbits',
    ),
    needsBody: false,
    appEvents: [],
    blocks: rule.header.action.startsWith('drop') || rule.header.action.startsWith('reject'),
    pass: rule.header.action === 'pass',
  };
  if (APP_LAYER_PROTOCOLS.has(proto)) {
    c.appProto = proto === 'ssl' ? 'tls' : proto;
    // UDP-only application protocols.
    if (
      proto === 'dhcp' ||
      proto === 'ntp' ||
      proto === 'tftp' ||
      proto === 'snmp' ||
      proto === 'ikev2' ||
      proto === 'ike'
    )
      c.ipProto = 17;
    else if (proto === 'dns' || proto === 'sip' || proto === 'krb5' || proto === 'nfs') c.ipProto = -1;
  }
  if (txProto !== undefined) c.txProto = txProto;
  if (proto === 'arp') c.ipProto = -2;
  for (const cond of rule.conditions) {
    const v = cond.value;
    switch (cond.keyword) {
      case 'flow':
        c.flow = v as FlowOption;
        break;
      case 'flags':
        c.flags = v as FlagsOption;
        break;
      case 'fragbits':
        c.fragbits = v as FragbitsOption;
        break;
      case 'dsize':
        c.dsize = v as NumberTest;
        break;
      case 'urilen':
        c.urilen = v as { test: NumberTest; raw: boolean };
        if (c.kind === 'packet') {
          c.kind = 'tx';
          c.txProto = 'http';
        }
        request = true;
        break;
      case 'ip_proto':
        c.ipProtoTest = v as NumberTest;
        break;
      case 'ipopts':
        c.ipopts = v as string;
        break;
      case 'sameip':
        c.sameip = true;
        break;
      case 'app-layer-protocol':
        c.appLayer.push(v as AppLayerProtocolOption);
        break;
      case 'stream_size':
        c.streamSize = v as CompiledRule['streamSize'];
        break;
      case 'noalert':
        c.noalert = true;
        break;
      case 'app-layer-event':
        c.appEvents.push(String(v ?? '').trim());
        if (String(v ?? '').startsWith('http.') && c.kind === 'packet') {
          c.kind = 'tx';
          c.txProto = 'http';
        }
        break;
      case 'tls.version':
      case 'ssl_version':
      case 'ssl_state':
      case 'tls.subject':
      case 'tls.issuerdn':
      case 'tls.fingerprint':
        c.tls.push(cond);
        if (c.kind === 'packet') {
          c.kind = 'tx';
          c.txProto = 'tls';
        }
        break;
      case 'dataset':
      case 'datarep':
        c.datasets.push(v as DatasetCondition);
        break;
      case 'absent':
        c.absent.push(v as { buffer: string; orElse: boolean });
        break;
      case 'flowbits': {
        const fb = v as FlowbitsOption;
        if (fb.command === 'noalert') c.noalert = true;
        else if (fb.command === 'isset' || fb.command === 'isnotset') c.flowbitTests.push(fb);
        else c.flowbitActions.push(fb);
        break;
      }
      case 'itype':
      case 'icode':
      case 'icmp_id':
      case 'icmp_seq':
      case 'ttl':
      case 'id':
      case 'tos':
      case 'window':
      case 'seq':
      case 'ack':
      case 'fragoffset':
        c.numeric.push({ keyword: cond.keyword, test: v as NumberTest });
        break;
      default:
        c.other.push(cond);
    }
  }
  for (const a of [...c.absent, ...c.datasets]) {
    const t = txProtoOf(a.buffer, proto);
    if (t === undefined) continue;
    c.txProto ??= t;
    c.kind = 'tx';
    const side = sideOf(a.buffer, t);
    if (side === 'response') response = true;
    else if (side === 'request') request = true;
  }
  c.needsBody =
    c.absent.length > 0 ||
    c.appEvents.length > 0 ||
    lists.some((l) => BODY_BUFFERS.has(l.buffer) || l.buffer === 'pkt' || l.buffer === 'base64_data');
  if (c.flow?.direction === 'to_server') c.side = 'request';
  else if (c.flow?.direction === 'to_client') c.side = 'response';
  else if ((request && response) || rule.header.direction === '=>') c.side = 'both';
  else if (response) c.side = 'response';
  else if (request) c.side = 'request';
  else c.side = 'either';
  if (c.txProto === undefined && c.kind === 'tx') c.kind = 'packet';
  return c;
}
