/**
 * Community ID v1 flow hash (the Corelight/Zeek/Suricata/Wireshark shared
 * flow id): SHA-1 over seed, ordered addresses, protocol and ports, base64,
 * prefixed with "1:". ICMP types map to port pairs as the spec describes.
 */
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
  const n = 2 + 2 * len + 2 + (hasPorts ? 4 : 0);
  const buf = block;
  buf.fill(0);
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
  return `1:${base64Digest(sha1OneBlock(n))}`;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

// SHA-1 of one short message (at most 55 bytes, which every Community ID input
// is) in a reused block: far cheaper per flow than a crypto Hash object.
const block = new Uint8Array(64);
const w = new Int32Array(80);
const digest = new Uint8Array(20);
const h = new Int32Array(5);
const chars = new Array<number>(28).fill(0);

function sha1OneBlock(n: number): Uint8Array {
  block[n] = 0x80;
  const bits = n * 8;
  block[62] = (bits >>> 8) & 0xff;
  block[63] = bits & 0xff;
  for (let i = 0; i < 16; i++)
    w[i] = (block[4 * i]! << 24) | (block[4 * i + 1]! << 16) | (block[4 * i + 2]! << 8) | block[4 * i + 3]!;
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  let e = 0xc3d2e1f0 | 0;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = (0x67452301 + a) | 0;
  h[1] = (0xefcdab89 + b) | 0;
  h[2] = (0x98badcfe + c) | 0;
  h[3] = (0x10325476 + d) | 0;
  h[4] = (0xc3d2e1f0 + e) | 0;
  for (let i = 0; i < 5; i++) {
    digest[4 * i] = h[i]! >>> 24;
    digest[4 * i + 1] = (h[i]! >>> 16) & 0xff;
    digest[4 * i + 2] = (h[i]! >>> 8) & 0xff;
    digest[4 * i + 3] = h[i]! & 0xff;
  }
  return digest;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of the 20-byte digest (28 characters with one '=' of padding), built as one flat string. */
function base64Digest(d: Uint8Array): string {
  let o = 0;
  for (let i = 0; i < 18; i += 3) {
    const v = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
    chars[o++] = B64.charCodeAt(v >>> 18);
    chars[o++] = B64.charCodeAt((v >>> 12) & 63);
    chars[o++] = B64.charCodeAt((v >>> 6) & 63);
    chars[o++] = B64.charCodeAt(v & 63);
  }
  const v = (d[18]! << 16) | (d[19]! << 8);
  chars[o++] = B64.charCodeAt(v >>> 18);
  chars[o++] = B64.charCodeAt((v >>> 12) & 63);
  chars[o++] = B64.charCodeAt((v >>> 6) & 63);
  chars[o] = 61; // '='
  return String.fromCharCode.apply(null, chars);
}
