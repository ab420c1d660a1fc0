import type { ContentMatch, Transform } from '../ast.js';
import { clip } from '../parse/tokenize.js';
import { type KeywordDescriptor, type KeywordError, kwError } from './types.js';

export interface ContentOption {
  negated: boolean;
  bytes: Uint8Array;
  text: string;
}

export const MAX_CONTENT_BYTES = 65535;

/**
 * Decodes a content pattern: `|41 42|` hex runs, and the escapes `\"`, `\;`,
 * `\:`, `\\`, `\|`. Any other escape is an error, as in Suricata.
 * @example decodeContent('content', 'GET|20|/') // bytes 47 45 54 20 2f
 */
export function decodeContent(kw: string, text: string): Uint8Array | KeywordError {
  const out: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7c /* | */) {
      const end = text.indexOf('|', i + 1);
      if (end < 0) return kwError(kw, `unbalanced pipe in "${clip(text.slice(i))}"`);
      const hex = text.slice(i + 1, end).replace(/[ \t]+/g, '');
      if (!/^[0-9a-fA-F]*$/.test(hex)) return kwError(kw, `bad hex "${clip(text.slice(i + 1, end))}"`);
      if (hex.length % 2 !== 0)
        return kwError(kw, `odd number of hex digits in "|${clip(text.slice(i + 1, end))}|"`);
      for (let h = 0; h < hex.length; h += 2) out.push(Number.parseInt(hex.slice(h, h + 2), 16));
      i = end + 1;
      continue;
    }
    if (c === 0x5c /* \ */) {
      const next = text[i + 1];
      if (next === undefined || !'"\\;:|'.includes(next))
        return kwError(kw, `invalid escape "\\${next ?? ''}"`);
      out.push(next.charCodeAt(0));
      i += 2;
      continue;
    }
    if (c === 0x22 /* " */) return kwError(kw, 'unescaped quote inside the pattern');
    if (c > 0xff) {
      // Non-Latin-1 text is matched as its UTF-8 bytes.
      for (const b of Buffer.from(text[i]!, 'utf8')) out.push(b);
    } else out.push(c);
    i++;
    if (out.length > MAX_CONTENT_BYTES) return kwError(kw, `pattern longer than ${MAX_CONTENT_BYTES} bytes`);
  }
  if (out.length === 0) return kwError(kw, 'empty pattern');
  return Uint8Array.from(out);
}

/** Parses `"pattern"` or `!"pattern"` (shared with uricontent). */
export function parseContentValue(kw: string, value: string | undefined): ContentOption | KeywordError {
  let v = (value ?? '').trim();
  let negated = false;
  if (v.startsWith('!')) {
    negated = true;
    v = v.slice(1).trim();
  }
  if (!v.startsWith('"') || !v.endsWith('"') || v.length < 2 || (v.endsWith('\\"') && !v.endsWith('\\\\"')))
    return kwError(kw, `pattern must be in double quotes: ${clip(v)}`);
  const text = v.slice(1, -1);
  const bytes = decodeContent(kw, text);
  if ('error' in bytes) return bytes;
  return { negated, bytes, text };
}

/** A fresh content match in the builder's current buffer. */
export function newContent(o: ContentOption, buffer: string, transforms: Transform[]): ContentMatch {
  return {
    kind: 'content',
    buffer,
    transforms: [...transforms],
    bytes: o.bytes,
    text: o.text,
    negated: o.negated,
    nocase: false,
    rawbytes: false,
    startswith: false,
    endswith: false,
  };
}

export const content: KeywordDescriptor<ContentOption> = {
  name: 'content',
  description: 'Matches a byte pattern (text with |hex| runs) in the current buffer; ! negates.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parseContentValue('content', v),
  attach: (o, rule) => rule.addMatch(newContent(o, rule.buffer, rule.transforms)),
};
