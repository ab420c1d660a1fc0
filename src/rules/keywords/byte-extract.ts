import type { ByteExtractMatch } from '../ast.js';
import { checkByteCount, parseByteFlags } from './byte-options.js';
import { type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger } from './values.js';

type ByteExtractOption = Omit<ByteExtractMatch, 'kind' | 'buffer' | 'transforms'>;

export const byteExtract: KeywordDescriptor<ByteExtractOption> = {
  name: 'byte_extract',
  description: 'Reads N bytes at an offset into a named variable for later offset/depth/byte_test values.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const parts = commaList(v);
    if (parts.length < 3) return kwError('byte_extract', `needs bytes, offset, name; got "${v ?? ''}"`);
    const bytes = parseInteger('byte_extract', parts[0], 1, 10);
    if (typeof bytes !== 'number') return bytes;
    const offset = parseInteger('byte_extract', parts[1], -65535, 65535);
    if (typeof offset !== 'number') return offset;
    const name = parts[2]!;
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name))
      return kwError('byte_extract', `bad variable name "${name}"`);
    const f = parseByteFlags('byte_extract', parts.slice(3), [
      'relative',
      'endian',
      'string',
      'dce',
      'multiplier',
      'align',
    ]);
    if ('error' in f) return f;
    const bad = checkByteCount('byte_extract', bytes, f.string);
    if (bad) return bad;
    return {
      bytes,
      offset,
      name,
      relative: f.relative,
      multiplier: f.multiplier ?? 1,
      endian: f.endian,
      ...(f.string ? { string: f.string } : {}),
      align: f.align ?? 0,
    };
  },
  attach: (o, rule) =>
    rule.addMatch({ kind: 'byte_extract', buffer: rule.buffer, transforms: [...rule.transforms], ...o }),
};
