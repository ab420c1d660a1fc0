/**
 * Finding the way back after a corrupt pcapng block: scan byte by byte for a
 * block that looks real (known type, sane length, matching trailer).
 */
import type { ByteSource } from '../byte-source.js';
import { MAX_BLOCK } from '../capture.js';
import { BlockType } from './blocks.js';

const BOM = 0x1a2b3c4d;
const BOM_SWAPPED = 0x4d3c2b1a;

/**
 * Byte order from the SHB magic `rel` bytes past the read position (may refill the window).
 * @example byteOrderAt(src, 8) // 'le' for a little-endian section header at src.pos
 */
export function byteOrderAt(s: ByteSource, rel: number): 'le' | 'be' | undefined {
  if (!s.ensure(rel + 4)) return undefined;
  const m = s.view.getUint32(s.pos + rel, false);
  return m === BOM ? 'be' : m === BOM_SWAPPED ? 'le' : undefined;
}

/**
 * Moves `s` past the current byte to the next plausible block; false (at the
 * end of input) when none follows. Each step is O(1) amortised: a candidate's
 * trailer check needs at most MAX_BLOCK bytes, which the window already holds.
 */
export function scanForBlock(s: ByteSource, le: boolean, interfaceCount: number): boolean {
  s.skip(1);
  for (;;) {
    if (!s.ensure(12)) {
      s.skip(s.available);
      return false;
    }
    if (plausibleBlockAtPos(s, le, interfaceCount)) return true;
    s.pos++;
  }
}

function plausibleBlockAtPos(s: ByteSource, le: boolean, interfaceCount: number): boolean {
  const type = s.view.getUint32(s.pos, le);
  if (type === BlockType.SHB) {
    const order = byteOrderAt(s, 8);
    if (order === undefined) return false;
    le = order === 'le';
  } else if (!(type >= 1 && type <= 0x0d) && type !== 0xbad && type !== 0x40000bad) {
    return false;
  }
  const len = s.view.getUint32(s.pos + 4, le);
  if (len < 12 || (len & 3) !== 0 || len > MAX_BLOCK || !s.ensure(len)) return false;
  if (s.view.getUint32(s.pos + len - 4, le) !== len) return false;
  if (type === BlockType.EPB) return len >= 32 && s.view.getUint32(s.pos + 8, le) < interfaceCount;
  return true;
}
