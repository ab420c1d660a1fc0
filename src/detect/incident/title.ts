/**
 * The short human title of an incident: what the source did, in time order,
 * each step named once however many source kinds saw it, with the tool that
 * did it when a fingerprint says so.
 */
import type { Finding, FindingKind, ToolMatch } from '../../schema/finding.js';
import type { AlertSignatureSummary } from './types.js';

/** Most steps named in a title; the rest are counted ("and 2 more"). */
const MAX_STEPS = 3;

/** One step: the findings of one kind about the same target, from every source kind. */
interface Step {
  kind: FindingKind;
  findings: Finding[];
  ts: number;
  lastSeen: number;
  tools: string[];
}

const FLAG_NAMES: Record<string, string> = {
  null: 'NULL',
  fin: 'FIN',
  xmas: 'Xmas',
  ack: 'ACK',
  maimon: 'Maimon',
};

/**
 * @example
 * incidentTitle(findings, [], undefined)
 * // 'Port-22 sweep of 31 hosts (masscan), then port scan of 10.99.0.10 (7 ports) (nmap)'
 */
export function incidentTitle(
  findings: readonly Finding[],
  alerts: readonly AlertSignatureSummary[],
  scannerOrganisation: string | undefined,
): string {
  const body = findings.length > 0 ? describeSteps(findings) : describeAlerts(alerts);
  return scannerOrganisation ? `research scanner: ${scannerOrganisation}: ${body}` : body;
}

function describeSteps(findings: readonly Finding[]): string {
  const toolUses = findings.filter((f) => f.kind === 'tool-use');
  const steps = groupSteps(findings.filter((f) => f.kind !== 'tool-use'));
  const placed = new Set<string>();
  for (const step of steps) for (const f of step.findings) if (f.tool) addTool(step, f.tool.name, placed);
  // A tool-use finding names the step it overlaps most in time (the nearest start breaks ties).
  for (const t of toolUses) {
    let best: Step | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const step of steps) {
      const overlap = Math.min(t.lastSeen, step.lastSeen) - Math.max(t.ts, step.ts);
      if (overlap < 0) continue;
      const score = overlap - Math.abs(t.ts - step.ts) * 1e-6;
      if (score > bestScore) {
        bestScore = score;
        best = step;
      }
    }
    if (best && t.tool) addTool(best, t.tool.name, placed);
  }
  const unplaced = [...new Set(toolUses.map((t) => t.tool?.name).filter((n): n is string => !!n))].filter(
    (n) => !placed.has(n),
  );
  if (steps.length === 0) {
    const hosts = unionHosts(toolUses);
    return capitalise(`${unplaced.join(', ') || 'scanning tool'} in use against ${plural(hosts, 'host')}`);
  }
  const parts = steps
    .slice(0, MAX_STEPS)
    .map((s) => phrase(s) + (s.tools.length ? ` (${s.tools.join(', ')})` : ''));
  let text = parts.join(', then ');
  if (steps.length > MAX_STEPS) text += `, and ${steps.length - MAX_STEPS} more`;
  if (unplaced.length) text += `; tools: ${unplaced.join(', ')}`;
  return capitalise(text);
}

function addTool(step: Step, name: string, placed: Set<string>): void {
  if (!step.tools.includes(name)) step.tools.push(name);
  placed.add(name);
}

/** Same kind and same target shape (ports of a sweep, host of a port scan, service and host of a brute force). */
function stepKey(f: Finding): string {
  const t = f.targets;
  switch (f.kind) {
    case 'sweep':
      return `sweep|${t.proto}|${t.ports.slice(0, 3).join(',')}`;
    case 'port-scan':
    case 'udp-scan':
    case 'flag-scan':
      return `${f.kind}|${t.hostCount <= 1 ? (t.hosts[0] ?? '') : 'many'}`;
    case 'brute-force':
    case 'password-spray':
    case 'continuous-activity':
      return `${f.kind}|${t.service ?? ''}|${t.hostCount <= 1 ? (t.hosts[0] ?? '') : 'many'}`;
    default:
      return f.kind;
  }
}

function groupSteps(findings: readonly Finding[]): Step[] {
  const byKey = new Map<string, Step>();
  for (const f of findings) {
    const key = stepKey(f);
    let s = byKey.get(key);
    if (!s) {
      s = { kind: f.kind, findings: [], ts: f.ts, lastSeen: f.lastSeen, tools: [] };
      byKey.set(key, s);
    }
    s.findings.push(f);
    s.ts = Math.min(s.ts, f.ts);
    s.lastSeen = Math.max(s.lastSeen, f.lastSeen);
  }
  return [...byKey.values()].sort((a, b) => a.ts - b.ts || a.kind.localeCompare(b.kind));
}

