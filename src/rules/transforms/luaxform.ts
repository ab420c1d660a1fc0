/**
 * luaxform: a Lua script that rewrites the buffer. Picket parses it for
 * explanations but never runs scripts, so the rule loads as partial and the
 * transformed buffer always fails (nothing is claimed about it).
 */
import type { LuaxformArgs } from '../ast.js';

/**
 * Parses `script.lua[, arg, ...]`.
 * @example parseLuaxformArgs('decode.lua, a, b') // { script: 'decode.lua', args: ['a', 'b'] }
 */
export function parseLuaxformArgs(value: string): LuaxformArgs | { error: string } {
  const parts = value.split(',').map((s) => s.trim());
  const script = parts[0] ?? '';
  if (script === '') return { error: 'needs a script file name' };
  if (/[\s"]/.test(script)) return { error: `"${script.slice(0, 40)}" is not a script file name` };
  if (parts.length > 11) return { error: 'takes at most 10 script arguments' };
  return { script, args: parts.slice(1) };
}
