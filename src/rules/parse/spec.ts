/**
 * The shared grammar of address and port specs: `any`, `$VAR`, atoms,
 * `!negation` and `[lists, nested]`. Evaluation is family-specific.
 */

export type SpecNode =
  | { type: 'any'; neg: boolean }
  | { type: 'var'; neg: boolean; name: string }
  | { type: 'atom'; neg: boolean; text: string }
  | { type: 'list'; neg: boolean; items: SpecNode[] };

export const MAX_SPEC_DEPTH = 16;
const MAX_SPEC_LENGTH = 64 * 1024;

/**
 * @example parseSpec('[!1.2.3.4,$HOME_NET]') // { type:'list', items:[{type:'atom',neg:true,...}, {type:'var',...}] }
 */
export function parseSpec(text: string): SpecNode | { error: string } {
  if (text.length > MAX_SPEC_LENGTH) return { error: 'spec too long' };
  const p = { s: text.replace(/\s+/g, ''), i: 0 };
  const node = parseItem(p, 0);
  if ('error' in node) return node;
  if (p.i !== p.s.length) return { error: `unexpected "${p.s.slice(p.i, p.i + 20)}"` };
  return node;
}

function parseItem(p: { s: string; i: number }, depth: number): SpecNode | { error: string } {
  if (depth > MAX_SPEC_DEPTH) return { error: `lists nested deeper than ${MAX_SPEC_DEPTH}` };
  let neg = false;
  while (p.s[p.i] === '!') {
    neg = !neg;
    p.i++;
  }
  if (p.s[p.i] === '[') {
    p.i++;
    const items: SpecNode[] = [];
    for (;;) {
      if (p.s[p.i] === ']') {
        p.i++;
        break;
      }
      const item = parseItem(p, depth + 1);
      if ('error' in item) return item;
      items.push(item);
      if (p.s[p.i] === ',') p.i++;
      else if (p.s[p.i] === ']') {
        p.i++;
        break;
      } else
        return {
          error: p.i >= p.s.length ? 'unclosed "["' : `expected "," or "]" at "${p.s.slice(p.i, p.i + 20)}"`,
        };
    }
    if (items.length === 0) return { error: 'empty list "[]"' };
    return { type: 'list', neg, items };
  }
  const start = p.i;
  while (p.i < p.s.length && p.s[p.i] !== ',' && p.s[p.i] !== ']' && p.s[p.i] !== '[') p.i++;
  const tok = p.s.slice(start, p.i);
  if (tok === '')
    return { error: p.i >= p.s.length ? 'missing value' : `empty item at "${p.s.slice(p.i, p.i + 20)}"` };
  if (tok.toLowerCase() === 'any') return { type: 'any', neg };
  if (tok.startsWith('$')) {
    const name = tok.slice(1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { error: `bad variable name "${tok}"` };
    return { type: 'var', neg, name };
  }
  return { type: 'atom', neg, text: tok };
}
