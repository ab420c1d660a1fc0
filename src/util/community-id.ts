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
  const len = src.length === 16 ? 16 : 4;
  return communityIdOfWords(
    len,
    wordAt(src, 0),
    len === 16 ? wordAt(src, 4) : 0,
    len === 16 ? wordAt(src, 8) : 0,
    len === 16 ? wordAt(src, 12) : 0,
    wordAt(dst, 0),
    len === 16 ? wordAt(dst, 4) : 0,
    len === 16 ? wordAt(dst, 8) : 0,
    len === 16 ? wordAt(dst, 12) : 0,
    proto,
    srcPort,
    dstPort,
    seed,
  );
}

function wordAt(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
}

/**
 * Community ID v1 from addresses given as big-endian 32-bit words (`addrLen`
 * 4: only s0/d0 count; 16: all four), as the flow table keeps them, so no
 * byte views are needed. Same result as `communityId`.
 *
 * @example
 * communityIdOfWords(4, 0x01020304, 0, 0, 0, 0x05060708, 0, 0, 0, 6, 1122, 80) // '1:...='
 */
export function communityIdOfWords(
  addrLen: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
  d0: number,
  d1: number,
  d2: number,
  d3: number,
  proto: number,
  srcPort: number,
  dstPort: number,
  seed = 0,
): string {
  const v6 = addrLen === 16;
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
  let swap = false;
  if (!oneWay) {
    // Unsigned word order is the byte order of the addresses.
    let cmp = (s0 >>> 0) - (d0 >>> 0);
    if (v6) {
      if (cmp === 0) cmp = (s1 >>> 0) - (d1 >>> 0);
      if (cmp === 0) cmp = (s2 >>> 0) - (d2 >>> 0);
      if (cmp === 0) cmp = (s3 >>> 0) - (d3 >>> 0);
    }
    swap = cmp > 0 || (cmp === 0 && sp > dp);
  }
  // Every field of the hashed message is 16-bit aligned: collect half-words.
  let n = 0;
  half[n++] = seed & 0xffff;
  if (swap) {
    n = putAddress(n, v6, d0, d1, d2, d3);
    n = putAddress(n, v6, s0, s1, s2, s3);
    const t = sp;
    sp = dp;
    dp = t;
  } else {
    n = putAddress(n, v6, s0, s1, s2, s3);
    n = putAddress(n, v6, d0, d1, d2, d3);
  }
  half[n++] = (proto & 0xff) << 8;
  if (hasPorts) {
    half[n++] = sp & 0xffff;
    half[n++] = dp & 0xffff;
  }
  const bytes = n * 2;
  half[n++] = 0x8000;
  while (n < 31) half[n++] = 0;
  half[31] = bytes * 8;
  for (let i = 0; i < 16; i++) w[i] = (half[2 * i]! << 16) | half[2 * i + 1]!;
  sha1Block();
  return base64Digest();
}

const half = new Uint16Array(32);

function putAddress(n: number, v6: boolean, a: number, b: number, c: number, d: number): number {
  half[n++] = a >>> 16;
  half[n++] = a & 0xffff;
  if (v6) {
    half[n++] = b >>> 16;
    half[n++] = b & 0xffff;
    half[n++] = c >>> 16;
    half[n++] = c & 0xffff;
    half[n++] = d >>> 16;
    half[n++] = d & 0xffff;
  }
  return n;
}

// SHA-1 of one 64-byte block (every Community ID message fits in one) on
// reused arrays: far cheaper per flow than a crypto Hash object.
const w = new Int32Array(80);
const h = new Int32Array(5);
const chars = new Array<number>(28).fill(0);

function rotl(x: number, s: number): number {
  return (x << s) | (x >>> (32 - s));
}

function sha1Block(): void {
  for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1);
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  let e = 0xc3d2e1f0 | 0;
  let i = 0;
  for (; i < 20; i++) {
    const t = (rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]!) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (; i < 40; i++) {
    const t = (rotl(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (; i < 60; i++) {
    const t = (rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + w[i]!) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (; i < 80; i++) {
    const t = (rotl(a, 5) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + w[i]!) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  h[0] = (0x67452301 + a) | 0;
  h[1] = (0xefcdab89 + b) | 0;
  h[2] = (0x98badcfe + c) | 0;
  h[3] = (0x10325476 + d) | 0;
  h[4] = (0xc3d2e1f0 + e) | 0;
}

const B64 = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) =>
  c.charCodeAt(0),
);
const digest = new Uint8Array(21);

/** "1:" + base64 of the 20-byte digest in `h` (28 characters, one '=' of padding), as one flat string. */
function base64Digest(): string {
  for (let i = 0; i < 5; i++) {
    const x = h[i]!;
    digest[4 * i] = x >>> 24;
    digest[4 * i + 1] = (x >>> 16) & 0xff;
    digest[4 * i + 2] = (x >>> 8) & 0xff;
    digest[4 * i + 3] = x & 0xff;
  }
  digest[20] = 0; // the last group has two bytes; this zero pads it
  const c = chars;
  let o = 0;
  for (let i = 0; i < 21; i += 3) {
    const v = (digest[i]! << 16) | (digest[i + 1]! << 8) | digest[i + 2]!;
    c[o++] = B64[v >>> 18]!;
    c[o++] = B64[(v >>> 12) & 63]!;
    c[o++] = B64[(v >>> 6) & 63]!;
    c[o++] = B64[v & 63]!;
  }
  c[27] = 61; // '=' replaces the padded group's last character
  // Explicit arguments: much cheaper than String.fromCharCode.apply on an array.
  return String.fromCharCode(
    49, // '1'
    58, // ':'
    c[0]!,
    c[1]!,
    c[2]!,
    c[3]!,
    c[4]!,
    c[5]!,
    c[6]!,
    c[7]!,
    c[8]!,
    c[9]!,
    c[10]!,
    c[11]!,
    c[12]!,
    c[13]!,
    c[14]!,
    c[15]!,
    c[16]!,
    c[17]!,
    c[18]!,
    c[19]!,
    c[20]!,
    c[21]!,
    c[22]!,
    c[23]!,
    c[24]!,
    c[25]!,
    c[26]!,
    c[27]!,
  );
}
