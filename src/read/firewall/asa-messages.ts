/**
 * The table of Cisco ASA/PIX message bodies (text after `%ASA-n-id: `): a
 * pattern per message family and how its groups become record fields.
 */
import { type FirewallAction, type FirewallKind, portNumber, protoName } from './record.js';

export interface Fields {
  kind: FirewallKind;
  action: FirewallAction;
  src?: string;
  srcPort?: number;
  dst?: string;
  dstPort?: number;
  proto?: string;
  inIface?: string;
  outIface?: string;
  rule?: string;
  bytes?: number;
  attrs: Record<string, string | number>;
}

export type Build = (m: RegExpExecArray) => Fields;
export interface Body {
  ids: readonly string[];
  re: RegExp;
  build: Build;
}

const verbAction = (v: string): FirewallAction => {
  const w = v.toLowerCase();
  if (w.startsWith('den') || w.startsWith('drop') || w === 'discarded') return 'denied';
  if (w.startsWith('permit') || w === 'built' || w === 'est-allowed') return 'allowed';
  return 'unknown';
};

/** Adds optional numeric/text attributes without writing undefined values. */
function put(attrs: Record<string, string | number>, key: string, v: string | number | undefined): void {
  if (v !== undefined && v !== '') attrs[key] = v;
}

function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

