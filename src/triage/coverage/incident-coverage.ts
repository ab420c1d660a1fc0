/**
 * Which sources recorded an incident, and which that the run read (or
 * should have read) stayed silent when they should not have, and why.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding, Incident, IncidentCoverage } from '../../schema/finding.js';
import { activityOf } from './activity.js';
import { firewallRule, networkRule, type RuleVerdict, sshdRule, timeRule, weblogRule } from './rules.js';
import { NETWORK_SENSORS, type SiteSources } from './site.js';

export interface CoverageNote {
  sourceKind: SourceKind;
  why: string;
}

/**
 * IncidentCoverage plus the silent sources whose silence is expected.
 * In `missedBy`, a `why` that starts with "unknown:" means the rule could
 * not decide; the rest are claimed misses.
 */
export interface IncidentCoverageDetail extends IncidentCoverage {
  notExpected: CoverageNote[];
}

/** True when a missedBy entry is an undecided case rather than a claimed miss. */
export function isUndecided(entry: { why: string }): boolean {
  return entry.why.startsWith('unknown:');
}

/**
 * @example
 * const c = incidentCoverage(incident, findings, site);
 * c.missedBy // [{ sourceKind: 'sshd', why: 'no sshd log was read: …' }]
 */
export function incidentCoverage(
  incident: Incident,
  findings: readonly Finding[],
  site: SiteSources,
): IncidentCoverageDetail {
  const own = findings.filter((f) => incident.findings.includes(f.uid));
  const saw = new Set<SourceKind>(incident.coverage?.sawBy ?? []);
  for (const f of own) saw.add(f.sourceKind);
  for (const [k, n] of Object.entries(incident.eventsBySourceKind ?? {})) if (n) saw.add(k as SourceKind);

  const activity = activityOf(incident, own);
  const missedBy: CoverageNote[] = [];
  const notExpected: CoverageNote[] = [];
  const put = (sourceKind: SourceKind, v: RuleVerdict | undefined) => {
    if (!v) return;
    if (v.status === 'not-expected') notExpected.push({ sourceKind, why: v.why });
    else missedBy.push({ sourceKind, why: v.why });
  };

  const present = new Map(site.sources.map((s) => [s.sourceKind, s]));
  for (const s of site.sources) {
    if (saw.has(s.sourceKind)) continue;
    const timing = timeRule(incident, s);
    if (timing) {
      put(s.sourceKind, timing);
      continue;
    }
    if (NETWORK_SENSORS.includes(s.sourceKind)) put(s.sourceKind, networkRule(incident, activity, s));
    else if (s.sourceKind === 'firewall') put(s.sourceKind, firewallRule(incident, activity, s));
    else if (s.sourceKind === 'sshd') put(s.sourceKind, sshdRule(incident, activity, s));
    else if (s.sourceKind === 'weblog') put(s.sourceKind, weblogRule(incident, activity, s));
    // syslog and others: no rule says what they must record, so nothing is claimed.
  }
  // Server logs the run did not read at all: a gap when the incident held conversations they record.
  if (!present.has('sshd') && !saw.has('sshd')) put('sshd', sshdRule(incident, activity, undefined));
  if (!present.has('weblog') && !saw.has('weblog')) put('weblog', weblogRule(incident, activity, undefined));

  return { sawBy: [...saw].sort(), missedBy, notExpected };
}

/**
 * The incidents with `coverage` filled in by the rules (buildIncidents fills
 * only `sawBy`): what the pipeline stores.
 *
 * @example
 * await store.writeIncidents(withCoverage(buildIncidents({ findings, addresses }), findings, site), runId);
 */
export function withCoverage(
  incidents: readonly Incident[],
  findings: readonly Finding[],
  site: SiteSources,
): Incident[] {
  // Each incident gets only its own findings: handing every incident all of them costs incidents × findings.
  const byUid = new Map(findings.map((f) => [f.uid, f]));
  return incidents.map((i) => {
    const own = i.findings.map((u) => byUid.get(u)).filter((f): f is Finding => f !== undefined);
    const { sawBy, missedBy } = incidentCoverage(i, own, site);
    return { ...i, coverage: { sawBy, missedBy } };
  });
}
