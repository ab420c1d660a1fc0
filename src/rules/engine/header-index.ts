/**
 * An index over the rules the content prefilter cannot select (header-only
 * rules such as IP reputation lists, flag scans to one port): by the
 * addresses a rule names, else by destination port, so a packet meets only
 * the rules that could match its header instead of every one of them.
 * The index narrows; headerMatches still decides.
 */

import { ipv4Word } from '../../util/ip.js';
import type { AddressSet, PortSet } from '../ast.js';
import type { CompiledRule } from './compile.js';

/** Ranges up to this many addresses are expanded into single-address keys. */
const EXPAND = 256;
/** Address sets with more addresses than this (e.g. !$HOME_NET) are not indexed by address. */
const SMALL_SET = 1 << 20;
/** Port sets with at most this many ports are indexed by port. */
const SMALL_PORTS = 64;

function v4Size(a: AddressSet): number {
  if (a.any || a.v6.length > 0) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (const [lo, hi] of a.v4) n += hi - lo + 1;
  return n;
}

function portCount(p: PortSet): number {
  if (p.any) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (const [lo, hi] of p.ranges) n += hi - lo + 1;
  return n;
}

class AddressIndex {
  private readonly single = new Map<number, number[]>();
  /** Larger ranges, filed under every /16 they touch (a set is at most SMALL_SET addresses, so few). */
  private readonly ranges = new Map<number, Array<[number, number, number]>>();

  add(a: AddressSet, rule: number): void {
    for (const [lo, hi] of a.v4) {
      if (hi - lo < EXPAND) {
        for (let v = lo; v <= hi; v++) {
          const l = this.single.get(v);
          if (l === undefined) this.single.set(v, [rule]);
          else if (l[l.length - 1] !== rule) l.push(rule);
        }
        continue;
      }
      for (let b = lo >>> 16; b <= hi >>> 16; b++) {
        const l = this.ranges.get(b);
        if (l === undefined) this.ranges.set(b, [[lo, hi, rule]]);
        else l.push([lo, hi, rule]);
      }
    }
  }

  lookup(v: number, out: (rule: number) => void): void {
    const l = this.single.get(v);
    if (l !== undefined) for (const r of l) out(r);
    const rs = this.ranges.get(v >>> 16);
    if (rs !== undefined) for (const [lo, hi, r] of rs) if (v >= lo && v <= hi) out(r);
  }
}

export class HeaderIndex {
  private readonly bySrc = new AddressIndex();
  private readonly byDst = new AddressIndex();
  private readonly byPort = new Map<number, number[]>();
  /** Rules no index narrows: evaluated for every packet of their protocol. */
  readonly generic: CompiledRule[] = [];
  private readonly rules: readonly CompiledRule[];
  private readonly mark: Uint8Array;
  private readonly marked: number[] = [];

  /** `rules` are addressed by CompiledRule.index within `all`. */
  constructor(rules: readonly CompiledRule[], all: readonly CompiledRule[]) {
    this.rules = all;
    this.mark = new Uint8Array(all.length);
    for (const c of rules) {
      const h = c.rule.header;
      const both = h.direction !== '->';
      const src = v4Size(h.src);
      const dst = v4Size(h.dst);
      if (src <= SMALL_SET && src <= dst) {
        this.bySrc.add(h.src, c.index);
        if (both) this.byDst.add(h.src, c.index);
      } else if (dst <= SMALL_SET) {
        this.byDst.add(h.dst, c.index);
        if (both) this.bySrc.add(h.dst, c.index);
      } else if (!both && portCount(h.dstPorts) <= SMALL_PORTS) {
        for (const [lo, hi] of h.dstPorts.ranges)
          for (let port = lo; port <= hi; port++) {
            const l = this.byPort.get(port);
            if (l === undefined) this.byPort.set(port, [c.index]);
            else l.push(c.index);
          }
      } else this.generic.push(c);
    }
  }

  /**
   * Calls `out` once for every indexed rule the packet's header could match
   * (the generic rules are not included).
   */
  candidates(
    src: Uint8Array,
    dst: Uint8Array,
    addrLen: number,
    dstPort: number,
    out: (c: CompiledRule) => void,
  ): void {
    const emit = (r: number) => {
      if (this.mark[r] === 1) return;
      this.mark[r] = 1;
      this.marked.push(r);
      out(this.rules[r]!);
    };
    if (addrLen === 4) {
      this.bySrc.lookup(ipv4Word(src), emit);
      this.byDst.lookup(ipv4Word(dst), emit);
    }
    if (dstPort >= 0) {
      const l = this.byPort.get(dstPort);
      if (l !== undefined) for (const r of l) emit(r);
    }
    for (const r of this.marked) this.mark[r] = 0;
    this.marked.length = 0;
  }
}
