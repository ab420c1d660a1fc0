/** Shared parsing of the trailing options of byte_test/byte_jump/byte_extract/byte_math. */
import type { Endian, NumberString } from '../ast.js';
import { clip } from '../parse/tokenize.js';
import { type KeywordError, kwError } from './types.js';
import { parseInteger } from './values.js';

export interface ByteFlags {
  relative: boolean;
  endian: Endian;
  string?: NumberString;
  bitmask?: number;
  multiplier?: number;
  align?: number;
  postOffset?: number;
  fromBeginning?: boolean;
  fromEnd?: boolean;
}

/** Parses flag tokens; `allowed` lists which named options this keyword accepts. */
export function parseByteFlags(
  kw: string,
  tokens: string[],
  allowed: readonly string[],
): ByteFlags | KeywordError {
  const f: ByteFlags = { relative: false, endian: 'big' };
  const seen = new Set<string>();
  for (const raw of tokens) {
    const t = raw.trim();
    const [word, arg] = t.split(/\s+/, 2) as [string, string | undefined];
    const key = word === 'little' || word === 'big' || word === 'dce' ? 'endian' : word;
    const isBase = key === 'hex' || key === 'dec' || key === 'oct';
    if (!isBase && !allowed.includes(key)) return kwError(kw, `unknown option "${clip(t)}"`);
    if (seen.has(key)) return kwError(kw, `option "${key}" given twice`);
    seen.add(key);
    switch (key) {
      case 'relative':
        f.relative = true;
        break;
      case 'endian':
        if (arg !== undefined && word === 'endian') {
          if (arg !== 'big' && arg !== 'little') return kwError(kw, `bad endian "${clip(arg)}"`);
          f.endian = arg;
        } else f.endian = word as Endian;
        break;
      case 'string':
        if (arg !== undefined && arg !== 'hex' && arg !== 'dec' && arg !== 'oct')
          return kwError(kw, `string needs hex, dec or oct, got "${clip(arg)}"`);
        f.string = arg ?? f.string ?? 'dec';
        break;
      case 'hex':
      case 'dec':
      case 'oct':
        if (!seen.has('string')) return kwError(kw, `"${key}" needs "string" before it`);
        f.string = key;
        break;
      case 'align':
        f.align = arg === undefined ? 4 : (parseIntOr(kw, arg, 2, 4) as number);
        if (f.align !== 2 && f.align !== 4)
          return kwError(kw, `align must be 2 or 4, got "${clip(arg ?? '')}"`);
        break;
      case 'from_beginning':
        f.fromBeginning = true;
        break;
      case 'from_end':
        f.fromEnd = true;
        break;
      case 'bitmask':
      case 'multiplier':
      case 'post_offset': {
        const n = parseInteger(
          kw,
          arg,
          key === 'post_offset' ? -65535 : key === 'multiplier' ? 1 : 0,
          key === 'multiplier' ? 65535 : 0xffffffff,
        );
        if (typeof n !== 'number') return n;
        if (key === 'bitmask') f.bitmask = n;
        else if (key === 'multiplier') f.multiplier = n;
        else f.postOffset = n;
        break;
      }
      default:
        return kwError(kw, `unknown option "${clip(t)}"`);
    }
  }
  if (f.fromBeginning && f.fromEnd) return kwError(kw, 'from_beginning and from_end conflict');
  return f;
}

function parseIntOr(kw: string, s: string, min: number, max: number): number | undefined {
  const n = parseInteger(kw, s, min, max);
  return typeof n === 'number' ? n : undefined;
}

/** Byte count rule shared by the byte keywords: 1-10 with string, else 1,2,3,4,8 (byte_jump/test allow 1-8). */
export function checkByteCount(
  kw: string,
  bytes: number,
  string: NumberString | undefined,
): KeywordError | undefined {
  // 0 with a string conversion reads the digits up to the end of the buffer.
  if (string && bytes === 0) return undefined;
  if (string)
    return bytes >= 1 && bytes <= 10
      ? undefined
      : kwError(kw, `${bytes} bytes: string conversions take 1-10`);
  return bytes >= 1 && bytes <= 8 ? undefined : kwError(kw, `${bytes} bytes: binary conversions take 1-8`);
}
