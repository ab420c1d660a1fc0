/**
 * The tree a PCRE pattern parses into. Flags are already applied: a caseless
 * letter is a two-letter set, `.` is a set, `$` is an `end-nl` or `line-end`
 * assertion, and quantifier greediness includes `/G` and `(?U)`. The
 * translator writes it out as JavaScript; the regex runner reads it to judge
 * whether a pattern can backtrack catastrophically.
 */
import { type CharSet, emptySet, fullSet, union } from './pcre-charset.js';

export type PcreNode =
  | { t: 'set'; set: CharSet }
  | { t: 'seq'; items: PcreNode[] }
  | { t: 'alt'; branches: PcreNode[] }
  /** capture 0 = non-capturing. */
  | { t: 'group'; capture: number; name?: string; body: PcreNode }
  | { t: 'atomic'; body: PcreNode }
  | { t: 'look'; behind: boolean; negate: boolean; body: PcreNode }
  | { t: 'repeat'; min: number; max: number; lazy: boolean; possessive: boolean; body: PcreNode }
  /** canBeEmpty: set by checkBackrefs when the group is surely set and never empty. */
  | { t: 'backref'; group: number; caseless: boolean; canBeEmpty?: boolean }
  | { t: 'assert'; kind: AssertKind };

/**
 * start: `\A`, `^` without m. end: `\z`, `$` with E. end-nl: `\Z`, `$`.
 * line-start / line-end: `^ $` with m. word / not-word: `\b \B`.
 */
export type AssertKind = 'start' | 'end' | 'end-nl' | 'line-start' | 'line-end' | 'word' | 'not-word';

export interface PcreTree {
  root: PcreNode;
  /** Number of capturing groups. */
  groups: number;
  /** Group number by name. */
  names: Map<string, number>;
}

/** True when the node can match the empty string. @example nullable({ t: 'assert', kind: 'word' }) // true */
export function nullable(n: PcreNode): boolean {
  switch (n.t) {
    case 'set':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.branches.some(nullable);
    case 'group':
    case 'atomic':
      return nullable(n.body);
    case 'repeat':
      return n.min === 0 || nullable(n.body);
    case 'backref':
      return n.canBeEmpty ?? true;
    case 'look':
    case 'assert':
      return true;
  }
}

/** Length of every match, or null when it varies (or depends on a back reference). */
export function fixedLength(n: PcreNode): number | null {
  switch (n.t) {
    case 'set':
      return 1;
    case 'seq': {
      let total = 0;
      for (const item of n.items) {
        const l = fixedLength(item);
        if (l === null) return null;
        total += l;
      }
      return total;
    }
    case 'alt': {
      let len: number | null | undefined;
      for (const b of n.branches) {
        const l = fixedLength(b);
        if (l === null || (len !== undefined && l !== len)) return null;
        len = l;
      }
      return len ?? 0;
    }
    case 'group':
    case 'atomic':
      return fixedLength(n.body);
    case 'repeat': {
      if (n.min !== n.max) return null;
      const l = fixedLength(n.body);
      return l === null ? null : l * n.min;
    }
    case 'backref':
      return null;
    case 'look':
    case 'assert':
      return 0;
  }
}

/** Characters a match can start with (zero-width parts contribute none). */
export function firstChars(n: PcreNode): CharSet {
  switch (n.t) {
    case 'set':
      return n.set;
    case 'seq': {
      const s = emptySet();
      for (const item of n.items) {
        union(s, firstChars(item));
        if (!nullable(item)) break;
      }
      return s;
    }
    case 'alt': {
      const s = emptySet();
      for (const b of n.branches) union(s, firstChars(b));
      return s;
    }
    case 'group':
    case 'atomic':
    case 'repeat':
      return n.t === 'repeat' && n.max === 0 ? emptySet() : firstChars(n.body);
    case 'backref':
      return fullSet();
    case 'look':
    case 'assert':
      return emptySet();
  }
}

/** Every character the node can consume anywhere (its alphabet). */
export function allChars(n: PcreNode): CharSet {
  switch (n.t) {
    case 'set':
      return n.set;
    case 'seq':
    case 'alt': {
      const s = emptySet();
      for (const c of n.t === 'seq' ? n.items : n.branches) union(s, allChars(c));
      return s;
    }
    case 'group':
    case 'atomic':
    case 'repeat':
      return allChars(n.body);
    case 'backref':
      return fullSet();
    case 'look':
    case 'assert':
      return emptySet();
  }
}

/** Calls fn on n and every node below it (depth first, in pattern order). */
export function walk(n: PcreNode, fn: (n: PcreNode) => void): void {
  fn(n);
  switch (n.t) {
    case 'seq':
      for (const c of n.items) walk(c, fn);
      break;
    case 'alt':
      for (const c of n.branches) walk(c, fn);
      break;
    case 'group':
    case 'atomic':
    case 'look':
    case 'repeat':
      walk(n.body, fn);
      break;
    default:
  }
}

/**
 * Where the empty match comes in the node's order of preference: never,
 * always (zero-width only), last (after every non-empty way), or mixed.
 * PCRE ends a loop when a pass matches empty; JavaScript instead rejects
 * that pass and tries the body's next way. The two agree unless a loop body
 * is 'mixed' (e.g. `(?:a??)+`, `(?:|a)*`).
 * @example emptyOrder(parse('a|')) // 'last'; emptyOrder(parse('|a')) // 'mixed'
 */
export function emptyOrder(n: PcreNode): 'never' | 'always' | 'last' | 'mixed' {
  switch (n.t) {
    case 'set':
      return 'never';
    case 'assert':
    case 'look':
      return 'always';
    case 'backref':
      // One way to match, like an atomic group.
      return nullable(n) ? 'last' : 'never';
    case 'atomic':
      // One way only once matched: empty or not, never both.
      return nullable(n.body) ? 'last' : 'never';
    case 'group':
      return emptyOrder(n.body);
    case 'seq': {
      const orders = n.items.map(emptyOrder);
      if (orders.includes('never')) return 'never';
      if (orders.every((o) => o === 'always')) return 'always';
      return orders.includes('mixed') ? 'mixed' : 'last';
    }
    case 'alt': {
      let seenEmpty = false;
      let all: 'never' | 'always' | 'last' | 'mixed' | undefined;
      for (const b of n.branches) {
        const o = emptyOrder(b);
        if (o === 'mixed' || (seenEmpty && o !== 'always')) return 'mixed';
        if (o !== 'never') seenEmpty = true;
        all = all === undefined || all === o ? o : 'last';
      }
      return all === 'never' || all === 'always' ? all : 'last';
    }
    case 'repeat': {
      if (n.max === 0) return 'always';
      const body = n.possessive ? (nullable(n.body) ? 'last' : 'never') : emptyOrder(n.body);
      if (body === 'always' || body === 'mixed') return body;
      if (n.possessive) return n.min === 0 || body === 'last' ? 'last' : 'never';
      if (n.lazy && n.min < n.max && (n.min === 0 || body === 'last')) return 'mixed';
      return n.min === 0 || body === 'last' ? 'last' : 'never';
    }
  }
}
