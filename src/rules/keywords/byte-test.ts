import type { ByteTestMatch } from '../ast.js';
import { checkByteCount, parseByteFlags } from './byte-options.js';
import { type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger, parseNumOrVar } from './values.js';

type ByteTestOption = Omit<ByteTestMatch, 'kind' | 'buffer' | 'transforms'>;
const OPS = ['<', '>', '=', '!', '&', '^', '<=', '>='] as const;

export const byteTest: KeywordDescriptor<ByteTestOption> = {
  name: 'byte_test',
  description: 'Reads N bytes at an offset as a number and compares it with a value.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const parts = commaList(v);
    if (parts.length < 4)
      return kwError('byte_test', `needs bytes, operator, value, offset; got "${v ?? ''}"`);
    const bytes = parseInteger('byte_test', parts[0], 0, 10);
    if (typeof bytes !== 'number') return bytes;
    let opText = parts[1]!.replace(/\s+/g, '');
    let negated = false;
    if (opText.startsWith('!') && opText.length > 1) {
      negated = true;
      opText = opText.slice(1);
    }
    if (!(OPS as readonly string[]).includes(opText))
      return kwError('byte_test', `bad operator "${parts[1]}"`);
    const value = parseNumOrVar('byte_test', parts[2], 0, 0xffffffffffff);
    if (typeof value === 'object' && 'error' in value) return value;
    const offset = parseNumOrVar('byte_test', parts[3], -0x7fffffff, 0x7fffffff);
    if (typeof offset === 'object' && 'error' in offset) return offset;
    const f = parseByteFlags('byte_test', parts.slice(4), ['relative', 'endian', 'string', 'bitmask', 'dce']);
    if ('error' in f) return f;
    const bad = checkByteCount('byte_test', bytes, f.string);
    if (bad) return bad;
    return {
      bytes,
      negated,
      operator: opText as ByteTestOption['operator'],
      value,
      offset,
      relative: f.relative,
      endian: f.endian,
      ...(f.string ? { string: f.string } : {}),
      ...(f.bitmask !== undefined ? { bitmask: f.bitmask } : {}),
    };
  },
  attach: (o, rule) =>
    rule.addMatch({ kind: 'byte_test', buffer: rule.buffer, transforms: [...rule.transforms], ...o }),
};
