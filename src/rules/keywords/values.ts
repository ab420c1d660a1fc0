/**
 * Small value parsers shared by keywords: bounded integers, variable
 * references, numeric comparisons, comma lists. Errors name the keyword.
 */
import type { NumberTest, NumOrVar } from '../ast.js';
import { clip } from '../parse/tokenize.js';
import { type KeywordError, kwError } from './types.js';

export const U32_MAX = 0xffffffff;

/** Parses a decimal (or 0x hex) integer within [min, max]. */
export function parseInteger(
  kw: string,
  tok: string | undefined,
  min = 0,
  max = U32_MAX,
): number | KeywordError {
  const t = (tok ?? '').trim();
  if (t === '') return kwError(kw, 'missing number');
  let n: number;
  if (/^[+-]?\d{1,20}$/.test(t)) n = Number(t);
  else if (/^0x[0-9a-f]{1,16}$/i.test(t)) n = Number.parseInt(t.slice(2), 16);
  else return kwError(kw, `"${clip(t)}" is not a number`);
  if (n < min || n > max) return kwError(kw, `${clip(t)} out of range ${min}-${max}`);
  return n;
}

/** A number, or a byte_extract/byte_math variable name. */
export function parseNumOrVar(
  kw: string,
  tok: string | undefined,
  min = 0,
  max = U32_MAX,
): NumOrVar | KeywordError {
  const t = (tok ?? '').trim();
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(t) && !/^0x/i.test(t)) return { var: t };
  return parseInteger(kw, t, min, max);
}

/**
 * Numeric comparisons used by dsize, urilen, bsize, itype, icode, ttl ...:
 * `N`, `<N`, `>N`, `<=N`, `>=N`, `!N`, `N<>M` (exclusive), `N-M` (inclusive).
 */
export function parseNumberTest(
  kw: string,
  tok: string | undefined,
  max = U32_MAX,
): NumberTest | KeywordError {
  const t = (tok ?? '').trim().replace(/\s+/g, '');
  const between = /^(\d+)<>(\d+)$/.exec(t);
  if (between) {
    const lo = parseInteger(kw, between[1], 0, max);
    const hi = parseInteger(kw, between[2], 0, max);
    if (typeof lo !== 'number') return lo;
    if (typeof hi !== 'number') return hi;
    if (lo >= hi) return kwError(kw, `range "${t}" must have min < max`);
    return { op: 'between', value: lo, max: hi };
  }
  const range = /^(\d+)-(\d+)$/.exec(t);
  if (range) {
    const lo = parseInteger(kw, range[1], 0, max);
    const hi = parseInteger(kw, range[2], 0, max);
    if (typeof lo !== 'number') return lo;
    if (typeof hi !== 'number') return hi;
    if (lo > hi) return kwError(kw, `range "${t}" is reversed`);
    return { op: 'range', value: lo, max: hi };
  }
  const m = /^(<=|>=|<|>|!|=)?(.*)$/.exec(t)!;
  const op = (m[1] === '!' ? '!=' : (m[1] ?? '=')) as NumberTest['op'];
  const n = parseInteger(kw, m[2], 0, max);
  if (typeof n !== 'number') return n;
  return { op, value: n };
}

/** Splits on commas, trimming, dropping empty trailing items. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s, i, a) => s !== '' || i < a.length - 1);
}

/** One parameter of a table-declared keyword (Snort 3 style). */
export interface ParamSpec {
  type: 'int' | 'enum';
  min?: number;
  max?: number;
  values?: readonly string[];
  required?: boolean;
  help: string;
}

/**
 * Parses `key value, key value` parameter lists against a declared table,
 * rejecting unknown, repeated, missing and out-of-range parameters.
 */
export function parseParams(
  kw: string,
  value: string | undefined,
  table: Readonly<Record<string, ParamSpec>>,
): Record<string, string | number> | KeywordError {
  const out: Record<string, string | number> = {};
  for (const item of commaList(value)) {
    const m = /^([a-z_]+)\s+(\S+)$/.exec(item);
    if (!m) return kwError(kw, `expected "name value", got "${clip(item)}"`);
    const [, key, v] = m as unknown as [string, string, string];
    const spec = table[key];
    if (!spec) return kwError(kw, `unknown parameter "${clip(key)}"`);
    if (key in out) return kwError(kw, `parameter "${key}" given twice`);
    if (spec.type === 'int') {
      const n = parseInteger(kw, v, spec.min ?? 0, spec.max ?? U32_MAX);
      if (typeof n !== 'number') return n;
      out[key] = n;
    } else {
      if (!spec.values!.includes(v))
        return kwError(kw, `${key} "${clip(v)}" is not one of ${spec.values!.join(', ')}`);
      out[key] = v;
    }
  }
  for (const [key, spec] of Object.entries(table)) {
    if (spec.required && !(key in out)) return kwError(kw, `missing "${key}"`);
  }
  return out;
}
