import { type KeywordDescriptor, kwError } from './types.js';
import { parseInteger } from './values.js';

export interface FastPatternOption {
  only: boolean;
  offset?: number;
  length?: number;
}

/** `fast_pattern`, `fast_pattern:only` or `fast_pattern:offset,length`; once per rule. */
export const fastPattern: KeywordDescriptor<FastPatternOption> = {
  name: 'fast_pattern',
  description: 'Chooses the preceding content (or a slice of it) as the prefilter pattern for the rule.',
  support: 'full',
  affectsMatch: false,
  value: 'optional',
  parse: (v) => {
    const t = (v ?? '').trim();
    if (t === '') return { only: false };
    if (t === 'only') return { only: true };
    const m = /^(\S+)\s*,\s*(\S+)$/.exec(t);
    if (!m) return kwError('fast_pattern', `expected "only" or "offset,length", got "${t}"`);
    const offset = parseInteger('fast_pattern', m[1], 0, 65535);
    if (typeof offset !== 'number') return offset;
    const length = parseInteger('fast_pattern', m[2], 1, 65535);
    if (typeof length !== 'number') return length;
    return { only: false, offset, length };
  },
  attach: (o, rule) => {
    const c = rule.contentFor('fast_pattern');
    if ('error' in c) return c.error;
    if (rule.fastPatternSet) return 'fast_pattern: given twice in one rule';
    if (o.offset !== undefined && o.offset + (o.length ?? 0) > c.bytes.length)
      return `fast_pattern: ${o.offset},${o.length} runs past content "${c.text}" (${c.bytes.length} bytes)`;
    if (o.only && [c.distance, c.within, c.depth, c.offset].some((x) => x !== undefined))
      return 'fast_pattern: "only" cannot be combined with depth, offset, distance or within';
    rule.fastPatternSet = true;
    c.fastPattern = o;
    return undefined;
  },
};
