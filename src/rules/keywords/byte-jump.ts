import type { ByteJumpMatch } from '../ast.js';
import { checkByteCount, parseByteFlags } from './byte-options.js';
import { type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger, parseNumOrVar } from './values.js';

type ByteJumpOption = Omit<ByteJumpMatch, 'kind' | 'buffer' | 'transforms'>;

export const byteJump: KeywordDescriptor<ByteJumpOption> = {
  name: 'byte_jump',
  description: 'Reads N bytes at an offset as a length and moves the match position past it.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const parts = commaList(v);
    if (parts.length < 2) return kwError('byte_jump', `needs bytes and offset; got "${v ?? ''}"`);
    // Suricata also takes the byte count from a byte_extract variable.
    const bytesVar = /^[A-Za-z_][A-Za-z0-9_]*$/.test(parts[0] ?? '') ? parts[0] : undefined;
    const bytes = bytesVar !== undefined ? 0 : parseInteger('byte_jump', parts[0], 0, 10);
    if (typeof bytes !== 'number') return bytes;
    const offset = parseNumOrVar('byte_jump', parts[1], -65535, 65535);
    if (typeof offset === 'object' && 'error' in offset) return offset;
    const f = parseByteFlags('byte_jump', parts.slice(2), [
      'relative',
      'endian',
      'string',
      'bitmask',
      'dce',
      'multiplier',
      'align',
      'post_offset',
      'from_beginning',
      'from_end',
    ]);
    if ('error' in f) return f;
    if (bytes === 0 && !f.fromEnd && bytesVar === undefined)
      return kwError('byte_jump', '0 bytes is only valid with from_end');
    if (bytes > 0) {
      const bad = checkByteCount('byte_jump', bytes, f.string);
      if (bad) return bad;
    }
    return {
      bytes,
      ...(bytesVar !== undefined ? { bytesVar } : {}),
      offset,
      relative: f.relative,
      multiplier: f.multiplier ?? 1,
      endian: f.endian,
      ...(f.string ? { string: f.string } : {}),
      align: f.align !== undefined,
      fromBeginning: f.fromBeginning ?? false,
      fromEnd: f.fromEnd ?? false,
      postOffset: f.postOffset ?? 0,
      ...(f.bitmask !== undefined ? { bitmask: f.bitmask } : {}),
    };
  },
  attach: (o, rule) =>
    rule.addMatch({ kind: 'byte_jump', buffer: rule.buffer, transforms: [...rule.transforms], ...o }),
};
