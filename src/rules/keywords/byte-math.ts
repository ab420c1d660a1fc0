import type { ByteMathMatch } from '../ast.js';
import { clip } from '../parse/tokenize.js';
import { parseByteFlags } from './byte-options.js';
import { type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger, parseNumOrVar } from './values.js';

type ByteMathOption = Omit<ByteMathMatch, 'kind' | 'buffer' | 'transforms'>;
const OPERATORS = ['+', '-', '*', '/', '<<', '>>'] as const;

export const byteMath: KeywordDescriptor<ByteMathOption> = {
  name: 'byte_math',
  description:
    'Reads N bytes, applies an arithmetic operator with a value and stores the result in a variable.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const named: Record<string, string> = {};
    const flags: string[] = [];
    for (const item of commaList(v)) {
      const m = /^(bytes|offset|oper|rvalue|result)\s+(\S+)$/.exec(item);
      if (m) {
        if (m[1]! in named) return kwError('byte_math', `"${m[1]}" given twice`);
        named[m[1]!] = m[2]!;
      } else flags.push(item);
    }
    for (const k of ['bytes', 'offset', 'oper', 'rvalue', 'result'])
      if (!(k in named)) return kwError('byte_math', `missing "${k}"`);
    // The byte count may come from a byte_extract variable.
    const bytesVar = /^[A-Za-z_][A-Za-z0-9_]*$/.test(named.bytes ?? '') ? named.bytes : undefined;
    const bytes = bytesVar !== undefined ? 0 : parseInteger('byte_math', named.bytes, 1, 10);
    if (typeof bytes !== 'number') return bytes;
    const offset = parseNumOrVar('byte_math', named.offset, -65535, 65535);
    if (typeof offset === 'object' && 'error' in offset) return offset;
    if (!(OPERATORS as readonly string[]).includes(named.oper!))
      return kwError('byte_math', `bad operator "${clip(named.oper!)}"`);
    const rvalue = parseNumOrVar('byte_math', named.rvalue);
    if (typeof rvalue === 'object' && 'error' in rvalue) return rvalue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(named.result!))
      return kwError('byte_math', `bad result name "${clip(named.result!)}"`);
    const f = parseByteFlags('byte_math', flags, ['relative', 'endian', 'string', 'bitmask', 'dce']);
    if ('error' in f) return f;
    return {
      bytes,
      ...(bytesVar !== undefined ? { bytesVar } : {}),
      offset,
      operator: named.oper as ByteMathOption['operator'],
      rvalue,
      result: named.result!,
      relative: f.relative,
      endian: f.endian,
      ...(f.string ? { string: f.string } : {}),
      ...(f.bitmask !== undefined ? { bitmask: f.bitmask } : {}),
    };
  },
  attach: (o, rule) =>
    rule.addMatch({ kind: 'byte_math', buffer: rule.buffer, transforms: [...rule.transforms], ...o }),
};
