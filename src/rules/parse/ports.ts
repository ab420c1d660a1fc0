/**
 * Compiles a port spec (`80`, `1024:`, `:1023`, `[80,443,!8080]`, `$HTTP_PORTS`,
 * `any`, `!80`) into disjoint sorted ranges.
 */
import type { PortSet } from '../ast.js';
import { type BigRange, complement, normalize, subtract } from './range-set.js';
import { parseSpec, type SpecNode } from './spec.js';
import type { RuleVars } from './variables.js';

const PORT_MAX = 65535n;

/**
 * @example compilePort('[80,1024:]', defaultVars()).ranges // [[80,80],[1024,65535]]
 */
export function compilePort(text: string, vars: RuleVars): PortSet | { error: string } {
  const spec = parseSpec(text);
  if ('error' in spec) return { error: `port "${text}": ${spec.error}` };
  const v = evalNode(spec, vars, 0);
  if ('error' in v) return { error: `port "${text}": ${v.error}` };
  if (v.length === 0) return { error: `port "${text}" matches no port` };
  const any = v.length === 1 && v[0]![0] === 0n && v[0]![1] === PORT_MAX;
  return { text, any, ranges: v.map((r) => [Number(r[0]), Number(r[1])] as const) };
}

function evalNode(n: SpecNode, vars: RuleVars, depth: number): BigRange[] | { error: string } {
  if (depth > 32) return { error: 'variables nested too deeply (a loop?)' };
  let v: BigRange[] | { error: string };
  switch (n.type) {
    case 'any':
      if (n.neg) return { error: '"!any" matches nothing' };
      return [[0n, PORT_MAX]];
    case 'var': {
      const def = vars.ports.get(n.name);
      if (def === undefined) {
        return {
          error: vars.addresses.has(n.name)
            ? `$${n.name} is an address variable`
            : `undefined variable $${n.name}`,
        };
      }
      const spec = parseSpec(def);
      if ('error' in spec) return { error: `$${n.name}: ${spec.error}` };
      v = evalNode(spec, vars, depth + 1);
      break;
    }
    case 'atom':
      v = parseAtom(n.text);
      break;
    case 'list': {
      const pos: BigRange[] = [];
      const neg: BigRange[] = [];
      let hasPos = false;
      for (const item of n.items) {
        const iv = evalNode({ ...item, neg: false } as SpecNode, vars, depth + 1);
        if ('error' in iv) return iv;
        if (item.neg) neg.push(...iv);
        else {
          hasPos = true;
          pos.push(...iv);
        }
      }
      v = subtract(hasPos ? normalize(pos) : [[0n, PORT_MAX]], normalize(neg));
      break;
    }
  }
  if ('error' in v) return v;
  return n.neg ? complement(v, PORT_MAX) : v;
}

function parseAtom(text: string): BigRange[] | { error: string } {
  const m = /^(\d{0,5})(:?)(\d{0,5})$/.exec(text);
  if (!m || (m[1] === '' && m[3] === '') || (m[2] === '' && m[3] !== ''))
    return { error: `bad port "${text}"` };
  const lo = m[1] === '' ? 0 : Number(m[1]);
  const hi = m[2] === '' ? lo : m[3] === '' ? 65535 : Number(m[3]);
  if (lo > 65535 || hi > 65535) return { error: `port ${Math.max(lo, hi)} out of range 0-65535` };
  if (lo > hi) return { error: `port range "${text}" is reversed` };
  return [[BigInt(lo), BigInt(hi)]];
}
