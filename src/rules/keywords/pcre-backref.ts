/**
 * Back references are exact in JavaScript only when their group is surely
 * set by the time they are reached: JS matches an unset group as the empty
 * string where PCRE fails, and JS clears a loop body's groups at every pass
 * where PCRE keeps the earlier value. This pass tracks, at each reference,
 * the groups certainly set and the groups possibly set:
 * - certainly set: exact as is;
 * - never set: PCRE always fails there, written as `(?!)`;
 * - an optional reference `\1?` or `\1*`: exact either way (PCRE skips it,
 *   JS matches it empty, at the same place);
 * - otherwise: an error.
 */
import type { PcreNode, PcreTree } from './pcre-ast.js';
import { nullable, walk } from './pcre-ast.js';

type Groups = ReadonlySet<number>;

/** @example checkBackrefs(parse('(a)\\1')) // { neverSet: Set{} }; parse('(a)?b\\1') gives an error */
export function checkBackrefs(tree: PcreTree): { neverSet: Set<PcreNode> } | { error: string } {
  const neverSet = new Set<PcreNode>();
  const bodies = new Map<number, PcreNode>();
  walk(tree.root, (n) => {
    if (n.t === 'group' && n.capture > 0) bodies.set(n.capture, n.body);
  });
  let problem: string | undefined;
  const both = (a: Groups, b: Groups) => new Set([...a].filter((g) => b.has(g)));
  const either = (a: Groups, b: Groups) => new Set([...a, ...b]);

  const visit = (n: PcreNode, sure: Groups, maybe: Groups, optional: boolean): [Groups, Groups] => {
    switch (n.t) {
      case 'set':
      case 'assert':
        return [sure, maybe];
      case 'backref':
        if (sure.has(n.group)) {
          n.canBeEmpty = nullable(bodies.get(n.group)!);
          return [sure, maybe];
        }
        if (!maybe.has(n.group)) neverSet.add(n);
        else if (!optional)
          problem ??= `back reference to group ${n.group} where the group may be unset or hold an earlier loop pass's text (JavaScript and PCRE differ there)`;
        return [sure, maybe];
      case 'seq': {
        let s = sure;
        let m = maybe;
        for (const item of n.items) [s, m] = visit(item, s, m, false);
        return [s, m];
      }
      case 'alt': {
        let s: Groups | undefined;
        let m: Groups = maybe;
        for (const b of n.branches) {
          const [bs, bm] = visit(b, sure, maybe, false);
          s = s ? both(s, bs) : bs;
          m = either(m, bm);
        }
        return [s ?? sure, m];
      }
      case 'group': {
        const [s, m] = visit(n.body, sure, maybe, optional && n.capture === 0);
        if (n.capture === 0) return [s, m];
        const self = new Set([n.capture]);
        return [either(s, self), either(m, self)];
      }
      case 'atomic':
        return visit(n.body, sure, maybe, false);
      case 'look': {
        const [s, m] = visit(n.body, sure, maybe, false);
        return n.negate ? [sure, maybe] : [s, m];
      }
      case 'repeat': {
        const opt = n.min === 0 && unwrap(n.body).t === 'backref';
        const [s1, m1] = visit(n.body, sure, maybe, opt);
        let m = either(maybe, m1);
        // A later pass may see groups an earlier pass set (PCRE) or cleared (JS).
        if (n.max > 1) m = either(m, visit(n.body, sure, m, opt)[1]);
        const certain = n.min > 0 && !(n.max > 1 && nullable(n.body));
        return [certain ? s1 : sure, m];
      }
    }
  };
  visit(tree.root, new Set(), new Set(), false);
  return problem ? { error: problem } : { neverSet };
}

function unwrap(n: PcreNode): PcreNode {
  while (n.t === 'group' && n.capture === 0) n = n.body;
  return n;
}
