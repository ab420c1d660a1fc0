/**
 * Runs triage at the end of `analyze` and puts its alarms where they go:
 * the store, `alarms.jsonl` (OCSF Detection Findings) and the summary.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rule } from '../rules/ast.js';
import type { Classification } from '../rules/parse/classification.js';
import type { Alarm } from '../schema/alarm.js';
import type { Incident } from '../schema/finding.js';
import type { Store } from '../store/store.js';
import { alarmsJsonl } from '../triage/alarm/index.js';
import type { Inventory } from '../triage/relevance/index.js';
import { type AlertCollector, summarizeAlarms, type TriageSummary, triageAlerts } from './analyze-triage.js';
import { storeLookup } from './triage-lookup.js';

export interface TriageRunInput {
  collector: AlertCollector;
  store?: Store;
  runId?: number;
  outDir?: string;
  rules?: readonly Rule[];
  referenceSystems?: ReadonlyMap<string, string>;
  classifications?: ReadonlyMap<string, Classification>;
  inventory?: Inventory;
  incidents?: readonly Incident[];
}

/**
 * @example
 * const { summary, alarms } = await runTriage({ collector, store, runId, outDir });
 */
export async function runTriage(input: TriageRunInput): Promise<{ summary: TriageSummary; alarms: Alarm[] }> {
  const alerts = input.collector.events();
  if (!alerts.length) return { summary: { ...summarizeAlarms([], 0, 0), skipped: 'no alerts' }, alarms: [] };
  if (!input.store)
    return {
      summary: {
        ...summarizeAlarms([], input.collector.dropped, 0),
        skipped: 'triage looks evidence up in the store; run without --no-store to triage alerts',
      },
      alarms: [],
    };
  await input.store.flush();
  const lookup = storeLookup(input.store, input.rules ?? []);
  const { alarms, groupsSkipped } = await triageAlerts(alerts, lookup, {
    ...(input.rules ? { rules: input.rules } : {}),
    ...(input.referenceSystems ? { referenceSystems: input.referenceSystems } : {}),
    ...(input.classifications ? { classifications: input.classifications } : {}),
    ...(input.inventory ? { inventory: input.inventory } : {}),
    ...(input.incidents ? { incidents: input.incidents } : {}),
  });
  await input.store.writeAlarms(alarms, input.runId);
  if (input.outDir) writeFileSync(join(input.outDir, 'alarms.jsonl'), alarmsJsonl(alarms));
  return { summary: summarizeAlarms(alarms, input.collector.dropped, groupsSkipped), alarms };
}
