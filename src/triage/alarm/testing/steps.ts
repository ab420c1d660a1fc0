/**
 * Built alarm steps for tests of the verdict chain, the store, the CLI and
 * the report: every field present, nothing claimed unless the case says so.
 */
import type {
  ConnectionVerdict,
  RelevanceVerdict,
  ResponseVerdict,
  RuleUnderstanding,
} from '../../../schema/alarm.js';
import type { Event } from '../../../schema/event.js';
import type { AlertGroup } from '../../group.js';
import type { AlarmSteps } from '../../lookup.js';

export interface StepsPatch {
  connection?: Partial<ConnectionVerdict>;
  rule?: Partial<RuleUnderstanding>;
  response?: Partial<ResponseVerdict>;
  relevance?: Partial<RelevanceVerdict>;
}

/** Steps that know nothing ('unknown' everywhere), patched by the case. */
export function unknownSteps(msg: string, family: string, patch: StepsPatch = {}): AlarmSteps {
  return {
    connection: {
      established: 'unknown',
      dataExchanged: 'unknown',
      blocked: 'unknown',
      basis: [],
      summary: 'no connection record',
      evidence: [],
      ...patch.connection,
    },
    rule: {
      msg,
      family,
      alarmTitle: msg,
      references: [],
      metadata: {},
      matched: [],
      evidence: [],
      ...patch.rule,
    },
    response: {
      answered: 'unknown',
      attemptFailed: 'unknown',
      basis: 'none',
      meaning: 'nothing recorded of an answer',
      evidence: [],
      ...patch.response,
    },
    relevance: {
      applicable: 'unknown',
      targets: [],
      asset: [],
      reason: 'nothing known about the target',
      evidence: [],
      ...patch.relevance,
    },
  };
}

/** A group of `count` alerts of one rule from `src` to `dst:port`, starting at `ts`. */
export function builtGroup(
  msg: string,
  o: { sid?: number; src?: string; dst?: string; dstPort?: number; ts?: number; count?: number } = {},
): AlertGroup {
  const src = o.src ?? '198.51.100.7';
  const dst = o.dst ?? '192.0.2.10';
  const sid = o.sid ?? 9_000_001;
  const ts = o.ts ?? 1_795_432_331;
  const count = o.count ?? 1;
  const alerts = Array.from(
    { length: Math.min(count, 20) },
    (_, i): Event => ({
      ts: ts + i,
      uid: `E${sid}-${i}`,
      type: 'ids-alert',
      classUid: 2004,
      activityId: 1,
      src,
      dst,
      dstPort: o.dstPort ?? 80,
      proto: 'tcp',
      message: msg,
      source: { kind: 'pcap', format: 'picket-rules' },
      attrs: { sid, gid: 1 },
    }),
  );
  return {
    key: `1:${sid}|${src}|${dst}`,
    sid,
    gid: 1,
    msg,
    src,
    dst,
    dstPort: o.dstPort ?? 80,
    proto: 'tcp',
    ts,
    lastSeen: ts + count - 1,
    count,
    alerts,
    sourceKinds: ['pcap'],
  };
}
