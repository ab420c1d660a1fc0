/**
 * The flow key's hash: 32-bit mixing of raw address words and ports, so a
 * packet finds its connection without building a string or an object.
 */

export function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function endpointHash(a: number, b: number, c: number, d: number, port: number): number {
  let h = mix(a ^ 0x9e3779b9);
  h = mix(h ^ b);
  h = mix(h ^ c);
  h = mix(h ^ d);
  return mix(h ^ port);
}

export function word(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]! | 0;
}
