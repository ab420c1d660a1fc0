/**
 * Runs suricata-verify style test folders (test.yaml + rules + pcap) through
 * Picket's rule engine and evaluates the `filter` checks on the alerts, as
 * suricata-verify does with Suricata's EVE output. Only alert events are
 * produced, so checks on other event types fail unless they expect none.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createDecoder } from '../../decode/index.js';
import { openCapture } from '../../read/index.js';
import { createProblemLog } from '../../util/problems.js';
import type { Alert } from '../engine/alert.js';
import { createDetectEngine } from '../engine/engine.js';
import { createRuleGate } from '../engine/rule-gate.js';
import { loadRules } from '../load.js';
import { toEveAlert } from '../output/eve.js';

/** The Suricata version whose behaviour Picket follows, for `requires` and `lt-version`. */
export const EMULATED_VERSION = [9, 0, 0];

export interface VerifyResult {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
  /** Per failed check: what was expected and seen. */
  failures: string[];
  alerts: number;
  rejectedRules: string[];
  /** Filters on other event types (flow, http, stats ...), outside the rule engine. */
  notEvaluated: string[];
}

function versionOf(v: unknown): number[] {
  return String(v)
    .split('.')
    .map((x) => Number.parseInt(x, 10) || 0);
}

function cmpVersion(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why a `requires` block rules the test (or check) out; undefined when it applies. */
function unmet(req: Record<string, unknown> | undefined): string | undefined {
  if (req === undefined || req === null) return undefined;
  if (req['min-version'] !== undefined && cmpVersion(EMULATED_VERSION, versionOf(req['min-version'])) < 0)
    return `requires Suricata ${String(req['min-version'])}`;
  if (req['lt-version'] !== undefined && cmpVersion(EMULATED_VERSION, versionOf(req['lt-version'])) >= 0)
    return `only for Suricata before ${String(req['lt-version'])}`;
  if (req['gt-version'] !== undefined && cmpVersion(EMULATED_VERSION, versionOf(req['gt-version'])) <= 0)
    return `only for Suricata after ${String(req['gt-version'])}`;
  if (req.version !== undefined) {
    const want = versionOf(req.version);
    if (want[0] !== EMULATED_VERSION[0]) return `only for Suricata ${String(req.version)}`;
  }
  return undefined;
}

/** Reads a dotted path with `[i]` indexes from an EVE record. */
function lookup(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    cur = (cur as Record<string, unknown> | undefined)?.[m[1]!];
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) cur = (cur as unknown[] | undefined)?.[Number(idx[1])];
    if (cur === undefined) return undefined;
  }
  return cur;
}

function matches(rec: unknown, match: Record<string, unknown>): boolean {
  for (const [k, want] of Object.entries(match)) {
    if (k.endsWith('.__len')) {
      const v = lookup(rec, k.slice(0, -6));
      if (!Array.isArray(v) && typeof v !== 'string') return false;
      if (v.length !== want) return false;
      continue;
    }
    const v = lookup(rec, k);
    if (typeof want === 'number' || typeof want === 'boolean') {
      if (v !== want) return false;
    } else if (String(v) !== String(want) || v === undefined) return false;
  }
  return true;
}

function ruleFiles(dir: string, args: string[]): string[] {
  const named: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^-S\s*(.*)$/.exec(args[i]!);
    if (m) named.push(m[1] || args[i + 1] || '');
  }
  // suricata-verify writes the test folder as the shell-style variable TEST_DIR.
  const testDir = ['$', '{TEST_DIR}'].join('');
  if (named.length > 0) return named.map((n) => resolve(dir, n.replace(testDir, dir)));
  if (existsSync(join(dir, 'test.rules'))) return [join(dir, 'test.rules')];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .map((f) => join(dir, f));
}

/**
 * @example runVerifyTest('/data/verify/tests/bug-1401-01').status // 'pass'
 */
