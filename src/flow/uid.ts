/**
 * Deterministic connection uids: 'C' + 17 base62 characters from a 128-bit
 * hash (four seeded 32-bit lanes) of the key (addresses, ports, protocol,
 * VLANs) and the first packet's time in nanoseconds, so re-analysing the same
 * capture gives the same uids.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The key and start time a uid is made of (the flow table's numeric form). */
export interface UidKey {
  addrLen: number;
  o0: number;
  o1: number;
  o2: number;
  o3: number;
  r0: number;
  r1: number;
  r2: number;
  r3: number;
  oPort: number;
  rPort: number;
  ipProto: number;
  /** -1 when absent. */
  vlan: number;
  innerVlan: number;
  tsSec: number;
  tsNsec: number;
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One 32-bit lane of the uid hash. */
function uidLane(k: UidKey, seed: number): number {
  let h = fmix(seed);
  h = fmix(h ^ k.o0) + k.o1;
  h = fmix(h ^ k.o2) + k.o3;
  h = fmix(h ^ k.r0) + k.r1;
  h = fmix(h ^ k.r2) + k.r3;
  h = fmix(h ^ ((k.oPort << 16) | k.rPort)) + k.ipProto;
  h = fmix(h ^ k.vlan) + k.innerVlan;
  h = fmix(h ^ (k.tsSec >>> 0)) + Math.floor(k.tsSec / 4294967296);
  h = fmix(h ^ k.tsNsec) + k.addrLen;
  return fmix(h) >>> 0;
}

const uidChars: number[] = [67, ...new Array<number>(17).fill(48)];

/**
 * The uid of a connection key.
 *
 * @example
 * flowUid(key) // 'CbT2x9...' (18 characters, the same for the same key and start time)
 */
export function flowUid(k: UidKey): string {
  let o = 1;
  for (let lane = 0; lane < 4; lane++) {
    let v = uidLane(k, 0x9e3779b9 + lane * 0x632be5ab);
    for (let i = lane === 0 ? 5 : 4; i > 0; i--) {
      const q = (v / 62) >>> 0;
      uidChars[o++] = BASE62.charCodeAt(v - q * 62);
      v = q;
    }
  }
  const c = uidChars;
  // Explicit arguments: much cheaper than String.fromCharCode.apply on an array.
  return String.fromCharCode(
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
  );
}
