/**
 * Little-endian field reads and SMB string decoding over raw message bytes.
 * Every read is bounds-checked by the caller; these helpers assume `at` is valid.
 */

/** Unsigned 16-bit little-endian at `at`. */
export function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

/** Unsigned 32-bit little-endian at `at`. */
export function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/**
 * Unsigned 64-bit little-endian at `at` as a number. Values past 2^53 are not
 * exact, which is fine: such offsets lie far beyond any file byte we keep.
 */
export function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

/** Longest name kept, in UTF-8 bytes: names are attacker data. */
export const MAX_NAME_BYTES = 1024;

const decoder = new TextDecoder('utf-16le');
const encoder = new TextEncoder();

/**
 * UTF-16LE bytes [start, end) of `b` as UTF-8, without trailing NULs, at most
 * MAX_NAME_BYTES long. Unpaired surrogates become U+FFFD.
 *
 * @example
 * utf16ToUtf8(Uint8Array.of(0x5c, 0, 0x61, 0, 0, 0), 0, 6); // bytes of "\a"
 */
export function utf16ToUtf8(b: Uint8Array, start: number, end: number): Uint8Array {
  if (end > b.length) end = b.length;
  if ((end - start) & 1) end--;
  while (end - start >= 2 && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
  if (end <= start) return new Uint8Array(0);
  // Bounded input so that the output is bounded too (≤ 3 bytes per UTF-16 unit).
  if (end - start > MAX_NAME_BYTES * 2) end = start + MAX_NAME_BYTES * 2;
  const out = encoder.encode(decoder.decode(b.subarray(start, end)));
  return out.length > MAX_NAME_BYTES ? out.slice(0, MAX_NAME_BYTES) : out;
}

/** Index of the first 16-bit NUL at an even distance from `start`, or `end`. */
export function utf16End(b: Uint8Array, start: number, end: number): number {
  if (end > b.length) end = b.length;
  for (let i = start; i + 1 < end; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
  return end;
}

/** Index of the first NUL byte in [start, end), or `end`. */
export function asciiEnd(b: Uint8Array, start: number, end: number): number {
  if (end > b.length) end = b.length;
  for (let i = start; i < end; i++) if (b[i] === 0) return i;
  return end;
}

/** A copy of bytes [start, end) without trailing NULs, at most MAX_NAME_BYTES long. */
export function copyName(b: Uint8Array, start: number, end: number): Uint8Array {
  if (end > b.length) end = b.length;
  while (end > start && b[end - 1] === 0) end--;
  if (end - start > MAX_NAME_BYTES) end = start + MAX_NAME_BYTES;
  return end > start ? b.slice(start, end) : new Uint8Array(0);
}

/** True when `name` ends with `IPC$` (ASCII, any case): the tree of named pipes. */
export function isIpcShare(name: Uint8Array): boolean {
  const n = name.length;
  if (n < 4) return false;
  return (
    (name[n - 4]! | 0x20) === 0x69 &&
    (name[n - 3]! | 0x20) === 0x70 &&
    (name[n - 2]! | 0x20) === 0x63 &&
    name[n - 1] === 0x24
  );
}
