/**
 * Which rules an evaluation meets: the rules in Suricata's signature order,
 * grouped by protocol and kind, the prefilter's marks for the buffers being
 * inspected, and from them the packet and transaction candidates (prefilter
 * hits merged with the rules the prefilter cannot select, which the header
 * index narrows). Lists are reused from call to call: an evaluation never
 * starts another selection.
 */
import type { DecodedPacket } from '../../schema/packet.js';
import type { Rule } from '../ast.js';
import { applyTransforms, transformFailed } from '../transforms/index.js';
import type { AppEvent } from './app-layer.js';
import type { CompiledRule } from './compile.js';
import { compareStateUse } from './flowbits.js';
import { HeaderIndex } from './header-index.js';
import type { BufferList } from './inspect.js';
import { buildPrefilter, type Prefilter } from './prefilter.js';
import { bufferKeyOf } from './prefilter-select.js';

const NO_RULES: readonly CompiledRule[] = [];

/** A transaction buffer key of the prefilter: the buffer it is taken from and the transforms applied first. */
export interface TxScanKey {
  key: string;
  base: string;
  transforms: BufferList['transforms'] | undefined;
}

/** Suricata's signature order: state writers before readers (compareStateUse), then file order. */
function byOrder(a: CompiledRule, b: CompiledRule): number {
  return compareStateUse(a.rule, b.rule) || a.index - b.index;
}

/** Sorts rules[0..n) by their evaluation position; in place, without allocating for short lists. */
function sortByPosition(rules: CompiledRule[], n: number, pos: Int32Array): void {
  if (n < 2) return;
  if (n > 32) {
    const part = rules.slice(0, n).sort((a, b) => pos[a.index]! - pos[b.index]!);
    for (let i = 0; i < n; i++) rules[i] = part[i]!;
    return;
  }
  for (let i = 1; i < n; i++) {
    const c = rules[i]!;
    const k = pos[c.index]!;
    let j = i - 1;
    while (j >= 0 && pos[rules[j]!.index]! > k) {
      rules[j + 1] = rules[j]!;
      j--;
    }
    rules[j + 1] = c;
  }
}

/** @example const sel = new RuleSelection(enabled, compiled); sel.scan('pkt', payload); sel.packetCandidates(p) */
export class RuleSelection {
  /** Packet rules by IP protocol (tcp, udp, icmp, icmpv6, other) with the any-IP ones merged in, in order. */
  readonly byProto = new Map<number, CompiledRule[]>();
  readonly arp: CompiledRule[] = [];
  /** Per rule index: the buffer key its fast pattern lives in, undefined when it has none (always evaluated). */
  readonly fpKey: Array<string | undefined>;
  /** Per rule index: 1 when the prefilter found its fast pattern in the buffers being inspected. */
  readonly hit: Uint8Array;
  /** Per rule index: 1 when the rule inspects the packet payload (a pkt list). */
  readonly inspectsPkt: Uint8Array;
  /** Transaction buffer keys the prefilter scans, with the buffer each starts from and its transforms. */
  readonly txScanKeys: TxScanKey[] = [];
  /** After packetCandidates returned its reused list: how many of its entries are this packet's. */
  count = 0;
  private readonly pf: Prefilter;
  private readonly hitList: number[] = [];
  private readonly anyIp: CompiledRule[] = [];
  /** Each rule's position in evaluation order. */
  private readonly orderPos: Int32Array;
  /** Per IP protocol: the packet rules the prefilter cannot select, indexed by header. */
  private readonly packetAlways = new Map<number, HeaderIndex>();
  /** Per transaction protocol: transaction rules whose fast pattern is in the packet payload. */
  private readonly txPkt = new Map<string, CompiledRule[]>();
  /** Per transaction protocol: transaction rules without a fast pattern in a transaction buffer. */
  private readonly txAlways = new Map<string, CompiledRule[]>();
  private readonly packetList: CompiledRule[] = [];
  private readonly txList: CompiledRule[] = [];

