/**
 * A static judgement of how long a pattern can backtrack, from its PCRE
 * tree. Conservative: 'unsafe' may include patterns that are in fact fine.
 * - unsafe: back references, loops whose passes can split the same text in
 *   more than one way (`(a+)+`, `(\w+\s?)*`, `(a|ab)*`), adjacent quantifiers
 *   that can trade characters (`\s*\s+`, `.*a.*b`), unbounded lookarounds
 *   inside loops. These run in the worker, under a time bound.
 * - linear: anchored at the start, or every quantifier bounded; one match
 *   attempt costs at most a constant or one pass over the subject.
 * - quadratic: unambiguous but unanchored with an unbounded quantifier; each
 *   start position may scan to the end (`\s+x` over many spaces).
 */

import {
  allChars,
  firstChars,
  fixedLength,
  nullable,
  type PcreNode,
  type PcreTree,
  walk,
} from '../keywords/pcre-ast.js';
import { type CharSet, emptySet, fullSet, intersects, isSubset, union } from '../keywords/pcre-charset.js';

export type RegexSafety = 'linear' | 'quadratic' | 'unsafe';

/** @example classifyRegex(tree of '^\\s*=\\s*\\d+').safety // 'linear' */
export function classifyRegex(tree: PcreTree): { safety: RegexSafety; reason: string } {
  let reason: string | undefined;
  let unbounded = false;
  walk(tree.root, (n) => {
    if (reason) return;
    if (n.t === 'backref') reason = 'back reference';
    else if (n.t === 'repeat') {
      if (n.max === Infinity) unbounded = true;
      if (n.max > 1) reason = loopProblem(n.body);
    } else if (n.t === 'seq') reason = adjacentProblem(n.items);
  });
  if (reason) return { safety: 'unsafe', reason };
  if (!unbounded) return { safety: 'linear', reason: 'every quantifier is bounded' };
  if (anchoredAtStart(tree.root)) return { safety: 'linear', reason: 'anchored at the start' };
  return { safety: 'quadratic', reason: 'unanchored with an unbounded quantifier' };
}

/** Why a repeated body can backtrack exponentially, or undefined. */
function loopProblem(body: PcreNode): string | undefined {
  if (nullable(body)) return 'loop body can match empty';
  if (intersects(tailVar(body), firstChars(body))) return 'loop passes can split the same text two ways';
  let problem: string | undefined;
  walk(body, (n) => {
    if (problem) return;
    if (n.t === 'alt' && overlapping(n.branches)) problem = 'loop over alternatives that can start alike';
    if (n.t === 'look' && hasUnbounded(n.body)) problem = 'unbounded lookaround inside a loop';
  });
  return problem;
}

function overlapping(branches: PcreNode[]): boolean {
  const seen = emptySet();
  for (const b of branches) {
    const f = firstChars(b);
    if (nullable(b) || intersects(seen, f)) return true;
    union(seen, f);
  }
  return false;
}

function hasUnbounded(n: PcreNode): boolean {
  let found = false;
  walk(n, (c) => {
    if (c.t === 'repeat' && c.max === Infinity) found = true;
  });
  return found;
}

/**
 * After an item whose end can move (its tail set T), the following items
 * must pin the split: a variable-length item starting in T, reached through
 * items T could also absorb, makes the split ambiguous.
 */
function adjacentProblem(items: PcreNode[]): string | undefined {
  for (let i = 0; i < items.length; i++) {
    const t = tailVar(items[i]!);
    if (isEmpty(t)) continue;
    for (let j = i + 1; j < items.length; j++) {
      const z = items[j]!;
      const len = fixedLength(z);
      if (len === 0) continue;
      if (!intersects(firstChars(z), t)) break;
      if (len === null) return 'adjacent quantifiers can trade characters';
      if (!isSubset(allChars(z), t)) break;
    }
  }
  return undefined;
}

/** Characters the node may or may not take at its end (where its match length can vary). */
function tailVar(n: PcreNode): CharSet {
  switch (n.t) {
    case 'set':
    case 'assert':
    case 'look':
    case 'atomic':
      return emptySet();
    case 'backref':
      return fullSet();
    case 'group':
      return tailVar(n.body);
    case 'repeat': {
      if (n.possessive) return emptySet();
      const t = tailVar(n.body);
      if (n.min !== n.max) union(t, firstChars(n.body));
      return t;
    }
    case 'seq': {
      const t = emptySet();
      for (let k = n.items.length - 1; k >= 0; k--) {
        const item = n.items[k]!;
        union(t, tailVar(item));
        if (!nullable(item)) break;
        union(t, firstChars(item));
      }
      return t;
    }
    case 'alt': {
      const t = emptySet();
      for (const b of n.branches) union(t, tailVar(b));
      if (fixedLength(n) === null) union(t, allChars(n));
      return t;
    }
  }
}

function isEmpty(s: CharSet): boolean {
  for (let i = 0; i < 8; i++) if (s[i] !== 0) return false;
  return true;
}

/**
 * Every way through the pattern starts with \A or ^ (without m): one attempt per call.
 * @example anchoredAtStart(tree of '^(?:GET|POST) ') // true
 */
export function anchoredAtStart(n: PcreNode): boolean {
  switch (n.t) {
    case 'assert':
      return n.kind === 'start';
    case 'seq':
      return n.items.length > 0 && anchoredAtStart(n.items[0]!);
    case 'alt':
      return n.branches.every(anchoredAtStart);
    case 'group':
    case 'atomic':
      return anchoredAtStart(n.body);
    default:
      return false;
  }
}
