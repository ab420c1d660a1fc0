/**
 * threshold.config: suppress, threshold, event_filter and rate_filter lines.
 * Every form is parsed; `honoured` says what the engine applies (all four:
 * rules/engine/thresholds.ts; rate_filter's new action only matters where
 * actions do, i.e. when a run simulates an IPS). `ip` may be a bracketed
 * list (`[10.0.0.0/8,192.168.0.1]`) or a variable, resolved by the engine.
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
      newAction: RateFilterAction;
      timeout: number;
      line: number;
      honoured: true;
    };

/** What a rate_filter may turn a rule's action into (sdrop and log parse but act as in Suricata: not at all). */
export type RateFilterAction = 'alert' | 'drop' | 'pass' | 'reject' | 'sdrop' | 'log';
const RATE_ACTIONS: readonly string[] = ['alert', 'drop', 'pass', 'reject', 'sdrop', 'log'];

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
    for (const item of splitTopLevel(m[2]!)) {
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

/** Splits on commas outside brackets, so `ip [a,b]` stays one item. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']' && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
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
  if (sid > 0 && gid === 0) return 'sig_id > 0 needs a gen_id (gen_id 0 only with sig_id 0)';
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
    if (!RATE_ACTIONS.includes(newAction)) return `bad new_action "${newAction}"`;
    if (typeof timeout === 'string') return timeout;
    if (!['by_src', 'by_dst', 'by_rule', 'by_both'].includes(track)) return `bad track "${track}"`;
    return {
      kind: 'rate_filter',
      gid,
      sid,
      track,
      count,
      seconds,
      newAction: newAction as RateFilterAction,
      timeout,
      line,
      honoured: true,
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
