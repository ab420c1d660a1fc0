/**
 * Fast-pattern selection, following Suricata's documented order: an explicit
 * `fast_pattern` wins; otherwise, among non-negated contents, the highest
 * buffer priority, then the longest, then the strongest (byte diversity),
 * then the later-registered buffer, then the first in rule order.
 */
import type { ContentMatch, Rule } from '../ast.js';
import { transformsKey } from '../transforms/key.js';

export interface FastPatternChoice {
  /** Prefilter buffer key: the buffer name, plus `|transform,...` when transforms apply. */
  bufferKey: string;
  /** The bytes the multi-pattern matcher looks for (the `offset,length` slice when given). */
  bytes: Uint8Array;
  nocase: boolean;
  /** `fast_pattern:only`: a prefilter hit is the whole content match. */
  only: boolean;
  /** Index of the chosen content in `rule.matches`. */
  matchIndex: number;
  explicit: boolean;
}

/**
 * Lower number = higher priority. Sticky application-layer buffers rank above
 * the packet payload; method, status code and status message rank with it
 * (Suricata 2.x–5.x table), winning full ties against the plain payload.
 */
const LOW_PRIORITY_BUFFERS: ReadonlyMap<string, number> = new Map([
  ['pkt', 3],
  ['http.method', 3],
  ['http.stat_code', 3],
  ['http.stat_msg', 3],
]);

/** Registration-order tie-break: higher wins a full tie (only these are ordered). */
const TIE_ORDER: ReadonlyMap<string, number> = new Map([
  ['pkt', 0],
  ['http.method', 1],
  ['http.stat_code', 2],
  ['http.stat_msg', 3],
]);

export function bufferPriority(buffer: string): number {
  return LOW_PRIORITY_BUFFERS.get(buffer) ?? 2;
}

/**
 * Suricata's "pattern strength": a new alphabetic byte scores 3, a new
 * printable (or 00, 01, FF) byte 4, any other new byte 6, a repeat 1.
 * @example patternStrength(new TextEncoder().encode('aab')) // 3 + 1 + 3 = 7
 */
export function patternStrength(bytes: Uint8Array): number {
  const seen = new Uint8Array(256);
  let score = 0;
  for (const b of bytes) {
    if (seen[b]) {
      score++;
      continue;
    }
    seen[b] = 1;
    const alpha = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
    if (alpha) score += 3;
    else if ((b >= 0x20 && b < 0x7f) || b === 0x00 || b === 0x01 || b === 0xff) score += 4;
    else score += 6;
  }
  return score;
}

export function bufferKeyOf(c: Pick<ContentMatch, 'buffer' | 'transforms'>): string {
  return c.transforms.length === 0 ? c.buffer : `${c.buffer}|${transformsKey(c.transforms)}`;
}

/**
 * The content a rule's prefilter looks for, or undefined when the rule has no
 * eligible (non-negated) content; such rules are evaluated on every buffer.
 * @example selectFastPattern(rule)?.bufferKey // 'http.uri'
 */
export function selectFastPattern(rule: Rule): FastPatternChoice | undefined {
  let best = -1;
  let bestPrio = 0;
  let bestLen = 0;
  let bestStrength = 0;
  let bestTie = 0;
  const ms = rule.matches;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.kind !== 'content') continue;
    if (m.fastPattern && !m.negated) return choice(m, i, true);
    if (m.negated) continue;
    const prio = bufferPriority(m.buffer);
    const len = m.bytes.length;
    const tie = TIE_ORDER.get(m.buffer) ?? 0;
    if (best >= 0) {
      if (prio > bestPrio) continue;
      if (prio === bestPrio) {
        if (len < bestLen) continue;
        if (len === bestLen) {
          const strength = patternStrength(m.bytes);
          if (strength < bestStrength) continue;
          if (strength === bestStrength && tie <= bestTie) continue;
          bestStrength = strength;
        } else bestStrength = patternStrength(m.bytes);
      } else bestStrength = patternStrength(m.bytes);
    } else bestStrength = patternStrength(m.bytes);
    best = i;
    bestPrio = prio;
    bestLen = len;
    bestTie = tie;
  }
  return best < 0 ? undefined : choice(ms[best] as ContentMatch, best, false);
}

function choice(c: ContentMatch, matchIndex: number, explicit: boolean): FastPatternChoice {
  const fp = c.fastPattern;
  let bytes = c.bytes;
  if (fp?.offset !== undefined && fp.length !== undefined)
    bytes = bytes.subarray(fp.offset, fp.offset + fp.length);
  return {
    bufferKey: bufferKeyOf(c),
    bytes,
    nocase: c.nocase,
    only: fp?.only ?? false,
    matchIndex,
    explicit,
  };
}
