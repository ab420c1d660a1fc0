/**
 * An index over the rules the content prefilter cannot select (header-only
 * rules such as IP reputation lists, flag scans to one port): by the
 * addresses a rule names, else by destination port, so a packet meets only
 * the rules that could match its header instead of every one of them.
 * The index narrows; headerMatches still decides.
 *
 * A rule is filed under one side's address set when that set is small (at
 * most SMALL_SET IPv4 addresses, the smaller side), else under its
 * destination ports when they are few, else under the smaller address set
 * whatever its size, as long as it spans at most MAX_BUCKETS /16 blocks
 * (reputation lists that include whole /8s, or $HOME_NET); only rules with
 * `any` (or near-any) on both sides and many ports stay generic. IPv6 parts
 * of an indexed set are not indexed: such a rule meets every IPv6 packet.
 */

import { ipv4Word } from '../../util/ip.js';
import type { AddressSet, PortSet } from '../ast.js';
import type { CompiledRule } from './compile.js';

/** Ranges up to this many addresses are expanded into single-address keys (ET lists: 30k keys, /16 blocks of at most 14 ranges). */
const EXPAND = 16;
/** Address sets with at most this many IPv4 addresses are preferred to a port index. */
const SMALL_SET = 1 << 20;
/** Port sets with at most this many ports are indexed by port. */
const SMALL_PORTS = 64;
/** A set spanning more /16 blocks than this (e.g. !$HOME_NET) is not indexed by address. */
const MAX_BUCKETS = 4096;

/** IPv4 addresses in the set (its IPv6 part aside); infinite for `any`. */
function v4Size(a: AddressSet): number {
  if (a.any) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (const [lo, hi] of a.v4) n += hi - lo + 1;
  return n;
}

/** /16 blocks an index entry for the set would touch (ranges past EXPAND addresses). */
function v4Buckets(a: AddressSet): number {
  if (a.any) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (const [lo, hi] of a.v4) if (hi - lo >= EXPAND) n += (hi >>> 16) - (lo >>> 16) + 1;
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
  /** Larger ranges, filed under every /16 they touch (at most MAX_BUCKETS per set), as lo, hi, rule triples. */
  private readonly ranges = new Map<number, number[]>();
  /** Rules whose set has IPv6 ranges: met by every IPv6 packet. */
  readonly v6: number[] = [];

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
        if (l === undefined) this.ranges.set(b, [lo, hi, rule]);
        else l.push(lo, hi, rule);
      }
    }
    if (a.v6.length > 0) this.v6.push(rule);
  }

  lookup(v: number, into: HeaderIndex): void {
    const l = this.single.get(v);
    if (l !== undefined) for (let i = 0; i < l.length; i++) into.emit(l[i]!);
    const rs = this.ranges.get(v >>> 16);
    if (rs !== undefined)
      for (let i = 0; i < rs.length; i += 3) if (v >= rs[i]! && v <= rs[i + 1]!) into.emit(rs[i + 2]!);
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
  /** Where candidates() is collecting, and how many it holds. */
  private out: CompiledRule[] = [];
  private n = 0;

  /** `rules` are addressed by CompiledRule.index within `all`. */
  constructor(rules: readonly CompiledRule[], all: readonly CompiledRule[]) {
    this.rules = all;
    this.mark = new Uint8Array(all.length);
    for (const c of rules) {
      const h = c.rule.header;
      const both = h.direction !== '->';
      const src = v4Size(h.src);
      const dst = v4Size(h.dst);
      if (src <= SMALL_SET && src <= dst) this.byAddress(h.src, c.index, both, false);
      else if (dst <= SMALL_SET) this.byAddress(h.dst, c.index, both, true);
      else if (!both && portCount(h.dstPorts) <= SMALL_PORTS) {
        for (const [lo, hi] of h.dstPorts.ranges)
          for (let port = lo; port <= hi; port++) {
            const l = this.byPort.get(port);
            if (l === undefined) this.byPort.set(port, [c.index]);
            else l.push(c.index);
          }
      } else if (src <= dst && v4Buckets(h.src) <= MAX_BUCKETS) this.byAddress(h.src, c.index, both, false);
      else if (dst < src && v4Buckets(h.dst) <= MAX_BUCKETS) this.byAddress(h.dst, c.index, both, true);
      else this.generic.push(c);
    }
  }

  /** Files a rule under `a`, its source set (or its destination set when `isDst`). */
  private byAddress(a: AddressSet, rule: number, both: boolean, isDst: boolean): void {
    (isDst ? this.byDst : this.bySrc).add(a, rule);
    // `<>`: the packet may travel the other way, so the set may hold its other address.
    if (both) (isDst ? this.bySrc : this.byDst).add(a, rule);
  }

  /**
   * Writes to out[0..) every indexed rule the packet's header could match,
   * each once (the generic rules are not included); returns how many.
   */
  candidates(
    src: Uint8Array,
    dst: Uint8Array,
    addrLen: number,
    dstPort: number,
    out: CompiledRule[],
  ): number {
    this.out = out;
    this.n = 0;
    if (addrLen === 4) {
      this.bySrc.lookup(ipv4Word(src), this);
      this.byDst.lookup(ipv4Word(dst), this);
    } else if (addrLen === 16) {
      for (const r of this.bySrc.v6) this.emit(r);
      for (const r of this.byDst.v6) this.emit(r);
    }
    if (dstPort >= 0) {
      const l = this.byPort.get(dstPort);
      if (l !== undefined) for (const r of l) this.emit(r);
    }
    for (let i = 0; i < this.n; i++) this.mark[out[i]!.index] = 0;
    return this.n;
  }

  /** Adds rule r to the current candidates unless it is there already. */
  emit(r: number): void {
    if (this.mark[r] === 1) return;
    this.mark[r] = 1;
    this.out[this.n++] = this.rules[r]!;
  }
}