export function runVerifyTest(dir: string, name = basename(dir)): VerifyResult {
  const res: VerifyResult = {
    name,
    status: 'fail',
    failures: [],
    alerts: 0,
    rejectedRules: [],
    notEvaluated: [],
  };
  const spec = parseYaml(readFileSync(join(dir, 'test.yaml'), 'utf8')) as Record<string, unknown>;
  const why = unmet(spec.requires as Record<string, unknown> | undefined);
  if (why) return { ...res, status: 'skip', reason: why };
  const args = ((spec.args as unknown[]) ?? []).flatMap((a) => String(a).split(/\s+(?=-)/));
  const setting = (key: string) => args.some((a) => a.replace(/\s+/g, ' ').includes(`${key}=true`));
  let pcap: string | undefined;
  if (typeof spec.pcap === 'string') pcap = resolve(dir, spec.pcap);
  else if (spec.pcap !== false) {
    const own = readdirSync(dir).filter((f) => f.endsWith('.pcap') || f.endsWith('.pcapng'));
    if (own.length > 0) pcap = join(dir, own[0]!);
  }
  if (pcap === undefined || !existsSync(pcap))
    return {
      ...res,
      reason: `capture ${pcap ? `${basename(dirname(pcap))}/${basename(pcap)}` : ''} not available`,
    };
  const files = ruleFiles(dir, args);
  const threshold = join(dir, 'threshold.config');
  const loaded = loadRules(files, existsSync(threshold) ? { thresholdFile: threshold } : {});
  res.rejectedRules = loaded.rejected.filter((r) => !r.disabled).map((r) => `${r.sid ?? '?'}: ${r.reason}`);

  const alerts: Alert[] = [];
  const problems = createProblemLog();
  const engine = createDetectEngine({
    rules: loaded.rules,
    onAlert: (a) => alerts.push(a),
    midstream: setting('stream.midstream'),
    asyncOneside: setting('stream.async-oneside'),
    idsTiming: !(setting('stream.inline') || args.some((a) => a.includes('--simulate-ips'))),
    simulateIps: args.some((a) => a.includes('--simulate-ips')),
    gate: createRuleGate(loaded.thresholds),
    problems,
    file: pcap,
  });
  const reader = openCapture(pcap, problems);
  if (!reader) return { ...res, reason: 'capture unreadable' };
  const decoder = createDecoder(problems, { file: pcap });
  try {
    for (let f = reader.next(); f; f = reader.next()) engine.packet(decoder.decode(f));
  } finally {
    reader.close();
  }
  engine.finish();
  res.alerts = alerts.length;
  const records = alerts.map((a) => toEveAlert(a, { utcOffsetMinutes: 0 }) as Record<string, unknown>);

  const checks = (spec.checks as Array<Record<string, unknown>>) ?? [];
  let ran = 0;
  for (const check of checks) {
    const filter = check.filter as Record<string, unknown> | undefined;
    if (filter === undefined) {
      const kind = Object.keys(check)[0] ?? '?';
      res.failures.push(`check type "${kind}" is not supported`);
      continue;
    }
    if (unmet(filter.requires as Record<string, unknown> | undefined)) continue;
    if (unmet(filter as Record<string, unknown>) && (filter['min-version'] || filter['lt-version'])) continue;
    const match = (filter.match as Record<string, unknown>) ?? {};
    // Only alert checks are in scope: the engine writes alerts, not flow/http/stats records.
    const type = match.event_type;
    if (type !== undefined ? type !== 'alert' : !Object.keys(match).some((k) => k.startsWith('alert.'))) {
      res.notEvaluated.push(JSON.stringify(match));
      continue;
    }
    ran++;
    const got = records.filter((r) => matches(r, match)).length;
    if (got !== filter.count)
      res.failures.push(`expected ${String(filter.count)} × ${JSON.stringify(match)}, got ${got}`);
  }
  if (ran === 0 && res.failures.length === 0)
    return { ...res, status: 'skip', reason: 'no applicable checks' };
  res.status = res.failures.length === 0 ? 'pass' : 'fail';
  return res;
}

/** Runs every test named in TESTS.txt under `root` (the folder holding TESTS.txt and tests/). */
export function runVerifySuite(root: string, only?: (name: string) => boolean): VerifyResult[] {
  const names = readFileSync(join(root, 'TESTS.txt'), 'utf8')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
  const out: VerifyResult[] = [];
  for (const n of names) {
    if (only && !only(n)) continue;
    try {
      out.push(runVerifyTest(join(root, 'tests', n), n));
    } catch (e) {
      out.push({
        name: n,
        status: 'fail',
        reason: `crashed: ${(e as Error).message}`,
        failures: [],
        alerts: 0,
        rejectedRules: [],
        notEvaluated: [],
      });
    }
  }
  return out;
}
