/**
 * The triage stage of `analyze`: once every input is stored, each group of
 * alerts (one rule, one source, one target) goes through the analyst's five
 * steps against the recorded evidence and becomes an alarm.
 */
import type { Rule } from '../rules/ast.js';
import type { Classification } from '../rules/parse/classification.js';
import type { Alarm } from '../schema/alarm.js';
import type { Event } from '../schema/event.js';
import type { Incident } from '../schema/finding.js';
import { recommendActions } from '../triage/action/index.js';
import { buildAlarm } from '../triage/alarm/index.js';
import { connectionVerdict } from '../triage/connection/index.js';
import { groupAlerts } from '../triage/group.js';
import type { TriageLookup } from '../triage/lookup.js';
import {
  type Catalogue,
  type Inventory,
  loadCatalogue,
  relevanceVerdict,
} from '../triage/relevance/index.js';
import { responseVerdict } from '../triage/response/index.js';
import { gatherPayloads, ruleUnderstanding } from '../triage/rule/index.js';

/** Alert events kept for triage; past it alerts are counted, not triaged (a flood of one signature groups anyway). */
const MAX_ALERTS = 200_000;
/** Alarms built per run; the most frequent groups first past it. */
const MAX_GROUPS = 5_000;

export interface AlertCollector {
  add(e: Event): void;
  events(): Event[];
  readonly dropped: number;
}

/** Keeps the run's alert events (bounded) for triage at the end. */
export function createAlertCollector(max = MAX_ALERTS): AlertCollector {
  const kept: Event[] = [];
  let dropped = 0;
  return {
    add(e) {
      if (e.type !== 'ids-alert') return;
      if (kept.length < max) kept.push(e);
      else dropped++;
    },
    events: () => kept,
    get dropped() {
      return dropped;
    },
  };
}

export interface TriageOptions {
  rules?: readonly Rule[];
  referenceSystems?: ReadonlyMap<string, string>;
  classifications?: ReadonlyMap<string, Classification>;
  catalogue?: Catalogue;
  inventory?: Inventory;
  /** The run's incidents, to link each alarm to its source's incident. */
  incidents?: readonly Incident[];
}

export interface TriageResult {
  alarms: Alarm[];
  /** Groups not triaged because the run had more than MAX_GROUPS. */
  groupsSkipped: number;
}

/**
 * @example
 * const { alarms } = await triageAlerts(collector.events(), storeLookup(store, rules), { rules });
 */
export async function triageAlerts(
  alerts: readonly Event[],
  lookup: TriageLookup,
  opts: TriageOptions = {},
): Promise<TriageResult> {
  const catalogue = opts.catalogue ?? loadCatalogue();
  const incidentOf = new Map<string, string>();
  for (const i of opts.incidents ?? []) {
    incidentOf.set(i.src, i.uid);
    for (const m of i.members ?? []) if (!incidentOf.has(m)) incidentOf.set(m, i.uid);
  }
  let groups = groupAlerts(alerts);
  let groupsSkipped = 0;
  if (groups.length > MAX_GROUPS) {
    groupsSkipped = groups.length - MAX_GROUPS;
    groups = [...groups].sort((a, b) => b.count - a.count).slice(0, MAX_GROUPS);
  }
  const alarms: Alarm[] = [];
  for (const g of groups) {
    const rule = g.sid !== undefined ? lookup.rule(g.sid, g.gid) : undefined;
    const connection = await connectionVerdict(g, lookup);
    const payloads = await gatherPayloads(g, lookup);
    const understanding = ruleUnderstanding(g, rule, payloads, {
      ...(opts.referenceSystems ? { referenceSystems: opts.referenceSystems } : {}),
      ...(opts.classifications ? { classifications: opts.classifications } : {}),
    });
    const response = await responseVerdict(g, lookup, rule);
    const relevance = await relevanceVerdict(g, rule, lookup, catalogue, opts.inventory);
    const steps = { connection, rule: understanding, response, relevance };
    const incident = incidentOf.get(g.src);
    alarms.push(
      buildAlarm(g, steps, {
        recommend: (disposition) =>
          recommendActions({ group: g, steps, disposition, ...(rule ? { rule } : {}) }),
        ...(incident ? { incident } : {}),
      }),
    );
  }
  alarms.sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : 1));
  return { alarms, groupsSkipped };
}

/** What the summary says of triage. */
export interface TriageSummary {
  alarms: number;
  byDisposition: Record<string, number>;
  /** The ten most pressing alarms, for the terminal. */
  top: {
    uid: string;
    priority: string;
    disposition: string;
    src: string;
    dst: string;
    title: string;
    count: number;
  }[];
  /** Why triage did not run, when it did not (no store, no alerts). */
  skipped?: string;
  alertsDropped: number;
  groupsSkipped: number;
}

const PRIORITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Summary counts and the top alarms by priority then time. */
export function summarizeAlarms(
  alarms: readonly Alarm[],
  alertsDropped: number,
  groupsSkipped: number,
): TriageSummary {
  const byDisposition: Record<string, number> = {};
  for (const a of alarms) byDisposition[a.disposition] = (byDisposition[a.disposition] ?? 0) + 1;
  const top = [...alarms]
    .sort((a, b) => (PRIORITY_RANK[b.priority] ?? 0) - (PRIORITY_RANK[a.priority] ?? 0) || a.ts - b.ts)
    .slice(0, 10)
    .map((a) => ({
      uid: a.uid,
      priority: a.priority,
      disposition: a.disposition,
      src: a.src,
      dst: a.dst,
      title: a.title,
      count: a.count,
    }));
  return { alarms: alarms.length, byDisposition, top, alertsDropped, groupsSkipped };
}
