/**
 * One Alarm from a group of alerts and its triaged steps: the disposition
 * decided, the actions recommended for it, the conclusion phrased with them.
 */
import type { ActionRecommendation, Alarm, Disposition } from '../../schema/alarm.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps } from '../lookup.js';
import { decideAlarm } from './decide.js';
import { alarmUid } from './uid.js';

export interface BuildAlarmOptions {
  /** Step 5: the actions for the decided disposition (e.g. triage/action's recommendActions). */
  recommend?: (disposition: Disposition) => ActionRecommendation[];
  /** The incident of the attacking source, when detection made one. */
  incident?: string;
}

/**
 * @example
 * const alarm = buildAlarm(group, steps, {
 *   recommend: (disposition) => recommendActions({ group, steps, disposition }),
 * });
 */
export function buildAlarm(group: AlertGroup, steps: AlarmSteps, opts: BuildAlarmOptions = {}): Alarm {
  const first = decideAlarm(group, steps);
  const actions = opts.recommend?.(first.disposition) ?? [];
  const decided = actions.length ? decideAlarm(group, steps, actions) : first;
  const alarm: Alarm = {
    uid: alarmUid(group),
    ts: group.ts,
    lastSeen: group.lastSeen,
    src: group.src,
    dst: group.dst,
    msg: group.msg,
    title: steps.rule.alarmTitle || group.msg,
    count: group.count,
    alertUids: group.alerts.map((e) => e.uid),
    alertSources: [...group.sourceKinds],
    disposition: decided.disposition,
    priority: decided.priority,
    conclusion: decided.conclusion,
    connection: steps.connection,
    rule: steps.rule,
    response: steps.response,
    relevance: steps.relevance,
    actions,
  };
  if (group.dstPort !== undefined) alarm.dstPort = group.dstPort;
  if (group.proto !== undefined) alarm.proto = group.proto;
  if (group.sid !== undefined) alarm.sid = group.sid;
  if (opts.incident !== undefined) alarm.incident = opts.incident;
  return alarm;
}