  /** `enabled[i]` compiled is `compiled[i]`. */
  constructor(
    enabled: readonly Rule[],
    private readonly compiled: readonly CompiledRule[],
  ) {
    this.pf = buildPrefilter(enabled);
    /** Transformed prefilter keys ('dns.query|dotprefix'): the buffer they start from and the transforms. */
    const keyTransforms = new Map<string, { base: string; transforms: BufferList['transforms'] }>();
    this.fpKey = enabled.map((_r, i) => {
      // A buffer that may be absent (`absent: or_else`) cannot gate the rule on its pattern.
      if (compiled[i]!.absent.length > 0) return undefined;
      const k = this.pf.fastPatternOf(i)?.bufferKey;
      if (k === undefined) return undefined;
      // A transformed buffer is scanned when its transforms are known (from the rule's own list).
      if (k.includes('|')) {
        const list = compiled[i]!.lists.find((l) => l.transforms.length > 0 && bufferKeyOf(l) === k);
        if (list === undefined || list.buffer === 'pkt') return undefined;
        keyTransforms.set(k, { base: list.buffer, transforms: list.transforms });
      }
      return k;
    });
    for (const key of this.pf.buffers) {
      if (key === 'pkt') continue;
      if (!key.includes('|')) {
        this.txScanKeys.push({ key, base: key, transforms: undefined });
        continue;
      }
      // A transformed key is scanned only when some rule told which transforms make it.
      const tf = keyTransforms.get(key);
      if (tf !== undefined) this.txScanKeys.push({ key, base: tf.base, transforms: tf.transforms });
    }
    this.hit = new Uint8Array(enabled.length);
    this.inspectsPkt = new Uint8Array(enabled.length);
    for (const c of compiled)
      if (c.hasPayload && c.lists.some((l) => l.buffer === 'pkt')) this.inspectsPkt[c.index] = 1;
    this.orderPos = new Int32Array(enabled.length);
    const sorted = [...compiled].sort(byOrder);
    sorted.forEach((c, i) => {
      this.orderPos[c.index] = i;
    });
    const txRules: CompiledRule[] = [];
    for (const c of sorted) {
      if (c.kind === 'tx') txRules.push(c);
      else if (c.ipProto === -2) this.arp.push(c);
      else if (c.ipProto === -1) this.anyIp.push(c);
      else {
        const l = this.byProto.get(c.ipProto);
        if (l === undefined) this.byProto.set(c.ipProto, [c]);
        else l.push(c);
      }
    }
    // Rules for any IP protocol run with each protocol's own, keeping the global order.
    for (const [proto, list] of this.byProto) {
      this.byProto.set(proto, [...list, ...this.anyIp].sort(byOrder));
    }
    const unselectable = (list: CompiledRule[]) =>
      new HeaderIndex(
        list.filter((c) => this.fpKey[c.index] !== 'pkt'),
        compiled,
      );
    for (const [proto, list] of this.byProto) this.packetAlways.set(proto, unselectable(list));
    this.packetAlways.set(-1, unselectable(this.anyIp));
    for (const c of txRules) {
      const k = this.fpKey[c.index];
      if (k !== undefined && k !== 'pkt') continue;
      const into = k === 'pkt' ? this.txPkt : this.txAlways;
      const key = c.txProto ?? 'file';
      const l = into.get(key);
      if (l === undefined) into.set(key, [c]);
      else l.push(c);
    }
  }

  /** Longest fast pattern: no prefilter match spans more bytes. */
  get maxPatternLength(): number {
    return this.pf.maxPatternLength;
  }

  /** Marks the rules whose fast pattern occurs in `bytes` (a buffer of key `key`). */
  scan(key: string, bytes: Uint8Array): void {
    const n = this.pf.scan(key, bytes);
    const cand = this.pf.candidates;
    for (let i = 0; i < n; i++) {
      const r = cand[i]!;
      if (this.hit[r] === 0) {
        this.hit[r] = 1;
        this.hitList.push(r);
      }
    }
  }

  /** Scans one transaction buffer for prefilter key k (after k's transforms, if any). */
  scanTx(k: TxScanKey, bytes: Uint8Array): void {
    const t = k.transforms === undefined ? bytes : applyTransforms(k.transforms, bytes);
    if (!transformFailed(t)) this.scan(k.key, t);
  }

  /** How many marks are set: forgetSince(marks()) later drops only the marks made in between. */
  marks(): number {
    return this.hitList.length;
  }

  forgetSince(saved: number): void {
    for (let i = saved; i < this.hitList.length; i++) this.hit[this.hitList[i]!] = 0;
    this.hitList.length = saved;
  }

  clearHits(): void {
    this.forgetSince(0);
  }

  /**
   * The packet rules to evaluate, in order: those the prefilter selected plus those it cannot
   * select. Either a generic list itself, or a reused list whose first `count` entries they are.
   */
  packetCandidates(p: DecodedPacket): readonly CompiledRule[] {
    const ipProto = p.ipProto;
    const index = this.packetAlways.get(this.byProto.has(ipProto) ? ipProto : -1);
    const generic = index?.generic ?? NO_RULES;
    const out = this.packetList;
    let n = index === undefined ? 0 : index.candidates(p.src, p.dst, p.addrLen, p.dstPort, out);
    for (const r of this.hitList) {
      const c = this.compiled[r]!;
      if (c.kind !== 'packet' || this.fpKey[r] !== 'pkt') continue;
      if (c.ipProto !== ipProto && c.ipProto !== -1) continue;
      out[n++] = c;
    }
    // Nothing beyond the generic rules (the common case): no copy, no sort.
    if (n === 0) {
      this.count = generic.length;
      return generic;
    }
    for (const c of generic) out[n++] = c;
    sortByPosition(out, n, this.orderPos);
    this.count = n;
    return out;
  }

  /**
   * The transaction rules to evaluate for an event: prefilter hits in its buffers (marks made
   * since `saved`) plus the ungated ones. `p` is the packet being processed (null at flow end).
   */
  txCandidates(ev: AppEvent, saved: number, p: DecodedPacket | null): CompiledRule[] {
    const out = this.txList;
    out.length = 0;
    const always = this.txAlways.get(ev.proto);
    if (always !== undefined) for (const c of always) out.push(c);
    const files = ev.file !== undefined || ev.http !== undefined;
    if (files) {
      const fileAlways = this.txAlways.get('file');
      if (fileAlways !== undefined) for (const c of fileAlways) out.push(c);
    }
    // Rules whose fast pattern is in the packet: only when this packet has it (at flow end, the stream stands in).
    const own = this.txPkt.get(ev.proto);
    if (own !== undefined) for (const c of own) if (p === null || this.hit[c.index] === 1) out.push(c);
    const fileOwn = files ? this.txPkt.get('file') : undefined;
    if (fileOwn !== undefined)
      for (const c of fileOwn) if (p === null || this.hit[c.index] === 1) out.push(c);
    for (let i = saved; i < this.hitList.length; i++) {
      const r = this.hitList[i]!;
      const k = this.fpKey[r];
      if (k === undefined || k === 'pkt' || this.compiled[r]!.kind !== 'tx') continue;
      out.push(this.compiled[r]!);
    }
    sortByPosition(out, out.length, this.orderPos);
    return out;
  }
}
