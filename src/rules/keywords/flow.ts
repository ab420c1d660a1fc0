import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { commaList } from './values.js';

export interface FlowOption {
  state?: 'established' | 'not_established' | 'stateless';
  direction?: 'to_server' | 'to_client';
  stream?: 'only_stream' | 'no_stream';
  frag?: 'only_frag' | 'no_frag';
}

const GROUP: Record<string, [keyof FlowOption, string]> = {
  established: ['state', 'established'],
  not_established: ['state', 'not_established'],
  stateless: ['state', 'stateless'],
  to_server: ['direction', 'to_server'],
  from_client: ['direction', 'to_server'],
  to_client: ['direction', 'to_client'],
  from_server: ['direction', 'to_client'],
  only_stream: ['stream', 'only_stream'],
  no_stream: ['stream', 'no_stream'],
  only_frag: ['frag', 'only_frag'],
  no_frag: ['frag', 'no_frag'],
};

export const flow: KeywordDescriptor<FlowOption> = {
  name: 'flow',
  description: 'Restricts by connection state and direction (established, to_server ...).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const out: FlowOption = {};
    const items = commaList(v);
    if (items.length === 0) return kwError('flow', 'no options');
    for (const item of items) {
      const g = GROUP[item.toLowerCase()];
      if (!g) return kwError('flow', `unknown option "${item}"`);
      const [key, val] = g;
      if (out[key] !== undefined) return kwError('flow', `"${item}" conflicts with "${out[key]}"`);
      (out as Record<string, string>)[key] = val;
    }
    return out;
  },
  attach: (o, rule, used) => {
    if (rule.seen.has('flow')) return 'flow: given twice';
    rule.seen.add('flow');
    return attachCondition(o, rule, used);
  },
};
