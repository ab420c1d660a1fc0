/**
 * Compiles an address spec (`$HOME_NET`, `[10.0.0.0/8,!10.1.0.0/16]`,
 * `!1.2.3.4`, `any`, IPv6 CIDRs, `a-b` ranges) into disjoint range sets.
 */
import type { AddressSet } from '../ast.js';
import { type BigRange, complement, normalize, subtract } from './range-set.js';
import { parseSpec, type SpecNode } from './spec.js';
import type { RuleVars } from './variables.js';

const V4_MAX = 0xffffffffn;
const V6_MAX = (1n << 128n) - 1n;

interface AddrValue {
  v4: BigRange[];
  v6: BigRange[];
}

/**
 * @example compileAddress('$HOME_NET', defaultVars()) // { any:false, v4:[[167772160,184549375], ...], ... }
 */
export function compileAddress(text: string, vars: RuleVars): AddressSet | { error: string } {
  const spec = parseSpec(text);
  if ('error' in spec) return { error: `address "${text}": ${spec.error}` };
  const v = evalNode(spec, vars, 0);
  if ('error' in v) return { error: `address "${text}": ${v.error}` };
  if (v.v4.length === 0 && v.v6.length === 0) return { error: `address "${text}" matches no address` };
  const any =
    v.v4.length === 1 &&
    v.v4[0]![0] === 0n &&
    v.v4[0]![1] === V4_MAX &&
    v.v6.length === 1 &&
    v.v6[0]![1] === V6_MAX &&
    v.v6[0]![0] === 0n;
  return {
    text,
    any,
    v4: v.v4.map((r) => [Number(r[0]), Number(r[1])] as const),
    v6: v.v6.map((r) => [r[0], r[1]] as const),
  };
}

function evalNode(n: SpecNode, vars: RuleVars, depth: number): AddrValue | { error: string } {
  let v: AddrValue | { error: string };
  if (depth > 32) return { error: 'variables nested too deeply (a loop?)' };
  switch (n.type) {
    case 'any':
      if (n.neg) return { error: '"!any" matches nothing' };
      return { v4: [[0n, V4_MAX]], v6: [[0n, V6_MAX]] };
    case 'var': {
      const def = vars.addresses.get(n.name);
      if (def === undefined) {
        return {
          error: vars.ports.has(n.name) ? `$${n.name} is a port variable` : `undefined variable $${n.name}`,
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
      const pos: AddrValue = { v4: [], v6: [] };
      const neg: AddrValue = { v4: [], v6: [] };
      let hasPos = false;
      for (const item of n.items) {
        const iv = evalNode({ ...item, neg: false } as SpecNode, vars, depth + 1);
        if ('error' in iv) return iv;
        const into = item.neg ? neg : pos;
        if (!item.neg) hasPos = true;
        into.v4.push(...iv.v4);
        into.v6.push(...iv.v6);
      }
      const base = hasPos
        ? { v4: normalize(pos.v4), v6: normalize(pos.v6) }
        : ({ v4: [[0n, V4_MAX]], v6: [[0n, V6_MAX]] } as AddrValue);
      v = { v4: subtract(base.v4, normalize(neg.v4)), v6: subtract(base.v6, normalize(neg.v6)) };
      break;
    }
  }
  if ('error' in v) return v;
  if (n.neg) return { v4: complement(v.v4, V4_MAX), v6: complement(v.v6, V6_MAX) };
  return v;
}

function parseAtom(text: string): AddrValue | { error: string } {
  const dash = text.indexOf('-');
  if (dash > 0) {
    const a = parseIp(text.slice(0, dash));
    const b = parseIp(text.slice(dash + 1));
    if (!a || !b || a.v6 !== b.v6 || a.n > b.n) return { error: `bad address range "${text}"` };
    return a.v6 ? { v4: [], v6: [[a.n, b.n]] } : { v4: [[a.n, b.n]], v6: [] };
  }
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return { error: `bad address "${text}"` };
  const bits = ip.v6 ? 128 : 32;
  let prefix = bits;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (/^\d{1,3}$/.test(m)) prefix = Number(m);
    else if (!ip.v6) {
      const mask = parseIp(m);
      if (!mask || mask.v6) return { error: `bad netmask in "${text}"` };
      prefix = maskToPrefix(mask.n);
      if (prefix < 0) return { error: `non-contiguous netmask in "${text}"` };
    } else return { error: `bad prefix in "${text}"` };
    if (prefix > bits) return { error: `prefix /${prefix} too long in "${text}"` };
  }
  const hostBits = BigInt(bits - prefix);
  const lo = (ip.n >> hostBits) << hostBits;
  const hi = lo + (1n << hostBits) - 1n;
  return ip.v6 ? { v4: [], v6: [[lo, hi]] } : { v4: [[lo, hi]], v6: [] };
}

function maskToPrefix(n: bigint): number {
  let p = 0;
  for (let b = 31; b >= 0 && (n >> BigInt(b)) & 1n; b--) p++;
  const expect = p === 0 ? 0n : ((1n << BigInt(p)) - 1n) << BigInt(32 - p);
  return expect === n ? p : -1;
}

/** Parses an IPv4 or IPv6 literal into a bigint; undefined when malformed. */
export function parseIp(s: string): { n: bigint; v6: boolean } | undefined {
  if (s.includes(':')) return parseV6(s);
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return { n, v6: false };
}

function parseV6(s: string): { n: bigint; v6: true } | undefined {
  if (s.length > 45) return undefined;
  let words: string[];
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return undefined;
    const head = s.slice(0, dbl) ? s.slice(0, dbl).split(':') : [];
    const tail = s.slice(dbl + 2) ? s.slice(dbl + 2).split(':') : [];
    const v4tail = tail.length && tail[tail.length - 1]!.includes('.') ? 1 : 0;
    const fill = 8 - head.length - tail.length - v4tail;
    if (fill < 1) return undefined;
    words = [...head, ...Array<string>(fill).fill('0'), ...tail];
  } else words = s.split(':');
  let n = 0n;
  let count = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (i === words.length - 1 && w.includes('.')) {
      const v4 = parseIp(w);
      if (!v4 || v4.v6) return undefined;
      n = (n << 32n) | v4.n;
      count += 2;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(w, 16));
    count++;
  }
  return count === 8 ? { n, v6: true } : undefined;
}
