/** The gate a rules run uses: Suricata's rate control with the run's threshold.config. */
import type { ThresholdEntry } from '../parse/threshold-config.js';
import type { RuleVars } from '../parse/variables.js';
import { type AlertGate, createAlertGate } from './thresholds.js';

export function createRuleGate(config: readonly ThresholdEntry[] = [], vars?: RuleVars): AlertGate {
  return createAlertGate({ config, ...(vars ? { vars } : {}) });
}