const IF = '([^:\\s/]+)'; // interface name
export const asaBodies: readonly Body[] = [
  {
    ids: ['106001'],
    re: /^(Inbound|Outbound) (\S+) connection (denied|permitted) from (\S+)\/(\d+) to (\S+)\/(\d+) flags (.*?) on interface (\S+)/,
    build: (m) => ({
      kind: 'packet',
      action: verbAction(m[3]!),
      proto: protoName(m[2]!),
      src: m[4]!,
      srcPort: +m[5]!,
      dst: m[6]!,
      dstPort: +m[7]!,
      outIface: m[9]!,
      attrs: { direction: m[1]!, flags: m[8]!, outcome: m[3]! },
    }),
  },
  {
    ids: ['106006', '106007', '106010'],
    re: /^(Deny|Permit) (inbound|outbound) (\S+) from (\S+)\/(\d+) to (\S+)\/(\d+)(?: due to (.*?))? on interface (\S+)/,
    build: (m) => {
      const f: Fields = {
        kind: 'packet',
        action: verbAction(m[1]!),
        proto: protoName(m[3]!),
        src: m[4]!,
        srcPort: +m[5]!,
        dst: m[6]!,
        dstPort: +m[7]!,
        outIface: m[9]!,
        attrs: { direction: m[2]!, outcome: m[1]! },
      };
      put(f.attrs, 'reason', m[8]);
      return f;
    },
  },
  {
    ids: ['106014'],
    re: new RegExp(
      `^(Deny|Permit) (inbound|outbound) (icmp|icmp6) src ${IF}:(\\S+?) dst ${IF}:(\\S+?) ?\\(type (\\d+), code (\\d+)\\)`,
    ),
    build: (m) => ({
      kind: 'packet',
      action: verbAction(m[1]!),
      proto: protoName(m[3]!),
      inIface: m[4]!,
      src: m[5]!,
      outIface: m[6]!,
      dst: m[7]!,
      attrs: { direction: m[2]!, outcome: m[1]!, icmpType: +m[8]!, icmpCode: +m[9]! },
    }),
  },
  {
    ids: ['106015'],
    re: /^(Deny) (\S+) \(no connection\) from (\S+)\/(\d+) to (\S+)\/(\d+) flags (.*?) on interface (\S+)/,
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      proto: protoName(m[2]!),
      src: m[3]!,
      srcPort: +m[4]!,
      dst: m[5]!,
      dstPort: +m[6]!,
      outIface: m[8]!,
      attrs: { outcome: m[1]!, flags: m[7]! },
    }),
  },
  {
    ids: ['106021'],
    re: /^(Deny) (\S+) reverse path check from (\S+) to (\S+) on interface (\S+)/,
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      proto: protoName(m[2]!),
      src: m[3]!,
      dst: m[4]!,
      outIface: m[5]!,
      attrs: { outcome: m[1]!, reason: 'reverse path check' },
    }),
  },
  {
    ids: ['106023'],
    re: new RegExp(
      `^(Deny) (?:protocol (\\d+)|(\\S+)) src ${IF}:(\\S+?)(?:/(\\d+))? dst ${IF}:(\\S+?)(?:/(\\d+))?(?: ?\\(type (\\d+), code (\\d+)\\))? by access-group "([^"]*)"`,
    ),
    build: (m) => {
      const f: Fields = {
        kind: 'packet',
        action: 'denied',
        proto: protoName(m[2] ?? m[3]!),
        inIface: m[4]!,
        src: m[5]!,
        outIface: m[7]!,
        dst: m[8]!,
        rule: m[12]!,
        attrs: { outcome: m[1]! },
      };
      const sp = portNumber(m[6]);
      const dp = portNumber(m[9]);
      if (sp !== undefined) f.srcPort = sp;
      if (dp !== undefined) f.dstPort = dp;
      put(f.attrs, 'icmpType', num(m[10]));
      put(f.attrs, 'icmpCode', num(m[11]));
      return f;
    },
  },
  {
    ids: ['106100'],
    re: new RegExp(
      `^access-list (\\S+) (permitted|denied|est-allowed) (\\S+) ${IF}/(\\S+?)\\((\\d+)\\)(?:\\(\\S*\\))? -> ${IF}/(\\S+?)\\((\\d+)\\)(?:\\(\\S*\\))? hit-cnt (\\d+)(?: (.*?))?(?: \\[.*)?$`,
    ),
    build: (m) => {
      const f: Fields = {
        kind: 'packet',
        action: verbAction(m[2]!),
        rule: m[1]!,
        proto: protoName(m[3]!),
        inIface: m[4]!,
        src: m[5]!,
        srcPort: +m[6]!,
        outIface: m[7]!,
        dst: m[8]!,
        dstPort: +m[9]!,
        attrs: { outcome: m[2]!, hitCount: +m[10]! },
      };
      put(f.attrs, 'interval', m[11]);
      return f;
    },
  },
  {
    ids: ['110002', '110003'],
    re: new RegExp(
      `^(Failed to locate egress interface|Routing failed to locate next hop) for (\\S+) from ${IF}:(\\S+)/(\\d+) to (\\S+)/(\\d+)`,
    ),
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      proto: protoName(m[2]!),
      inIface: m[3]!,
      src: m[4]!,
      srcPort: +m[5]!,
      dst: m[6]!,
      ...(portNumber(m[7]) !== undefined ? { dstPort: portNumber(m[7])! } : {}),
      attrs: { reason: m[1]! },
    }),
  },
  {
    ids: ['302013', '302014', '302015', '302016', '302017', '302018'],
    re: new RegExp(
      `^(Built|Teardown) (?:(inbound|outbound) )?(\\S+) connection (\\d+) for ${IF}:(\\S+?)/(\\d+) (?:\\((\\S+?)/(\\d+)\\))?(?:\\(\\S*\\))? ?to ${IF}:(\\S+?)/(\\d+) ?(?:\\((\\S+?)/(\\d+)\\))?(?:\\(\\S*\\))?(?: duration (\\S+) bytes (\\d+))?(?: (.*))?$`,
    ),
    build: (m) => {
      // "for" names the foreign side and "to" the local one; an outbound connection starts at the local side.
      const outbound = m[2] === 'outbound';
      const a = { iface: m[5]!, ip: m[6]!, port: +m[7]!, nat: m[8], natPort: m[9] };
      const b = { iface: m[10]!, ip: m[11]!, port: +m[12]!, nat: m[13], natPort: m[14] };
      const [s, d] = outbound ? [b, a] : [a, b];
      const f: Fields = {
        kind: m[1] === 'Built' ? 'conn-open' : 'conn-close',
        action: m[1] === 'Built' ? 'allowed' : 'unknown',
        proto: protoName(m[3]!),
        inIface: s.iface,
        src: s.ip,
        srcPort: s.port,
        outIface: d.iface,
        dst: d.ip,
        dstPort: d.port,
        attrs: { outcome: m[1]!, connId: m[4]! },
      };
      put(f.attrs, 'direction', m[2]);
      put(f.attrs, 'srcNatIp', s.nat);
      put(f.attrs, 'srcNatPort', num(s.natPort));
      put(f.attrs, 'dstNatIp', d.nat);
      put(f.attrs, 'dstNatPort', num(d.natPort));
      put(f.attrs, 'duration', m[15]);
      if (m[16] !== undefined) f.bytes = +m[16];
      put(f.attrs, 'reason', m[17]);
      return f;
    },
  },
  {
    ids: ['302020', '302021'],
    re: /^(Built|Teardown) (?:(inbound|outbound) )?(ICMP|ICMPv6) connection for faddr (\S+?)\/(\d+)(?:\(\S*\))? gaddr (\S+?)\/(\d+) laddr (\S+?)\/(\d+)/,
    build: (m) => {
      const inbound = m[2] === 'inbound';
      const f: Fields = {
        kind: m[1] === 'Built' ? 'conn-open' : 'conn-close',
        action: m[1] === 'Built' ? 'allowed' : 'unknown',
        proto: protoName(m[3]!),
        // An inbound echo starts at the foreign address; otherwise at the local one.
        src: inbound ? m[4]! : m[8]!,
        dst: inbound ? m[8]! : m[4]!,
        attrs: { outcome: m[1]!, icmpSeq: +m[5]!, icmpType: +m[9]!, natIp: m[6]! },
      };
      put(f.attrs, 'direction', m[2]);
      return f;
    },
  },
  {
    ids: ['304001'],
    re: /^(\S+?)(?:\((.*)\))? Accessed (?:JAVA )?URL (\S+?):(.*)$/,
    build: (m) => {
      const f: Fields = { kind: 'other', action: 'allowed', src: m[1]!, dst: m[3]!, attrs: { url: m[4]! } };
      put(f.attrs, 'user', m[2]);
      return f;
    },
  },
  {
    ids: ['305011', '305012'],
    re: new RegExp(
      `^(Built|Teardown) (dynamic|static) (\\S+) translation from ${IF}:(\\S+?)(?:/(\\d+))? to ${IF}:(\\S+?)(?:/(\\d+))?(?: duration (\\S+))?$`,
    ),
    build: (m) => {
      const f: Fields = {
        kind: 'nat',
        action: 'unknown',
        proto: protoName(m[3]!),
        inIface: m[4]!,
        src: m[5]!,
        outIface: m[7]!,
        attrs: { outcome: m[1]!, natType: m[2]!, natIp: m[8]! },
      };
      const sp = portNumber(m[6]);
      if (sp !== undefined) f.srcPort = sp;
      put(f.attrs, 'natPort', num(m[9]));
      return f;
    },
  },
  {
    ids: ['313001', '313004', '313008'],
    re: /^Denied (ICMP|ICMPv6) type=(\d+), (?:code=(\d+) )?from (?:laddr )?(\S+?) on interface (\S+)(?: to (\S+))?/,
    build: (m) => {
      const f: Fields = {
        kind: 'packet',
        action: 'denied',
        proto: protoName(m[1]!),
        src: m[4]!,
        outIface: m[5]!,
        attrs: { outcome: 'Denied', icmpType: +m[2]! },
      };
      put(f.attrs, 'icmpCode', num(m[3]));
      if (m[6] !== undefined) f.dst = m[6].replace(/:$/, '');
      return f;
    },
  },
  {
    ids: ['313005'],
    re: new RegExp(
      `^(No matching connection) for ICMP error message: (\\S+) src ${IF}:(\\S+) dst ${IF}:(\\S+) \\(type (\\d+), code (\\d+)\\) on (\\S+) interface\\.\\s+Original IP payload: (\\S+) src (\\S+?)(?:/(\\d+))? dst (\\S+?)(?:/(\\d+))?\\.?$`,
    ),
    build: (m) => {
      const f: Fields = {
        kind: 'packet',
        action: 'denied',
        proto: protoName(m[2]!),
        inIface: m[3]!,
        src: m[4]!,
        outIface: m[5]!,
        dst: m[6]!,
        attrs: {
          reason: m[1]!,
          icmpType: +m[7]!,
          icmpCode: +m[8]!,
          origProto: m[10]!,
          origSrc: m[11]!,
          origDst: m[13]!,
        },
      };
      put(f.attrs, 'origSrcPort', num(m[12]));
      put(f.attrs, 'origDstPort', num(m[14]));
      return f;
    },
  },
  {
    ids: ['402117'],
    re: /^IPSEC: Received a non-IPSec packet \(protocol= (\S+)\) from (\S+) to (\S+?)\.?$/,
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      proto: protoName(m[1]!),
      src: m[2]!,
      dst: m[3]!,
      attrs: { reason: 'non-IPSec packet', networkType: 'IPSEC' },
    }),
  },
  {
    ids: ['402119'],
    re: /^IPSEC: Received an? (\S+) packet \(SPI= (\S+), sequence number= (\S+)\) from (\S+) \(user= (.*?)\) to (\S+) that failed anti-replay checking/,
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      src: m[4]!,
      dst: m[6]!,
      attrs: {
        ipsecProto: m[1]!,
        spi: m[2]!,
        seq: m[3]!,
        user: m[5]!,
        reason: 'failed anti-replay checking',
        networkType: 'IPSEC',
      },
    }),
  },
  {
    ids: ['419001'],
    re: new RegExp(
      `^(Dropping) (\\S+) packet from ${IF}:(\\S+)/(\\d+) to ${IF}:(\\S+)/(\\d+), reason: (.*)$`,
    ),
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      proto: protoName(m[2]!),
      inIface: m[3]!,
      src: m[4]!,
      srcPort: +m[5]!,
      outIface: m[6]!,
      dst: m[7]!,
      dstPort: +m[8]!,
      attrs: { outcome: m[1]!, reason: m[9]! },
    }),
  },
  {
    ids: ['419002'],
    re: new RegExp(
      `^(Duplicate TCP SYN) from ${IF}:(\\S+)/(\\d+) to ${IF}:(\\S+)/(\\d+) with different initial sequence number`,
    ),
    build: (m) => ({
      kind: 'packet',
      action: 'denied',
      proto: 'tcp',
      inIface: m[2]!,
      src: m[3]!,
      srcPort: +m[4]!,
      outIface: m[5]!,
      dst: m[6]!,
      dstPort: +m[7]!,
      attrs: { reason: m[1]! },
    }),
  },
  {
    ids: ['602303', '602304'],
    re: /^IPSEC: An? (inbound|outbound) (\S+) SA \(SPI= (\S+)\) between (\S+) and (\S+) \(user= (.*?)\) has been (created|deleted)/,
    build: (m) => ({
      kind: 'other',
      action: 'unknown',
      src: m[4]!,
      dst: m[5]!,
      attrs: {
        direction: m[1]!,
        tunnelType: m[2]!,
        spi: m[3]!,
        user: m[6]!,
        outcome: m[7]!,
        networkType: 'IPSEC',
      },
    }),
  },
  {
    ids: ['710001', '710002', '710003', '710005', '710006'],
    re: new RegExp(
      `^(\\S+) (?:access |request )?(requested|permitted|denied|discarded)(?: by ACL)? from (\\S+?)/(\\d+) to ${IF}:(\\S+?)/(\\d+)`,
    ),
    build: (m) => ({
      kind: 'packet',
      action: m[2] === 'requested' ? 'unknown' : verbAction(m[2]!),
      proto: protoName(m[1]!),
      src: m[3]!,
      srcPort: +m[4]!,
      outIface: m[5]!,
      dst: m[6]!,
      dstPort: +m[7]!,
      attrs: { outcome: m[2]! },
    }),
  },
  {
    ids: ['713172'],
    re: /^Group = (\S+), IP = (\S+), Automatic NAT Detection Status:\s+Remote end\s*(is NOT|IS)\s*behind a NAT device\s+This\s+end\s*(is NOT|IS)\s*behind a NAT device/,
    build: (m) => ({
      kind: 'other',
      action: 'unknown',
      src: m[2]!,
      attrs: { group: m[1]!, remoteNat: m[3]!, localNat: m[4]! },
    }),
  },
  {
    ids: ['733100'],
    re: /^\[\s*(.*?)\s*\] drop (\S+) exceeded\. Current burst rate is (-?\d+) per second, max configured rate is (-?\d+); Current average rate is (-?\d+) per second, max configured rate is (-?\d+); Cumulative total count is (\d+)/,
    build: (m) => {
      const f: Fields = {
        kind: 'rate',
        action: 'denied',
        attrs: {
          object: m[1]!,
          rateId: m[2]!,
          burstRate: +m[3]!,
          burstMax: +m[4]!,
          avgRate: +m[5]!,
          avgMax: +m[6]!,
          total: +m[7]!,
        },
      };
      if (/^[0-9a-fA-F.:]+$/.test(m[1]!) && /[.:]/.test(m[1]!)) f.src = m[1]!;
      return f;
    },
  },
  {
    ids: ['104001', '104002'],
    re: /^\((Primary|Secondary)\) Switching to (ACTIVE|STANDBY) -? ?(.*)$/,
    build: (m) => ({ kind: 'other', action: 'unknown', attrs: { unit: m[1]!, state: m[2]!, reason: m[3]! } }),
  },
];
