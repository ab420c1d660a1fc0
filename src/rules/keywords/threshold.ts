/**
 * threshold and detection_filter: alert rate control per source, destination,
 * rule or flow. `type backoff` (Suricata 8) takes `multiplier` instead of
 * `seconds` and only `track by_flow`; detection_filter's `unique_on
 * src_port|dst_port` (Suricata 9) counts distinct ports instead of matches.
 */
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
  type: 'limit' | 'threshold' | 'both' | 'backoff';
  track: Track;
  count: number;
  /** The time window; absent only for backoff, which has none. */
  seconds?: number;
  /** backoff only: alerts at match count, count*m, count*m*m ... */
  multiplier?: number;
}

export const THRESHOLD_PARAMS: Readonly<Record<string, ParamSpec>> = {
  type: {
    type: 'enum',
    values: ['limit', 'threshold', 'both', 'backoff'],
    required: true,
    help: 'limit: at most count alerts; threshold: every count-th; both: once after count; backoff: at count, count*multiplier ...',
  },
  track: { type: 'enum', values: TRACKS, required: true, help: 'what the counter is kept per' },
  count: { type: 'int', min: 1, max: 0xffffffff, required: true, help: 'event count' },
  seconds: { type: 'int', min: 1, max: 0xffffffff, help: 'time window in seconds (not with backoff)' },
  multiplier: { type: 'int', min: 2, max: 0xffffffff, help: 'backoff only: growth factor between alerts' },
};

/** Checks the combinations the parameter table cannot express. */
function checkThreshold(p: Record<string, string | number>): ThresholdOption | KeywordError {
  if (p.type === 'backoff') {
    if (p.track !== 'by_flow') return kwError('threshold', 'type backoff needs track by_flow');
    if (p.multiplier === undefined) return kwError('threshold', 'type backoff needs multiplier');
    if (p.seconds !== undefined) return kwError('threshold', 'type backoff takes multiplier, not seconds');
  } else {
    if (p.multiplier !== undefined) return kwError('threshold', 'multiplier is only for type backoff');
    if (p.seconds === undefined) return kwError('threshold', 'missing "seconds"');
  }
  return p as unknown as ThresholdOption;
}

export const threshold: KeywordDescriptor<ThresholdOption> = {
  name: 'threshold',
  description:
    'Limits or thresholds alerts: type limit|threshold|both, track by_src|by_dst..., count N, seconds T.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const p = parseParams('threshold', v, THRESHOLD_PARAMS);
    return isKeywordError(p) ? p : checkThreshold(p);
  },
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
  /** Count distinct values of this port instead of matches (Suricata 9). */
  uniqueOn?: 'src_port' | 'dst_port';
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
      seconds: { ...THRESHOLD_PARAMS.seconds!, required: true },
      unique_on: { type: 'enum', values: ['src_port', 'dst_port'], help: 'count distinct ports' },
    });
    if (isKeywordError(p)) return p as KeywordError;
    const { unique_on, ...rest } = p;
    const out = rest as unknown as DetectionFilterOption;
    if (unique_on !== undefined) out.uniqueOn = unique_on as 'src_port' | 'dst_port';
    return out;
  },
  attach: (o, rule, used) => {
    if (rule.seen.has('threshold') || rule.seen.has('detection_filter'))
      return 'detection_filter: only one threshold or detection_filter per rule';
    rule.seen.add('detection_filter');
    return attachCondition(o, rule, used);
  },
};
