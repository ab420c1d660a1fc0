import { isKeywordError, type KeywordDescriptor, type KeywordError, kwError } from './types.js';
import { parseParams } from './values.js';

interface Base64DecodeOption {
  bytes?: number;
  offset: number;
  relative: boolean;
}

export const base64Decode: KeywordDescriptor<Base64DecodeOption> = {
  name: 'base64_decode',
  description: 'Base64-decodes part of the buffer; base64_data then inspects the decoded bytes.',
  support: 'full',
  affectsMatch: true,
  value: 'optional',
  parse: (v) => {
    const items = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const relative = items.includes('relative');
    const rest = items.filter((s) => s !== 'relative').join(',');
    const p = parseParams('base64_decode', rest, {
      bytes: { type: 'int', min: 1, max: 65535, help: 'how many bytes to decode' },
      offset: { type: 'int', min: 0, max: 65535, help: 'where decoding starts' },
    });
    if (isKeywordError(p)) return p as KeywordError;
    if (items.filter((s) => s === 'relative').length > 1)
      return kwError('base64_decode', 'relative given twice');
    return {
      ...(p.bytes !== undefined ? { bytes: p.bytes as number } : {}),
      offset: (p.offset as number) ?? 0,
      relative,
    };
  },
  attach: (o, rule) =>
    rule.addMatch({ kind: 'base64_decode', buffer: rule.buffer, transforms: [...rule.transforms], ...o }),
};
