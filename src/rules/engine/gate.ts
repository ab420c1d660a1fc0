/**
 * The engine's alert gate: thresholds.ts implements Suricata's threshold,
 * detection_filter, suppress and rate_filter; the pass gate alerts on every
 * match (for callers that want raw matches).
 */
import type { Rule } from '../ast.js';
import type { AlertContext, AlertVerdict } from './thresholds.js';

export type GateContext = AlertContext;

export interface DecisionGate {
  decide(rule: Rule, ctx: AlertContext): AlertVerdict;
}

export function createPassGate(): DecisionGate {
  return { decide: () => 'alert' };
}
