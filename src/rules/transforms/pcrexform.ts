/**
 * pcrexform: runs a regular expression with exactly one capture group over
 * the buffer; the buffer becomes what the group captured. No match fails the
 * buffer (nothing in it is inspected), as in Suricata. The expression is
 * translated with the rule engine's PCRE translator.
 */
import type { PcrexformArgs } from '../ast.js';
import { REMAP_BASE, remapHighBytes } from '../keywords/pcre-emit.js';
import { analyzePcre } from '../keywords/pcre-translate.js';
import type { Scratch } from './scratch.js';

const MAX_EXPRESSION = 16384;

/**
 * Parses `"regex"` (quotes required, no slashes or flags).
 * @example parsePcrexformArgs('"^GET (\\S+)"').js.source // '^GET (\\S+)'
 */
export function parsePcrexformArgs(value: string): PcrexformArgs | { error: string } {
  const v = value.trim();
  if (v.length < 2 || !v.startsWith('"') || !v.endsWith('"'))
    return { error: 'expression must be in double quotes' };
  const source = v.slice(1, -1);
  if (source === '') return { error: 'empty expression' };
  if (source.length > MAX_EXPRESSION) return { error: `expression longer than ${MAX_EXPRESSION} characters` };
  const js = analyzePcre(source, {
    caseless: false,
    dotall: false,
    multiline: false,
    extended: false,
    ungreedy: false,
    dollarEndOnly: false,
  });
  if ('error' in js) return { error: js.error };
  // Count PCRE's own groups: the translation may add helper groups of its own.
  const groups = js.groupMap.length - 1;
  if (groups !== 1) return { error: `needs exactly one capture group, found ${groups}` };
  return {
    source,
    js: { source: js.source, flags: js.flags, group: js.groupMap[1]!, remapHigh: js.remapHigh },
  };
}

/**
 * Builds the step for one expression (compiled once).
 * @example pcrexformStep(args)(bytes('GET /x HTTP/1.1'), scratch) // '/x'
 */
export function pcrexformStep(
  args: PcrexformArgs,
): (input: Uint8Array, out: Scratch) => Uint8Array | undefined {
  const re = new RegExp(args.js.source, args.js.flags);
  const { group, remapHigh } = args.js;
  return (input, out) => {
    // The buffer as Latin-1 text: one character per byte, so offsets agree.
    const text = Buffer.from(input.buffer, input.byteOffset, input.length).toString('latin1');
    const g = re.exec(remapHigh ? remapHighBytes(text) : text)?.[group];
    if (g === undefined) return undefined;
    const o = out.take(g.length);
    if (!o) return undefined;
    for (let i = 0; i < g.length; i++) {
      const c = g.charCodeAt(i);
      o[i] = c >= REMAP_BASE ? c - REMAP_BASE : c;
    }
    return o.subarray(0, g.length);
  };
}
