/**
 * Incidents: everything one attacking source did, joined across the source
 * kinds that saw it and across time. One incident per source address with
 * findings or rule alerts; one per group label of distributed-scan findings,
 * linked (`related`) to its members' own incidents rather than repeating them.
 */
import { createHash } from 'node:crypto';
import type { SourceKind } from '../../schema/event.js';
import type { Finding, FindingKind, Incident, ScannerLabel, ToolMatch } from '../../schema/finding.js';
import { incidentSeverity } from './severity.js';
import { incidentTitle, mergeTools } from './title.js';
import type { AddressSummary, AlertSignatureSummary, IncidentInput } from './types.js';

/** Target addresses kept on an incident. */
const MAX_TARGETS = 32;

/**
 * Deterministic incident uid: 'I' + 20 base64url characters of a SHA-1 over
 * the source (or group label) and its first time.
 *
 * @example
 * incidentUid('10.99.1.66', 1795432331) // 'I…'
 */
export function incidentUid(src: string, firstSeen: number): string {
  return `I${createHash('sha1').update(`${src}\u0000${firstSeen}`).digest('base64url').slice(0, 20)}`;
}

/**
 * @example
 * const incidents = buildIncidents({ findings, addresses: summaries.summaries(), tools });
 * incidents[0].title // 'Port-22 sweep of 31 hosts (masscan), then port scan of 10.99.0.10 (7 ports)'
 */
export function buildIncidents(input: IncidentInput): Incident[] {
  const summaries = asMap(input.addresses);
  const groups = new Map<string, { findings: Finding[]; group: boolean }>();
  for (const f of input.findings) {
    let g = groups.get(f.src);
    if (!g) {
      g = { findings: [], group: false };
      groups.set(f.src, g);
    }
    g.findings.push(f);
    if (f.kind === 'distributed-scan') g.group = true;
  }
  for (const s of summaries.values()) {
    if (s.alerts.length > 0 && !groups.has(s.addr)) groups.set(s.addr, { findings: [], group: false });
  }

  const incidents: Incident[] = [];
  for (const [src, g] of groups) {
    const summary = g.group ? undefined : summaries.get(src);
    incidents.push(oneIncident(src, g.findings, summary, input));
  }
  linkGroups(incidents, input.findings);
  return incidents.sort((a, b) => b.severityId - a.severityId || a.ts - b.ts || a.src.localeCompare(b.src));
}

function oneIncident(
  src: string,
  found: Finding[],
  summary: AddressSummary | undefined,
  input: IncidentInput,
): Incident {
  const findings = [...found].sort((a, b) => a.ts - b.ts || a.uid.localeCompare(b.uid));
  const alerts = summary?.alerts ?? [];
  const times = [...findings.map((f) => f.ts), ...alerts.map((a) => a.firstSeen)];
  const ends = [...findings.map((f) => f.lastSeen), ...alerts.map((a) => a.lastSeen)];
  const ts = Math.min(...times);
  const lastSeen = Math.max(...ends);

  const scanner = scannerOf(src, findings, input);
  const tools = mergeTools([
    findings.map((f) => f.tool).filter((t): t is ToolMatch => t !== undefined),
    input.tools?.get(src) ?? [],
  ]);
  const { severityId } = incidentSeverity(findings, alerts, summary, scanner?.organisation);
  const kinds: FindingKind[] = [];
  for (const f of findings) if (!kinds.includes(f.kind)) kinds.push(f.kind);

  const incident: Incident = {
    uid: incidentUid(src, ts),
    src,
    ts,
    lastSeen,
    title: incidentTitle(findings, alerts, scanner?.organisation),
    severityId,
    kinds,
    findings: findings.map((f) => f.uid),
    alerts: alertTotals(alerts),
    eventsByType: { ...(summary?.eventsByType ?? {}) },
    eventsBySourceKind: { ...(summary?.eventsBySourceKind ?? {}) },
    tools,
    targetHosts: targetHostBound(findings, summary),
    targets: targetSample(findings, summary),
    coverage: { sawBy: sawBy(findings, summary, alerts), missedBy: [] },
  };
  const members = memberSample(findings);
  if (members.length) incident.members = members;
  if (scanner) incident.scanner = scanner;
  return incident;
}

