/** threshold and detection_filter: alert rate control per source, destination, rule or flow. */
import {
  attachCondition,
  isKeywordError,
  type KeywordDescriptor,
  type KeywordError,
  kwError,
} from './types.js';
import { type ParamSpec, parseParams } from './values.js';

export type Track = 'by_src' | 'by_dst' | 'by_rule' | 'by_both' | 'by_flow';
export const TRACKS: readonly Track[] = ['by_src', 'by_dst', 'by_rule', 'by_both', 'by_flow'];

export interface ThresholdOption {
  type: 'limit' | 'threshold' | 'both';
  track: Track;
  count: number;
  seconds: number;
}

export const THRESHOLD_PARAMS: Readonly<Record<string, ParamSpec>> = {
  type: {
    type: 'enum',
    values: ['limit', 'threshold', 'both'],
    required: true,
    help: 'limit: at most count alerts; threshold: every count-th; both: once after count',
  },
  track: { type: 'enum', values: TRACKS, required: true, help: 'what the counter is kept per' },
  count: { type: 'int', min: 1, max: 0xffffffff, required: true, help: 'event count' },
  seconds: { type: 'int', min: 1, max: 0xffffffff, required: true, help: 'time window in seconds' },
};

export const threshold: KeywordDescriptor<ThresholdOption> = {
  name: 'threshold',
  description:
    'Limits or thresholds alerts: type limit|threshold|both, track by_src|by_dst..., count N, seconds T.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parseParams('threshold', v, THRESHOLD_PARAMS) as ThresholdOption | { error: string },
  attach: (o, rule, used) => {
    if (rule.seen.has('threshold') || rule.seen.has('detection_filter'))
      return 'threshold: only one threshold or detection_filter per rule';
    rule.seen.add('threshold');
    return attachCondition(o, rule, used);
  },
};

export interface DetectionFilterOption {
  track: Track;
  count: number;
  seconds: number;
}

export const detectionFilter: KeywordDescriptor<DetectionFilterOption> = {
  name: 'detection_filter',
  description:
    'Alerts only after the rule matched count times within seconds, tracked by source or destination.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const p = parseParams('detection_filter', v, {
      track: THRESHOLD_PARAMS.track!,
      count: THRESHOLD_PARAMS.count!,
      seconds: THRESHOLD_PARAMS.seconds!,
    });
    if (isKeywordError(p)) return p as KeywordError;
    if (!['by_src', 'by_dst', 'by_rule', 'by_both', 'by_flow'].includes(p.track as string))
      return kwError('detection_filter', `bad track "${p.track}"`);
    return p as unknown as DetectionFilterOption;
  },
  attach: (o, rule, used) => {
    if (rule.seen.has('threshold') || rule.seen.has('detection_filter'))
      return 'detection_filter: only one threshold or detection_filter per rule';
    rule.seen.add('detection_filter');
    return attachCondition(o, rule, used);
  },
};
