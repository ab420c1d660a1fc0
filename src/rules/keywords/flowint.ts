import type { NumOrVar } from '../ast.js';
import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseNumOrVar } from './values.js';

export interface FlowintOption {
  name: string;
  op: '=' | '+' | '-' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'isset' | 'notset';
  value?: NumOrVar;
}

const MODIFY = ['=', '+', '-'];
const COMPARE = ['==', '!=', '<', '<=', '>', '>='];

export const flowint: KeywordDescriptor<FlowintOption> = {
  name: 'flowint',
  description: 'Per-flow integer counters: set, add, subtract, compare, test if set.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const [name, op, val, ...rest] = commaList(v);
    if (!name || !/^[A-Za-z0-9_.-]+$/.test(name)) return kwError('flowint', `bad name "${name ?? ''}"`);
    const o = op === 'isnotset' ? 'notset' : op;
    if (o === 'isset' || o === 'notset') {
      if (val !== undefined) return kwError('flowint', `${op} takes no value`);
      return { name, op: o };
    }
    if (!MODIFY.includes(o ?? '') && !COMPARE.includes(o ?? ''))
      return kwError('flowint', `bad operator "${op ?? ''}"`);
    if (val === undefined || rest.length) return kwError('flowint', `expected name,${o},value`);
    const value = parseNumOrVar('flowint', val);
    if (typeof value === 'object' && 'error' in value) return value;
    return { name, op: o as FlowintOption['op'], value };
  },
  attach: attachCondition,
};