function asMap(a: IncidentInput['addresses']): ReadonlyMap<string, AddressSummary> {
  if (a === undefined) return new Map();
  if (a instanceof Map) return a;
  return new Map((a as readonly AddressSummary[]).map((s) => [s.addr, s]));
}

function scannerOf(
  src: string,
  findings: readonly Finding[],
  input: IncidentInput,
): ScannerLabel | undefined {
  for (const f of findings) if (f.scanner) return f.scanner;
  return input.scannerLabel?.(src);
}

function alertTotals(alerts: readonly AlertSignatureSummary[]): Incident['alerts'] {
  const signatures = [...alerts]
    .sort((a, b) => b.count - a.count || a.msg.localeCompare(b.msg))
    .map((a) =>
      a.sid === undefined ? { msg: a.msg, count: a.count } : { sid: a.sid, msg: a.msg, count: a.count },
    );
  return { count: alerts.reduce((n, a) => n + a.count, 0), signatures };
}

/**
 * Distinct targets: the union of the findings' host samples while they are
 * complete; otherwise, per source kind, the sum of its findings' host counts
 * (findings of one kind may overlap, so a sum bounds them from above), and the
 * largest of those: the source kind that saw the most.
 */
function targetHostBound(findings: readonly Finding[], summary: AddressSummary | undefined): number {
  const hosts = new Set<string>();
  let complete = true;
  const perKind = new Map<SourceKind, number>();
  for (const f of findings) {
    for (const h of f.targets.hosts) hosts.add(h);
    if (f.targets.estimated || f.targets.hosts.length < f.targets.hostCount) complete = false;
    perKind.set(f.sourceKind, (perKind.get(f.sourceKind) ?? 0) + f.targets.hostCount);
  }
  if (findings.length === 0) return summary?.targets.length ?? 0;
  return complete ? hosts.size : Math.max(hosts.size, ...perKind.values());
}

function targetSample(findings: readonly Finding[], summary: AddressSummary | undefined): string[] {
  const out: string[] = [];
  for (const h of [...findings.flatMap((f) => f.targets.hosts), ...(summary?.targets ?? [])]) {
    if (out.length >= MAX_TARGETS) break;
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

function sawBy(
  findings: readonly Finding[],
  summary: AddressSummary | undefined,
  alerts: readonly AlertSignatureSummary[],
): SourceKind[] {
  const kinds = new Set<SourceKind>(findings.map((f) => f.sourceKind));
  for (const [k, n] of Object.entries(summary?.eventsBySourceKind ?? {})) if (n) kinds.add(k as SourceKind);
  for (const a of alerts) for (const k of a.sourceKinds) kinds.add(k);
  return [...kinds].sort();
}

function memberSample(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings)
    for (const m of f.members ?? []) if (out.length < MAX_TARGETS && !out.includes(m)) out.push(m);
  return out;
}

/** A group incident lists its members' incidents in `related`, and each member lists the group. */
function linkGroups(incidents: Incident[], findings: readonly Finding[]): void {
  const bySrc = new Map(incidents.map((i) => [i.src, i]));
  for (const f of findings) {
    if (f.kind !== 'distributed-scan') continue;
    const group = bySrc.get(f.src);
    if (!group) continue;
    for (const m of f.members ?? []) {
      const member = bySrc.get(m);
      if (!member || member === group) continue;
      group.related = addOnce(group.related, member.uid);
      member.related = addOnce(member.related, group.uid);
    }
  }
}

function addOnce(list: string[] | undefined, uid: string): string[] {
  const out = list ?? [];
  if (!out.includes(uid)) out.push(uid);
  return out;
}
