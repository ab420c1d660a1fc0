/**
 * Buffer transforms (Suricata's `dotprefix`, `url_decode`, `xor` ...): a
 * rule's transform list is compiled once into a chain that rewrites the
 * sticky buffer before its matches run. A transform may fail (pcrexform
 * without a match, from_base64 with nothing to decode, luaxform always):
 * the buffer is then not inspected, which the result says with the
 * TRANSFORM_FAILED sentinel.
 */
import type { Transform } from '../ast.js';
import { fromBase64 } from './base64.js';
import { toLowercase, toUppercase } from './case.js';
import { dotprefix } from './dotprefix.js';
import { toMd5, toSha1, toSha256 } from './hash.js';
import { headerLowercase, stripPseudoHeaders } from './http-headers.js';
import { pcrexformStep } from './pcrexform.js';
import { MAX_TRANSFORM_BYTES, Scratch, type TransformStep } from './scratch.js';
import { urlDecode } from './url-decode.js';
import { compressWhitespace, stripWhitespace } from './whitespace.js';
import { xor } from './xor.js';

export { transformKey, transformsKey } from './key.js';
export { MAX_TRANSFORM_BYTES } from './scratch.js';

/** Returned when a transform failed: compare by identity, never by length. */
export const TRANSFORM_FAILED: Uint8Array = new Uint8Array(0);

/** Whether a transform result means "do not inspect this buffer". */
export function transformFailed(out: Uint8Array): boolean {
  return out === TRANSFORM_FAILED;
}

const never: TransformStep = () => undefined;

function stepFor(t: Transform): TransformStep {
  switch (t.name) {
    case 'dotprefix':
      return dotprefix;
    case 'url_decode':
      return urlDecode;
    case 'strip_whitespace':
      return stripWhitespace;
    case 'compress_whitespace':
      return compressWhitespace;
    case 'to_lowercase':
      return toLowercase;
    case 'to_uppercase':
      return toUppercase;
    case 'header_lowercase':
      return headerLowercase;
    case 'strip_pseudo_headers':
      return stripPseudoHeaders;
    case 'to_md5':
      return toMd5;
    case 'to_sha1':
      return toSha1;
    case 'to_sha256':
      return toSha256;
    case 'xor': {
      const args = t.args;
      return (input, out) => xor(input, out, args);
    }
    case 'from_base64': {
      const args = t.args;
      return (input, out) => fromBase64(input, out, args);
    }
    case 'pcrexform':
      return pcrexformStep(t.args);
    case 'luaxform':
      // Scripts are never run: the transformed buffer is never claimed to match.
      return never;
  }
}

/** A compiled transform list; reuses its own buffers, so one chain serves one caller at a time. */
export interface TransformChain {
  /**
   * The transformed bytes, or TRANSFORM_FAILED. The result may live in the
   * chain's scratch space: it stays valid until the next `run`.
   */
  run(bytes: Uint8Array): Uint8Array;
  /** Runs, and runs that failed (a transform failed or output passed MAX_TRANSFORM_BYTES). */
  readonly stats: { runs: number; failed: number };
}

/**
 * Compiles a transform list once (regexes, keys) for repeated use.
 * @example
 * const chain = compileTransforms([{ name: 'to_lowercase' }]);
 * chain.run(new TextEncoder().encode('ABC')) // 'abc'
 */
export function compileTransforms(list: readonly Transform[]): TransformChain {
  const steps = list.map(stepFor);
  const scratch = [new Scratch(), new Scratch()] as const;
  const stats = { runs: 0, failed: 0 };
  return {
    stats,
    run(bytes) {
      stats.runs++;
      let cur = bytes;
      // Which scratch holds `cur` (-1: neither): the next step writes to the other one.
      let holder = -1;
      for (const step of steps) {
        const w = holder === 0 ? 1 : 0;
        const next = step(cur, scratch[w]);
        if (next === undefined || next.length > MAX_TRANSFORM_BYTES) {
          stats.failed++;
          return TRANSFORM_FAILED;
        }
        if (next !== cur) holder = next.buffer === scratch[w].buf.buffer ? w : -1;
        cur = next;
      }
      return cur;
    },
  };
}

const compiled = new WeakMap<readonly Transform[], TransformChain>();

/**
 * Applies a transform list to a buffer: pure (the input is never changed and
 * the result is the caller's own), bounded (at most MAX_TRANSFORM_BYTES), and
 * TRANSFORM_FAILED when a transform fails. Lists are compiled once per list object.
 * @example applyTransforms([{ name: 'dotprefix' }], new TextEncoder().encode('a.com')) // '.a.com'
 */
export function applyTransforms(list: readonly Transform[], bytes: Uint8Array): Uint8Array {
  if (list.length === 0) return bytes;
  let chain = compiled.get(list);
  if (!chain) {
    chain = compileTransforms(list);
    compiled.set(list, chain);
  }
  const out = chain.run(bytes);
  if (out === TRANSFORM_FAILED || out === bytes) return out;
  return out.slice();
}
