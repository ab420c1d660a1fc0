/** Buffer transforms: applied to the current sticky buffer before its matches. */
import type { KeywordDescriptor } from './types.js';

const TRANSFORMS: Array<[string, string]> = [
  ['dotprefix', 'prefixes the buffer with a dot (so ".example.com" matches domain ends)'],
  ['url_decode', 'URL-decodes the buffer (%xx and +)'],
  ['strip_whitespace', 'removes all whitespace from the buffer'],
  ['compress_whitespace', 'collapses whitespace runs to one space'],
  ['to_lowercase', 'lower-cases the buffer'],
  ['to_md5', 'replaces the buffer with its MD5 digest'],
  ['to_sha1', 'replaces the buffer with its SHA-1 digest'],
  ['to_sha256', 'replaces the buffer with its SHA-256 digest'],
];

export const transforms: KeywordDescriptor<true>[] = TRANSFORMS.map(([name, what]) => ({
  name,
  description: `Transform: ${what}.`,
  support: 'full',
  affectsMatch: true,
  value: 'none',
  parse: () => true,
  attach: (_o, rule) => rule.addTransform(name),
}));
