/**
 * dataset and datarep: match the current sticky buffer (after its
 * transforms) against a named set loaded from a file or filled at run time.
 * The option is kept as a condition that names its buffer and transforms;
 * the engine runs it with a DatasetStore (src/rules/datasets/).
 */
import type { Transform } from '../ast.js';
import {
  type DatarepOption,
  type DatasetOption,
  parseDatarepOption,
  parseDatasetOption,
} from '../datasets/options.js';
import { DEFAULT_BUFFER, type RuleBuilder } from '../parse/builder.js';
import { type KeywordDescriptor, kwError } from './types.js';

/** The condition value a dataset or datarep keyword records. */
export type DatasetCondition = (DatasetOption | DatarepOption) & {
  /** The sticky buffer it inspects. */
  buffer: string;
  /** That buffer's transforms, applied before the lookup. */
  transforms: Transform[];
};

function attach(o: DatasetOption | DatarepOption, rule: RuleBuilder, usedName: string): string | undefined {
  if (rule.buffer === DEFAULT_BUFFER)
    return `${usedName}: needs a sticky buffer (dns.query, http.host ...) before it`;
  rule.useStickyBuffer();
  if (o.format === 'json' || o.format === 'jsonline')
    rule.ignored.push({ keyword: usedName, reason: `${o.format} datasets are not loaded` });
  const value: DatasetCondition = { ...o, buffer: rule.buffer, transforms: [...rule.transforms] };
  rule.conditions.push({ keyword: usedName, value });
  return undefined;
}

export const dataset: KeywordDescriptor<DatasetOption> = {
  name: 'dataset',
  description:
    'Matches the sticky buffer against a named set: isset, isnotset, set (new value added) or unset (value removed).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const o = parseDatasetOption(v ?? '');
    return 'error' in o ? kwError('dataset', o.error) : o;
  },
  attach,
};

export const datarep: KeywordDescriptor<DatarepOption> = {
  name: 'datarep',
  description: 'Matches when the sticky buffer is in a reputation set with a reputation >, < or == a value.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const o = parseDatarepOption(v ?? '');
    return 'error' in o ? kwError('datarep', o.error) : o;
  },
  attach,
};
