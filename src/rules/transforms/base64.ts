/**
 * from_base64: the buffer becomes the base64 decoding of `bytes` bytes
 * (0 = all) from `offset`. Modes: rfc4648 (default) stops at the first byte
 * outside the alphabet; rfc2045 skips such bytes; strict fails on them and on
 * bad padding. Nothing decoded fails the buffer. As in Suricata, an offset at
 * or past the end, or a `bytes` not shorter than what is left, leaves the
 * buffer as it is.
 */
import type { FromBase64Args } from '../ast.js';
import type { Scratch } from './scratch.js';

const MAX_PARAM = 0xffff;

/** Alphabet value per byte; -1 outside the alphabet, -2 for '='. */
const VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++)
  VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
VALUE[0x3d] = -2;

/**
 * Parses `[bytes N][, offset N][, mode rfc4648|rfc2045|strict]` in any order.
 * @example parseFromBase64Args('offset 2, mode strict') // { bytes: 0, offset: 2, mode: 'strict' }
 */
export function parseFromBase64Args(value: string | undefined): FromBase64Args | { error: string } {
  const out: FromBase64Args = { bytes: 0, offset: 0, mode: 'rfc4648' };
  const v = (value ?? '').trim();
  if (v === '') return out;
  const items = v.split(',');
  if (items.length > 3) return { error: 'takes at most 3 options: bytes, offset, mode' };
  const seen = new Set<string>();
  for (const raw of items) {
    const m = /^\s*([a-z_]+)\s+(\S+)\s*$/.exec(raw);
    if (!m) return { error: `expected "name value", got "${raw.trim().slice(0, 40)}"` };
    const [, name, val] = m as unknown as [string, string, string];
    if (seen.has(name)) return { error: `${name} given twice` };
    seen.add(name);
    if (name === 'mode') {
      if (val !== 'rfc4648' && val !== 'rfc2045' && val !== 'strict')
        return { error: `mode "${val.slice(0, 20)}" is not rfc4648, rfc2045 or strict` };
      out.mode = val;
    } else if (name === 'bytes' || name === 'offset') {
      if (!/^\d{1,6}$/.test(val) || Number(val) > MAX_PARAM)
        return { error: `${name} must be a number 0-${MAX_PARAM}, got "${val.slice(0, 20)}"` };
      out[name] = Number(val);
    } else return { error: `unknown option "${name.slice(0, 20)}"` };
  }
  return out;
}

/**
 * Decodes base64 into `o` (large enough: 3/4 of the input), returning the
 * decoded length, or -1 when strict mode finds bad input.
 */
export function decodeBase64Into(input: Uint8Array, o: Uint8Array, mode: FromBase64Args['mode']): number {
  const n = input.length;
  if (mode === 'strict') return decodeStrict(input, o);
  let w = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let have = 0;
  let pad = 0;
  for (let i = 0; i < n; i++) {
    const v = VALUE[input[i]!]!;
    if (v === -1) {
      if (mode === 'rfc2045') continue;
      break;
    }
    // '=' may only end a quantum (third or fourth place); elsewhere decoding stops.
    if (v === -2) {
      if (have < 2) break;
      pad++;
    } else if (pad > 0) break;
    if (have === 0) q0 = v;
    else if (have === 1) q1 = v;
    else if (have === 2) q2 = v;
    have++;
    if (have === 4) {
      w = emit(o, w, q0, q1, q2, v, pad);
      have = 0;
      pad = 0;
    }
  }
  // rfc4648 decodes a final partial quantum of 2 or 3 characters as if padded.
  if (mode === 'rfc4648' && have >= 2) w = emit(o, w, q0, q1, q2, 0, 4 - have + pad);
  return w;
}

function emit(o: Uint8Array, w: number, a: number, b: number, c: number, d: number, pad: number): number {
  o[w++] = ((a << 2) | (b >> 4)) & 0xff;
  if (pad >= 2) return w;
  o[w++] = ((b << 4) | (c >> 2)) & 0xff;
  if (pad === 1) return w;
  o[w++] = ((c << 6) | d) & 0xff;
  return w;
}

function decodeStrict(input: Uint8Array, o: Uint8Array): number {
  const n = input.length;
  if (n % 4 !== 0) return -1;
  let w = 0;
  for (let i = 0; i < n; i += 4) {
    const a = VALUE[input[i]!]!;
    const b = VALUE[input[i + 1]!]!;
    const c = VALUE[input[i + 2]!]!;
    const d = VALUE[input[i + 3]!]!;
    if (a < 0 || b < 0 || c === -1 || d === -1) return -1;
    const last = i + 4 === n;
    if ((c === -2 || d === -2) && !last) return -1;
    if (c === -2 && d !== -2) return -1;
    w = emit(o, w, a, b, Math.max(c, 0), Math.max(d, 0), c === -2 ? 2 : d === -2 ? 1 : 0);
  }
  return w;
}

/**
 * @example fromBase64(bytes('aGk='), new Scratch(), { bytes: 0, offset: 0, mode: 'rfc4648' }) // 'hi'
 */
export function fromBase64(input: Uint8Array, out: Scratch, args: FromBase64Args): Uint8Array | undefined {
  let src = input;
  if (src.length === 0) return input;
  if (args.offset > 0) {
    if (args.offset >= src.length) return input;
    src = src.subarray(args.offset);
  }
  if (args.bytes > 0) {
    if (args.bytes >= src.length) return input;
    src = src.subarray(0, args.bytes);
  }
  const o = out.take(Math.ceil(src.length / 4) * 3);
  if (!o) return undefined;
  const w = decodeBase64Into(src, o, args.mode);
  return w > 0 ? o.subarray(0, w) : undefined;
}
