/**
 * Address helpers over raw bytes, as the decoder stores them.
 */

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16));

/** The 4 bytes at `off` as an unsigned big-endian number (an IPv4 address, or a word of an IPv6 one). */
export function ipv4Word(b: Uint8Array, off = 0): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Dotted quad for the 4 bytes at `off`. */
export function formatIPv4(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** RFC 5952 text form of the 16 bytes at `off` (longest zero run compressed, lowercase). */
export function formatIPv6(b: Uint8Array, off = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  // IPv4-mapped addresses keep their dotted tail, as Zeek and tshark show them.
  if (
    words[0] === 0 &&
    words[1] === 0 &&
    words[2] === 0 &&
    words[3] === 0 &&
    words[4] === 0 &&
    words[5] === 0xffff
  ) {
    return `::ffff:${formatIPv4(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (from: number, to: number) =>
    words
      .slice(from, to)
      .map((w) => (w < 256 ? hex[w] : w.toString(16)))
      .join(':');
  if (bestStart < 0) return part(0, 8);
  return `${part(0, bestStart)}::${part(bestStart + bestLen, 8)}`;
}

/** Text form of an address of `len` (4 or 16) bytes. */
export function formatAddress(b: Uint8Array, len: number, off = 0): string {
  return len === 4 ? formatIPv4(b, off) : formatIPv6(b, off);
}

/** Parses dotted-quad or IPv6 text into bytes; undefined when malformed. */
export function parseAddress(text: string): Uint8Array | undefined {
  if (text.includes(':')) return parseIPv6(text);
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(text: string): Uint8Array | undefined {
  let tail: Uint8Array | undefined;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    tail = parseAddress(s.slice(lastColon + 1));
    if (!tail) return undefined;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseWords = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parseWords(halves[0]!);
  const rest = halves.length === 2 ? parseWords(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 2 && fill < 1) || (halves.length === 1 && fill !== 0)) return undefined;
  const words = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const w = words[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    const n = Number.parseInt(w, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}
