/**
 * Small helpers every detector uses to build findings the same way.
 */
import { createHash } from 'node:crypto';
import type { OutcomeCounts, ProbeOutcome } from '../../schema/finding.js';

/**
 * Deterministic finding uid: 'F' + 20 base64url characters of a SHA-1 over
 * the parts (detector, source kind, source, first time ...).
 *
 * @example
 * findingUid(['sweep', 'pcap', '10.99.1.66', 1795432331]) // 'F…'
 */
export function findingUid(parts: readonly (string | number)[]): string {
  return `F${createHash('sha1').update(parts.join('\u0000')).digest('base64url').slice(0, 20)}`;
}

export function emptyOutcomes(): OutcomeCounts {
  return { answered: 0, rejected: 0, unanswered: 0, blocked: 0, unknown: 0 };
}

/** The outcome most contacts had; 'answered' wins ties since it matters most. */
export function dominantOutcome(o: OutcomeCounts): ProbeOutcome {
  let best: ProbeOutcome = 'answered';
  for (const k of ['answered', 'rejected', 'blocked', 'unanswered', 'unknown'] as const)
    if (o[k] > o[best]) best = k;
  return best;
}

/**
 * "41 of 1024 probes answered, 983 unanswered" — the outcome part of an explanation.
 */
export function describeOutcomes(o: OutcomeCounts, noun = 'probes'): string {
  const total = o.answered + o.rejected + o.unanswered + o.blocked + o.unknown;
  const parts: string[] = [];
  for (const k of ['answered', 'rejected', 'blocked', 'unanswered', 'unknown'] as const)
    if (o[k]) parts.push(`${o[k]} ${k}`);
  return `${total} ${noun}: ${parts.join(', ') || 'none'}`;
}

/** Adds `value` to a capped list if there is room and it is not there yet. */
export function pushCapped<T>(list: T[], value: T, cap: number): void {
  if (list.length < cap && !list.includes(value)) list.push(value);
}
