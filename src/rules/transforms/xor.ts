/**
 * xor: decodes the buffer with a repeating XOR key. Forms (quotes optional):
 * `xor:"0d0ac8ff"` (static hex key), `xor:extract 1 0` (a 1-byte key read from
 * buffer offset 0; `var` is the same), and either with `offset N,` in front:
 * decoding starts at byte N, the bytes before it are kept, and the key starts
 * over at N. When N is past the end, or the key lies outside the buffer, the
 * buffer is left as it is (Suricata 9 semantics).
 */
import type { XorArgs } from '../ast.js';
import type { Scratch } from './scratch.js';

const MAX_KEY = 255;
const MAX_KEY_OFFSET = 0xffff;
const MAX_START = 0xffffffff;

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).trim() : s;
}

function parseUint(tok: string, max: number): number | undefined {
  if (!/^\d{1,10}$/.test(tok)) return undefined;
  const n = Number(tok);
  return n <= max ? n : undefined;
}

/**
 * Parses the xor value; errors are sentences without the keyword name.
 * @example parseXorArgs('offset 1,extract 1 0') // { key: { offset: 0, length: 1 }, start: 1 }
 */
export function parseXorArgs(value: string): XorArgs | { error: string } {
  let v = unquote(value.trim());
  if (v === '') return { error: 'needs a hex key or "extract <bytes> <offset>"' };
  let start = 0;
  const withStart = /^offset\s+([^,]*),(.*)$/s.exec(v);
  if (withStart) {
    const n = parseUint(withStart[1]!.trim(), MAX_START);
    if (n === undefined) return { error: `offset "${withStart[1]!.trim()}" is not a number 0-${MAX_START}` };
    start = n;
    v = unquote(withStart[2]!.trim());
    if (v === '') return { error: 'offset needs a key after the comma' };
  } else if (/^offset\b/.test(v)) return { error: 'expected "offset <N>,<key>"' };
  const fromBuffer = /^(?:extract|var)\s+(.*)$/s.exec(v);
  if (fromBuffer) {
    const parts = fromBuffer[1]!.trim().split(/\s+/);
    const length = parseUint(parts[0] ?? '', MAX_KEY);
    const offset = parseUint(parts[1] ?? '', MAX_KEY_OFFSET);
    if (parts.length !== 2 || length === undefined || offset === undefined || length === 0)
      return { error: `key location must be "<bytes 1-${MAX_KEY}> <offset 0-${MAX_KEY_OFFSET}>"` };
    return { key: { offset, length }, start };
  }
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(v))
    return { error: `key "${v.slice(0, 40)}" is not an even number of hex digits` };
  if (v.length / 2 > MAX_KEY) return { error: `key longer than ${MAX_KEY} bytes` };
  const bytes = new Uint8Array(v.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(v.slice(2 * i, 2 * i + 2), 16);
  return { key: { bytes }, start };
}

/**
 * @example xor(Uint8Array.of(0x42, 0x2a), new Scratch(), { key: { offset: 0, length: 1 }, start: 1 }) // 42 68
 */
export function xor(input: Uint8Array, out: Scratch, args: XorArgs): Uint8Array | undefined {
  const n = input.length;
  if (n === 0 || args.start > n) return input;
  let key: Uint8Array;
  if ('bytes' in args.key) key = args.key.bytes;
  else {
    const end = args.key.offset + args.key.length;
    if (end > n) return input;
    key = input.subarray(args.key.offset, end);
  }
  const o = out.take(n);
  if (!o) return undefined;
  const start = args.start;
  for (let i = 0; i < start; i++) o[i] = input[i]!;
  const kl = key.length;
  for (let i = start, k = 0; i < n; i++) {
    o[i] = input[i]! ^ key[k]!;
    if (++k === kl) k = 0;
  }
  return o.subarray(0, n);
}
