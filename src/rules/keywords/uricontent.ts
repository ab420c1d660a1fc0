import { type ContentOption, newContent, parseContentValue } from './content.js';
import type { KeywordDescriptor } from './types.js';

/** Snort-era shorthand: `uricontent:"x"` is `content:"x"; http_uri;`. */
export const uricontent: KeywordDescriptor<ContentOption> = {
  name: 'uricontent',
  description: 'Matches a pattern in the normalised request URI (the Snort-era form of http.uri + content).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parseContentValue('uricontent', v),
  attach: (o, rule) => rule.addMatch(newContent(o, 'http.uri', [])),
};
