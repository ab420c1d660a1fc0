/**
 * The content modifiers that take no buffer: nocase, rawbytes, depth,
 * offset, distance, within, startswith, endswith. Each applies to the
 * preceding content and rejects repeats and absolute/relative mixes.
 */
import type { ContentMatch, NumOrVar } from '../ast.js';
import type { RuleBuilder } from '../parse/builder.js';
import type { KeywordDescriptor } from './types.js';
import { parseNumOrVar } from './values.js';

type Flag = 'nocase' | 'rawbytes' | 'startswith' | 'endswith';
type Position = 'depth' | 'offset' | 'distance' | 'within';

const RELATIVE: readonly Position[] = ['distance', 'within'];
const ABSOLUTE: readonly Position[] = ['depth', 'offset'];

function flagModifier(name: Flag, description: string): KeywordDescriptor<true> {
  return {
    name,
    description,
    support: 'full',
    affectsMatch: true,
    value: 'none',
    parse: () => true,
    attach: (_o, rule) => {
      const c = rule.contentFor(name);
      if ('error' in c) return c.error;
      if (c[name]) return `${name}: given twice for content "${c.text}"`;
      if (
        name === 'startswith' &&
        (c.depth !== undefined ||
          c.offset !== undefined ||
          c.distance !== undefined ||
          c.within !== undefined)
      )
        return `startswith: cannot be combined with depth, offset, distance or within on content "${c.text}"`;
      c[name] = true;
      return undefined;
    },
  };
}

function positionModifier(name: Position, description: string): KeywordDescriptor<NumOrVar> {
  const min = name === 'distance' ? -65535 : 0;
  return {
    name,
    description,
    support: 'full',
    affectsMatch: true,
    value: 'required',
    parse: (v) => parseNumOrVar(name, v, min),
    attach: (o, rule) => attachPosition(name, o, rule),
  };
}

function attachPosition(name: Position, o: NumOrVar, rule: RuleBuilder): string | undefined {
  const c = rule.contentFor(name);
  if ('error' in c) return c.error;
  if (c[name] !== undefined) return `${name}: given twice for content "${c.text}"`;
  const clash = (RELATIVE.includes(name) ? ABSOLUTE : RELATIVE).find((k) => c[k] !== undefined);
  if (clash) return `${name}: cannot mix with ${clash} on content "${c.text}" (relative and absolute)`;
  if (c.startswith) return `${name}: content "${c.text}" already uses startswith`;
  if (c.fastPattern?.only) return `${name}: content "${c.text}" is fast_pattern:only`;
  if (name === 'within' && typeof o === 'number' && o < c.bytes.length)
    return `within: ${o} is shorter than content "${c.text}" (${c.bytes.length} bytes)`;
  if (name === 'depth' && typeof o === 'number' && o < c.bytes.length)
    return `depth: ${o} is shorter than content "${c.text}" (${c.bytes.length} bytes)`;
  (c as ContentMatch)[name] = o;
  return undefined;
}

export const nocase = flagModifier(
  'nocase',
  'Makes the preceding content match without regard to ASCII case.',
);
export const rawbytes = flagModifier(
  'rawbytes',
  'Matches the preceding content on raw packet bytes (a Snort-era no-op in Suricata).',
);
export const startswith = flagModifier(
  'startswith',
  'The preceding content must be at the start of the buffer.',
);
export const endswith = flagModifier('endswith', 'The preceding content must be at the end of the buffer.');
export const depth = positionModifier(
  'depth',
  'The preceding content must end within N bytes of the buffer start (after offset).',
);
export const offset = positionModifier(
  'offset',
  'The preceding content is searched from byte N of the buffer.',
);
export const distance = positionModifier(
  'distance',
  'The preceding content starts at least N bytes after the previous match.',
);
export const within = positionModifier(
  'within',
  'The preceding content must end within N bytes after the previous match.',
);
