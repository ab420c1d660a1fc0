/**
 * Translates a PCRE pattern (as used in rules) into a JavaScript RegExp
 * source with exactly the same matches on Latin-1 strings of the buffer
 * bytes. Covered: atomic groups and possessive quantifiers (emulated
 * exactly), inline flags anywhere (`(?i)`, `(?-i:...)`, `(?s)`, `(?m)`,
 * `(?x)`, `(?U)`), `\Q...\E`, named groups in every PCRE spelling, `\A \Z \z`,
 * `\h \H \v \V \R \N`, `\x{..}`, `\o{..}`, POSIX classes, comments and /x.
 * Anything without an exact JavaScript equivalent (`\G`, `\K` past the start,
 * recursion, conditionals, references that may see an unset group ...) is an
 * error saying why, never an approximation.
 *
 * One difference is not about matching: a group inside a loop that the last
 * pass skipped reports undefined in JavaScript where PCRE keeps the earlier
 * pass's text (match position and extent are the same).
 */
import type { PcreTree } from './pcre-ast.js';
import { emptyOrder, nullable, walk } from './pcre-ast.js';
import { checkBackrefs } from './pcre-backref.js';
import { type EmitOptions, type EmittedPcre, emitPcre } from './pcre-emit.js';
import { type PcreFlags, parsePcreTree } from './pcre-parse.js';

export type { PcreFlags } from './pcre-parse.js';

export interface PcreTranslation extends EmittedPcre {
  tree: PcreTree;
}

/**
 * Parses and translates, keeping the tree (for the regex runner's safety
 * classifier) and where each PCRE group lands in the JavaScript match.
 * `options.trimEnd` writes end assertions that end the match without
 * lookahead (see EmittedPcre.trimGroups; the regex runner uses it).
 * @example analyzePcre('(?>a+)b', flags) // { source: '(?:(?=(a+))\\1)b', flags: '', groupMap: [0], tree }
 */
export function analyzePcre(
  pattern: string,
  flags: PcreFlags,
  options: EmitOptions = {},
): PcreTranslation | { error: string } {
  const tree = parsePcreTree(pattern, flags);
  if ('error' in tree) return tree;
  const refs = checkBackrefs(tree);
  if ('error' in refs) return refs;
  const loop = emptyLoopProblem(tree);
  if (loop) return { error: loop };
  const out = emitPcre(tree, refs.neverSet, options);
  if ('error' in out) return out;
  return { ...out, tree };
}

/** A loop whose body prefers an empty match before a non-empty one ends differently in JS. */
function emptyLoopProblem(tree: PcreTree): string | null {
  let problem: string | null = null;
  walk(tree.root, (n) => {
    if (problem || n.t !== 'repeat' || n.max <= n.min || !nullable(n.body)) return;
    if (emptyOrder(n.body) === 'mixed')
      problem =
        'a loop whose body can prefer an empty match (PCRE ends the loop there, JavaScript tries the next way)';
  });
  return problem;
}

/**
 * The source and flags only. A pattern needing the `i` flag for a caseless
 * back reference over Latin-1 letters (remapHigh in analyzePcre) expects
 * subjects passed through remapHighBytes: run rule pcre through
 * compileRuleRegex (rules/engine/regex-run.ts), which does that.
 * @example translatePcre('^GET\\s', flags) // { source: '^GET[\\t-\\r ]', flags: '' }
 */
export function translatePcre(
  pattern: string,
  f: PcreFlags,
): { source: string; flags: string } | { error: string } {
  // Rulesets repeat patterns (ET: 7,684 pcre, 3,669 distinct): translate each once.
  const key = `${+f.caseless}${+f.dotall}${+f.multiline}${+f.extended}${+f.ungreedy}${+f.dollarEndOnly}${pattern}`;
  const known = translated.get(key);
  if (known !== undefined) return known;
  const r = analyzePcre(pattern, f);
  const out = 'error' in r ? { error: r.error } : { source: r.source, flags: r.flags };
  if (translated.size >= MAX_TRANSLATED) translated.clear();
  translated.set(key, out);
  return out;
}

/** translatePcre's answers by flags and pattern (shared read-only objects), bounded. */
const translated = new Map<string, { source: string; flags: string } | { error: string }>();
const MAX_TRANSLATED = 20_000;

/**
 * The matching-mode part of a rule's pcre flags (buffer letters ignored).
 * @example pcreModeFlags('smiR').multiline // true
 */
export function pcreModeFlags(flags: string): PcreFlags {
  return {
    caseless: flags.includes('i'),
    dotall: flags.includes('s'),
    multiline: flags.includes('m'),
    extended: flags.includes('x'),
    ungreedy: flags.includes('G'),
    dollarEndOnly: flags.includes('E'),
  };
}
