/**
 * Community ID v1 flow hash (the Corelight/Zeek/Suricata/Wireshark shared
 * flow id): SHA-1 over seed, ordered addresses, protocol and ports, base64,
 * prefixed with "1:". ICMP types map to port pairs as the spec describes.
 */
import { createHash } from 'node:crypto';
import { IpProto } from '../schema/packet.js';

/** ICMPv4 request/reply pairs: the counterpart of each type (both directions). */
const ICMP4_PAIRS: Record<number, number> = {
  8: 0,
  0: 8,
  13: 14,
  14: 13,
  15: 16,
  16: 15,
  10: 9,
  9: 10,
  17: 18,
  18: 17,
};
/** ICMPv6 request/reply pairs. */
const ICMP6_PAIRS: Record<number, number> = {
  128: 129,
  129: 128,
  133: 134,
  134: 133,
  135: 136,
  136: 135,
  130: 131,
  131: 130,
  139: 140,
  140: 139,
  144: 145,
  145: 144,
};

/** The counterpart type of an ICMP request/reply type, or -1 for one-way messages. */
export function icmpCounterpart(type: number, v6: boolean): number {
  const c = (v6 ? ICMP6_PAIRS : ICMP4_PAIRS)[type];
  return c === undefined ? -1 : c;
}

/**
 * Community ID v1 of a flow. For ICMP/ICMPv6 pass the type as `srcPort` and
 * the code as `dstPort`; the function maps them as the spec does.
 *
 * @example
 * communityId(parseAddress('1.2.3.4')!, parseAddress('5.6.7.8')!, 6, 1122, 80) // '1:...='
 */
export function communityId(
  src: Uint8Array,
  dst: Uint8Array,
  proto: number,
  srcPort: number,
  dstPort: number,
  seed = 0,
): string {
  const len = src.length;
  let sp = srcPort;
  let dp = dstPort;
  let oneWay = false;
  const isIcmp = proto === IpProto.ICMP || proto === IpProto.ICMPV6;
  if (isIcmp) {
    const c = icmpCounterpart(srcPort, proto === IpProto.ICMPV6);
    if (c >= 0) dp = c;
    else oneWay = true;
  }
  const hasPorts = isIcmp || proto === IpProto.TCP || proto === IpProto.UDP || proto === IpProto.SCTP;
  let a = src;
  let b = dst;
  if (!oneWay) {
    const cmp = compareBytes(src, dst);
    if (cmp > 0 || (cmp === 0 && sp > dp)) {
      a = dst;
      b = src;
      const t = sp;
      sp = dp;
      dp = t;
    }
  }
  const buf = new Uint8Array(2 + 2 * len + 2 + (hasPorts ? 4 : 0));
  buf[0] = (seed >> 8) & 0xff;
  buf[1] = seed & 0xff;
  buf.set(a, 2);
  buf.set(b, 2 + len);
  let o = 2 + 2 * len;
  buf[o++] = proto & 0xff;
  buf[o++] = 0;
  if (hasPorts) {
    buf[o++] = (sp >> 8) & 0xff;
    buf[o++] = sp & 0xff;
    buf[o++] = (dp >> 8) & 0xff;
    buf[o++] = dp & 0xff;
  }
  return `1:${createHash('sha1').update(buf).digest('base64')}`;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
