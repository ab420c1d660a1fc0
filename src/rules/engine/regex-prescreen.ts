/**
 * A necessary condition for a pcre that V8's linear-time engine cannot run
 * as written: the same pattern loosened until that engine takes it. Every
 * match of the exact pattern is a match of the loosened one, so when the
 * loosened one finds nothing the exact one would not either, and the worker
 * round trip (25-65 µs, a time bound, a copy of the subject) is skipped.
 * When it does find something, the exact pattern still decides.
 *
 * Loosening, each step only adds matches:
 * - a back reference becomes its group's body, optional (the referenced text
 *   matched that body; an unset group is the empty string in JavaScript),
 *   with the body's assertions dropped (they were checked where the group
 *   matched, not where the reference is); a reference inside its own group
 *   becomes "anything";
 * - atomic groups and possessive quantifiers become plain ones (they only
 *   remove ways to match);
 * - lookarounds and the assertions written with lookaround are dropped,
 *   except end assertions that end the match, which are kept in their
 *   lookahead-free form (trimEnd: the newline taken does not matter here);
 * - if the engine still refuses (bounded repeats are unrolled, up to 16
 *   copies), large bounds are opened up, then every bound.
 * Captures become non-capturing: only whether it matches is asked.
 */
import { type PcreNode, type PcreTree, walk } from '../keywords/pcre-ast.js';
import { fullSet } from '../keywords/pcre-charset.js';
import { emitPcre, matchEndAsserts } from '../keywords/pcre-emit.js';

/** Longest bounded repeat V8's linear-time engine unrolls. */
const MAX_UNROLL = 16;

export interface Prescreen {
  /** Searches from lastIndex (the `g` form). */
  search: RegExp;
  /** Matches at lastIndex only (the `y` form). */
  sticky: RegExp;
  /** The loosened pattern's source, for tests and reports. */
  source: string;
}

/**
 * The loosened pattern on the linear-time engine, or undefined when even
 * the loosest form is refused. `linear(source)` compiles a source for that
 * engine (undefined when refused).
 * @example prescreenOf(tree of '(?P<q>["\'])x(?P=q)', linear)?.source // '(?:["\'])x(?:(?:["\']))?'
 */
export function prescreenOf(
  tree: PcreTree,
  linear: (source: string) => { search: RegExp; sticky: RegExp } | undefined,
): Prescreen | undefined {
  const bodies = new Map<number, PcreNode>();
  walk(tree.root, (n) => {
    if (n.t === 'group' && n.capture > 0) bodies.set(n.capture, n.body);
  });
  const matchEnds = matchEndAsserts(tree.root);
  for (let level = 0; level < 3; level++) {
    const root = loosen(tree.root, { bodies, matchEnds, level, inReference: false, expanding: [] });
    const out = emitPcre({ root, groups: 0, names: new Map() }, new Set(), { trimEnd: true });
    if ('error' in out || out.flags !== '') continue;
    const pair = linear(out.source);
    if (pair !== undefined) return { ...pair, source: out.source };
  }
  return undefined;
}

interface LoosenState {
  bodies: ReadonlyMap<number, PcreNode>;
  /** End assertions that end the match (kept: emitPcre writes them without lookahead). */
  matchEnds: ReadonlySet<PcreNode>;
  /** 0: bounds kept; 1: bounds past MAX_UNROLL opened; 2: every bound opened. */
  level: number;
  /** Inside a back reference's copy of a group body: assertions are dropped. */
  inReference: boolean;
  /** Groups whose body is being copied for a reference (a reference to one of them is "anything"). */
  expanding: number[];
}

const EMPTY: PcreNode = { t: 'seq', items: [] };
const ANYTHING: PcreNode = {
  t: 'repeat',
  min: 0,
  max: Infinity,
  lazy: false,
  possessive: false,
  body: { t: 'set', set: fullSet() },
};

function loosen(n: PcreNode, st: LoosenState): PcreNode {
  switch (n.t) {
    case 'set':
      return n;
    case 'seq':
      return { t: 'seq', items: n.items.map((c) => loosen(c, st)) };
    case 'alt':
      return { t: 'alt', branches: n.branches.map((c) => loosen(c, st)) };
    case 'group':
    case 'atomic':
      return { t: 'group', capture: 0, body: loosen(n.body, st) };
    case 'look':
      return EMPTY;
    case 'assert':
      // `^ $ \b \B` (and \z, written `$`) run on the linear engine; the rest are written with lookaround.
      if (st.inReference) return EMPTY;
      if (st.matchEnds.has(n)) return n;
      return n.kind === 'start' || n.kind === 'end' || n.kind === 'word' || n.kind === 'not-word' ? n : EMPTY;
    case 'repeat': {
      let { min, max } = n;
      if (st.level === 1 && (max !== Infinity ? max > MAX_UNROLL : min > MAX_UNROLL)) {
        min = Math.min(min, MAX_UNROLL);
        max = Infinity;
      } else if (st.level === 2) {
        min = Math.min(min, 1);
        if (max > 1) max = Infinity;
      }
      return { t: 'repeat', min, max, lazy: n.lazy, possessive: false, body: loosen(n.body, st) };
    }
    case 'backref': {
      const body = st.bodies.get(n.group);
      if (body === undefined || st.expanding.includes(n.group)) return ANYTHING;
      const inner = loosen(body, { ...st, inReference: true, expanding: [...st.expanding, n.group] });
      return {
        t: 'repeat',
        min: 0,
        max: 1,
        lazy: false,
        possessive: false,
        body: { t: 'group', capture: 0, body: inner },
      };
    }
  }
}
