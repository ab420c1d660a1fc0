/**
 * Buffer transforms: each rewrites the current sticky buffer before the
 * matches that follow it (src/rules/transforms/ does the work). Most take no
 * value; xor, pcrexform, from_base64 and luaxform parse their options here.
 */
import type { SimpleTransformName, Transform } from '../ast.js';
import { parseFromBase64Args } from '../transforms/base64.js';
import { parseLuaxformArgs } from '../transforms/luaxform.js';
import { parsePcrexformArgs } from '../transforms/pcrexform.js';
import { parseXorArgs } from '../transforms/xor.js';
import { type KeywordDescriptor, type KeywordError, kwError } from './types.js';

const SIMPLE: Array<[SimpleTransformName, string]> = [
  ['dotprefix', 'prefixes the buffer with a dot (so ".example.com" matches domain ends)'],
  ['url_decode', 'URL-decodes the buffer (%xx and +)'],
  ['strip_whitespace', 'removes all whitespace from the buffer'],
  ['compress_whitespace', 'collapses whitespace runs to their first byte'],
  ['to_lowercase', 'lower-cases the buffer'],
  ['to_uppercase', 'upper-cases the buffer'],
  ['to_md5', 'replaces the buffer with its MD5 digest'],
  ['to_sha1', 'replaces the buffer with its SHA-1 digest'],
  ['to_sha256', 'replaces the buffer with its SHA-256 digest'],
  ['header_lowercase', 'lower-cases header names (not values) in a header buffer'],
  ['strip_pseudo_headers', 'drops HTTP/2 pseudo-header lines (":method" ...) from a header buffer'],
];

const simpleTransforms: KeywordDescriptor<Transform>[] = SIMPLE.map(([name, what]) => ({
  name,
  description: `Transform: ${what}.`,
  support: 'full',
  affectsMatch: true,
  value: 'none',
  parse: () => ({ name }),
  attach: (t, rule) => rule.addTransform(t),
}));

/** Wraps an option parser's error sentence with the keyword name. */
function withArgs<T>(kw: string, r: T | { error: string }): T | KeywordError {
  return typeof r === 'object' && r !== null && 'error' in r
    ? kwError(kw, (r as { error: string }).error)
    : r;
}

export const xorTransform: KeywordDescriptor<Transform> = {
  name: 'xor',
  description:
    'Transform: XOR-decodes the buffer with a hex key, or with a key read from the buffer ("offset N,extract B O").',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const args = withArgs('xor', parseXorArgs(v ?? ''));
    return 'error' in args ? args : { name: 'xor', args };
  },
  attach: (t, rule) => rule.addTransform(t),
};

export const pcrexform: KeywordDescriptor<Transform> = {
  name: 'pcrexform',
  description:
    'Transform: the buffer becomes the one capture group of a regular expression (no match: no inspection).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const args = withArgs('pcrexform', parsePcrexformArgs(v ?? ''));
    return 'error' in args ? args : { name: 'pcrexform', args };
  },
  attach: (t, rule) => rule.addTransform(t),
};

export const fromBase64: KeywordDescriptor<Transform> = {
  name: 'from_base64',
  description: 'Transform: base64-decodes the buffer (options: bytes, offset, mode rfc4648|rfc2045|strict).',
  support: 'full',
  affectsMatch: true,
  value: 'optional',
  parse: (v) => {
    const args = withArgs('from_base64', parseFromBase64Args(v));
    return 'error' in args ? args : { name: 'from_base64', args };
  },
  attach: (t, rule) => rule.addTransform(t),
};

export const luaxform: KeywordDescriptor<Transform> = {
  name: 'luaxform',
  description: 'Transform: rewrites the buffer with a Lua script (parsed, never run).',
  support: 'ignored',
  supportNote: 'scripts are never run',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const args = withArgs('luaxform', parseLuaxformArgs(v ?? ''));
    return 'error' in args ? args : { name: 'luaxform', args };
  },
  attach: (t, rule) => rule.addTransform(t),
};

export const transforms: KeywordDescriptor<Transform>[] = [
  ...simpleTransforms,
  xorTransform,
  pcrexform,
  fromBase64,
  luaxform,
];
