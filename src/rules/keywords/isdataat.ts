import type { IsDataAtMatch } from '../ast.js';
import { type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseNumOrVar } from './values.js';

type IsDataAtOption = Omit<IsDataAtMatch, 'kind' | 'buffer' | 'transforms'>;

export const isdataat: KeywordDescriptor<IsDataAtOption> = {
  name: 'isdataat',
  description:
    'Checks that the buffer has data at a position (absolute, or relative to the last match); ! negates.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const parts = commaList(v);
    let first = parts[0] ?? '';
    let negated = false;
    if (first.startsWith('!')) {
      negated = true;
      first = first.slice(1).trim();
    }
    const offset = parseNumOrVar('isdataat', first, 0, 65535);
    if (typeof offset === 'object' && 'error' in offset) return offset;
    let relative = false;
    let rawbytes = false;
    for (const p of parts.slice(1)) {
      if (p === 'relative' && !relative) relative = true;
      else if (p === 'rawbytes' && !rawbytes) rawbytes = true;
      else return kwError('isdataat', `unknown or repeated option "${p}"`);
    }
    return { negated, offset, relative, rawbytes };
  },
  attach: (o, rule) =>
    rule.addMatch({ kind: 'isdataat', buffer: rule.buffer, transforms: [...rule.transforms], ...o }),
};
