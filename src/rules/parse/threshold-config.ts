/**
 * threshold.config: suppress, threshold, event_filter and rate_filter lines.
 * Every form is parsed; `honoured` says what the engine will apply
 * (suppress, threshold and event_filter: yes; rate_filter changes actions
 * of an IPS and is recorded only).
 */
import type { Track } from '../keywords/threshold.js';
import type { ConfigProblem } from './classification.js';

export type ThresholdEntry =
  | {
      kind: 'suppress';
      gid: number;
      sid: number;
      track?: 'by_src' | 'by_dst' | 'by_either';
      ip?: string;
      line: number;
      honoured: true;
    }
  | {
      kind: 'threshold' | 'event_filter';
      gid: number;
      sid: number;
      type: 'limit' | 'threshold' | 'both';
      track: Track;
      count: number;
      seconds: number;
      line: number;
      honoured: true;
    }
  | {
      kind: 'rate_filter';
      gid: number;
      sid: number;
      track: string;
      count: number;
      seconds: number;
      newAction: string;
      timeout: number;
      line: number;
      honoured: false;
    };

/**
 * @example parseThresholdConfig('suppress gen_id 1, sig_id 2002664, track by_src, ip 10.0.0.1\n')
 */
export function parseThresholdConfig(text: string): { entries: ThresholdEntry[]; problems: ConfigProblem[] } {
  const entries: ThresholdEntry[] = [];
  const problems: ConfigProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^(suppress|threshold|event_filter|rate_filter)\s+(.*)$/.exec(t);
    if (!m) {
      problems.push({ line: i + 1, reason: `unknown directive "${t.slice(0, 40)}"` });
      continue;
    }
    const params = new Map<string, string>();
    let bad: string | undefined;
    for (const item of m[2]!.split(',').map((s) => s.trim())) {
      const kv = /^([a-z_]+)\s+(.+)$/.exec(item);
      if (!kv) bad = `expected "name value", got "${item}"`;
      else if (params.has(kv[1]!)) bad = `"${kv[1]}" given twice`;
      else params.set(kv[1]!, kv[2]!.trim());
    }
    const entry = bad ? undefined : build(m[1]!, params, i + 1);
    if (bad || typeof entry === 'string' || !entry) {
      problems.push({ line: i + 1, reason: bad ?? (entry as string) });
      continue;
    }
    entries.push(entry);
  }
  return { entries, problems };
}

function num(p: Map<string, string>, key: string, max = 0xffffffff): number | string {
  const v = p.get(key);
  if (v === undefined) return `missing ${key}`;
  if (!/^\d{1,10}$/.test(v) || Number(v) > max) return `${key} "${v}" is not a number in 0-${max}`;
  return Number(v);
}

function build(kind: string, p: Map<string, string>, line: number): ThresholdEntry | string {
  const gid = num(p, 'gen_id');
  const sid = num(p, 'sig_id');
  if (typeof gid === 'string') return gid;
  if (typeof sid === 'string') return sid;
  if (kind === 'suppress') {
    const track = p.get('track');
    const ip = p.get('ip');
    if (track !== undefined && !['by_src', 'by_dst', 'by_either'].includes(track))
      return `bad track "${track}"`;
    if ((track === undefined) !== (ip === undefined)) return 'suppress needs both track and ip, or neither';
    return {
      kind: 'suppress',
      gid,
      sid,
      ...(track ? { track: track as 'by_src' } : {}),
      ...(ip ? { ip } : {}),
      line,
      honoured: true,
    };
  }
  const count = num(p, 'count');
  const seconds = num(p, 'seconds');
  if (typeof count === 'string') return count;
  if (typeof seconds === 'string') return seconds;
  const track = p.get('track') ?? '';
  if (kind === 'rate_filter') {
    const newAction = p.get('new_action');
    const timeout = num(p, 'timeout');
    if (!newAction) return 'missing new_action';
    if (typeof timeout === 'string') return timeout;
    if (!['by_src', 'by_dst', 'by_rule', 'by_both'].includes(track)) return `bad track "${track}"`;
    return {
      kind: 'rate_filter',
      gid,
      sid,
      track,
      count,
      seconds,
      newAction,
      timeout,
      line,
      honoured: false,
    };
  }
  const type = p.get('type');
  if (type !== 'limit' && type !== 'threshold' && type !== 'both') return `bad type "${type ?? ''}"`;
  if (!['by_src', 'by_dst', 'by_rule', 'by_both', 'by_flow'].includes(track)) return `bad track "${track}"`;
  return {
    kind: kind as 'threshold',
    gid,
    sid,
    type,
    track: track as Track,
    count,
    seconds,
    line,
    honoured: true,
  };
}
