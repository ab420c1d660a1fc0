import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger } from './values.js';

export interface TagOption {
  scope: 'session' | 'host';
  count: number;
  metric: 'packets' | 'seconds' | 'bytes';
  direction?: 'src' | 'dst';
}

export const tag: KeywordDescriptor<TagOption> = {
  name: 'tag',
  description:
    'After an alert, also logs further packets of the session or host (count packets|seconds|bytes).',
  support: 'partial',
  supportNote: 'recorded on the alert; the tagged packets are not exported yet',
  affectsMatch: false,
  value: 'required',
  parse: (v) => {
    const [scope, count, metric, dir, ...rest] = commaList(v);
    if (scope !== 'session' && scope !== 'host')
      return kwError('tag', `scope must be session or host, got "${scope ?? ''}"`);
    if (count === undefined) return { scope, count: 256, metric: 'packets' };
    const n = parseInteger('tag', count, 1);
    if (typeof n !== 'number') return n;
    if (metric !== 'packets' && metric !== 'seconds' && metric !== 'bytes')
      return kwError('tag', `metric must be packets, seconds or bytes, got "${metric ?? ''}"`);
    if (dir !== undefined && dir !== 'src' && dir !== 'dst')
      return kwError('tag', `direction must be src or dst, got "${dir}"`);
    if (rest.length) return kwError('tag', `unexpected "${rest.join(',')}"`);
    return { scope, count: n, metric, ...(dir ? { direction: dir } : {}) };
  },
  attach: attachCondition,
};
