/** Length tests: bsize (current buffer), urilen (URI), dsize (payload). */
import type { NumberTest } from '../ast.js';
import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { parseNumberTest } from './values.js';

export const bsize: KeywordDescriptor<NumberTest> = {
  name: 'bsize',
  description: 'Tests the length of the current sticky buffer (N, <N, >N, N<>M).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parseNumberTest('bsize', v),
  attach: (test, rule) => {
    if (rule.buffer === 'pkt') return 'bsize: needs a sticky buffer before it';
    return rule.addMatch({ kind: 'bsize', buffer: rule.buffer, transforms: [...rule.transforms], test });
  },
};

export interface UrilenOption {
  test: NumberTest;
  raw: boolean;
}

export const urilen: KeywordDescriptor<UrilenOption> = {
  name: 'urilen',
  description: 'Tests the length of the request URI (normalised, or raw with ",raw").',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const [t, kind, extra] = (v ?? '').split(',').map((s) => s.trim());
    if (extra !== undefined || (kind !== undefined && kind !== 'raw' && kind !== 'norm'))
      return kwError('urilen', `expected N[,raw|norm], got "${v ?? ''}"`);
    const test = parseNumberTest('urilen', t, 65535);
    if ('error' in test) return test;
    return { test, raw: kind === 'raw' };
  },
  attach: attachCondition,
};

export const dsize: KeywordDescriptor<NumberTest> = {
  name: 'dsize',
  description: 'Tests the packet payload size in bytes.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parseNumberTest('dsize', v, 65535),
  attach: attachCondition,
};