/** Distinct hosts across findings: the union of their samples when complete, else the largest count. */
export function unionHosts(findings: readonly Finding[]): number {
  const hosts = new Set<string>();
  let complete = true;
  let largest = 0;
  for (const f of findings) {
    for (const h of f.targets.hosts) hosts.add(h);
    if (f.targets.estimated || f.targets.hosts.length < f.targets.hostCount) complete = false;
    largest = Math.max(largest, f.targets.hostCount);
  }
  return complete ? hosts.size : Math.max(hosts.size, largest);
}

function unionPorts(findings: readonly Finding[]): number {
  const ports = new Set<number>();
  let largest = 0;
  for (const f of findings) {
    for (const p of f.targets.ports) ports.add(p);
    largest = Math.max(largest, f.targets.portCount);
  }
  return Math.max(ports.size, largest);
}

function phrase(s: Step): string {
  const f = s.findings[0]!;
  const t = f.targets;
  const hosts = unionHosts(s.findings);
  const ports = unionPorts(s.findings);
  const one = hosts <= 1 && t.hosts[0] ? t.hosts[0] : plural(hosts, 'host');
  const service = (t.service ?? 'login').toUpperCase();
  const udp = t.proto === 'udp' ? 'UDP ' : '';
  switch (s.kind) {
    case 'sweep':
      return ports <= 3
        ? `${udp}port-${t.ports.slice(0, 3).join('/')} sweep of ${plural(hosts, 'host')}`
        : `${udp}${ports}-port sweep of ${plural(hosts, 'host')}`;
    case 'port-scan':
      return `port scan of ${one} (${plural(ports, 'port')})`;
    case 'block-scan':
      return `block scan of ${plural(hosts, 'host')} × ${plural(ports, 'port')}`;
    case 'host-discovery':
      return `${t.proto === 'arp' ? 'ARP' : t.proto === 'icmp' ? 'ICMP' : ''} host discovery of ${plural(hosts, 'host')}`.trim();
    case 'udp-scan':
      return `UDP scan of ${one} (${plural(ports, 'port')})`;
    case 'flag-scan': {
      const names = [...new Set(s.findings.map((x) => String(x.attrs?.flagClass ?? '')).filter(Boolean))]
        .flatMap((v) => v.split(/[,/ ]+/))
        .map((v) => FLAG_NAMES[v.toLowerCase()] ?? v);
      return `${[...new Set(names)].join('/') || 'odd-flag'} probes to ${one}`;
    }
    case 'distributed-scan': {
      const members = Math.max(...s.findings.map((x) => x.memberCount ?? x.members?.length ?? 0));
      return `distributed scan by ${plural(members, 'source')} of ${plural(hosts, 'host')}`;
    }
    case 'brute-force': {
      const won = s.findings.some((x) => (x.successes ?? 0) > 0);
      return `${service} brute force against ${one}${won ? ' (a login succeeded)' : ''}`;
    }
    case 'password-spray':
      return `${service} password spray of ${plural(Math.max(...s.findings.map((x) => x.targets.userCount ?? 0)), 'user')} against ${one}`;
    case 'continuous-activity':
      return `continuous ${service} activity against ${one}`;
    default:
      return `${s.kind} against ${one}`;
  }
}

function describeAlerts(alerts: readonly AlertSignatureSummary[]): string {
  const total = alerts.reduce((n, a) => n + a.count, 0);
  const top = [...alerts].sort((a, b) => b.count - a.count || a.msg.localeCompare(b.msg));
  const more = top.length > 1 ? ` and ${plural(top.length - 1, 'other signature')}` : '';
  return `${plural(total, 'IDS alert')}: ${top[0]?.msg ?? 'unnamed'}${more}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Tools of an incident: each name once (with its variant), the most confident match kept. */
export function mergeTools(lists: readonly (readonly ToolMatch[])[]): ToolMatch[] {
  const rank = { high: 3, medium: 2, low: 1 } as const;
  const byName = new Map<string, ToolMatch>();
  for (const list of lists) {
    for (const t of list) {
      const key = `${t.name}|${t.variant ?? ''}`;
      const had = byName.get(key);
      if (!had || rank[t.confidence] > rank[had.confidence]) byName.set(key, t);
    }
  }
  return [...byName.values()];
}
