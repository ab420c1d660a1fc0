/**
 * An incident's severity (OCSF severity id) and the reasons for it. The rule
 * is in docs/coverage.md ("Incident severity"):
 *
 * 1. Start from the highest severity among its findings and alerts (an alert
 *    without a known severity counts as low, 2).
 * 2. A brute force or password spray with a successful login: at least high (4).
 * 3. A scan whose probes were answered, followed (at or after the scan's
 *    start) by rule alerts or login attempts from the same source: one level
 *    up, at least medium (3), at most high (4): the source found something
 *    and came back to it.
 * 4. A research scanner (from the user's scanner lists): informational (1),
 *    unless rule 2 applies (a successful login is no longer research).
 */
import type { Finding, FindingKind } from '../../schema/finding.js';
import type { AddressSummary, AlertSignatureSummary } from './types.js';

const SCAN_KINDS: ReadonlySet<FindingKind> = new Set([
  'sweep',
  'port-scan',
  'block-scan',
  'host-discovery',
  'udp-scan',
  'flag-scan',
  'distributed-scan',
]);
const LOGIN_KINDS: ReadonlySet<FindingKind> = new Set([
  'brute-force',
  'password-spray',
  'continuous-activity',
]);
const LOGIN_EVENT_TYPES = ['login-failure', 'login-success', 'invalid-user'] as const;

export interface SeverityVerdict {
  severityId: number;
  /** One short sentence per rule that applied, in order. */
  reasons: string[];
}

/**
 * @example
 * incidentSeverity(findings, alerts, summary, undefined).severityId // 4
 */
export function incidentSeverity(
  findings: readonly Finding[],
  alerts: readonly AlertSignatureSummary[],
  summary: AddressSummary | undefined,
  scannerOrganisation: string | undefined,
): SeverityVerdict {
  const reasons: string[] = [];
  let sev = 0;
  for (const f of findings) sev = Math.max(sev, f.severityId);
  for (const a of alerts) sev = Math.max(sev, a.severityId ?? 2);
  reasons.push(`highest of its findings and alerts: ${sev}`);

  const success = findings.find(
    (f) => (f.kind === 'brute-force' || f.kind === 'password-spray') && (f.successes ?? 0) > 0,
  );
  if (success) {
    if (sev < 4) {
      sev = 4;
      reasons.push(`a login succeeded during the ${success.kind} (${success.sourceKind}): high`);
    }
    return { severityId: sev, reasons };
  }

  const answeredScan = findings
    .filter((f) => SCAN_KINDS.has(f.kind) && f.outcomes.answered > 0)
    .sort((a, b) => a.ts - b.ts)[0];
  if (answeredScan) {
    const followUp = followUpAfter(answeredScan.ts, findings, alerts, summary);
    if (followUp) {
      const raised = Math.min(4, Math.max(sev, 2) + 1);
      if (raised > sev) {
        reasons.push(`answered ${answeredScan.kind} followed by ${followUp}: raised to ${raised}`);
        sev = raised;
      }
    }
  }

  if (scannerOrganisation) {
    reasons.push(`research scanner (${scannerOrganisation}): informational`);
    sev = 1;
  }
  return { severityId: sev, reasons };
}

/** What the source did after its answered scan began, or undefined. */
function followUpAfter(
  since: number,
  findings: readonly Finding[],
  alerts: readonly AlertSignatureSummary[],
  summary: AddressSummary | undefined,
): string | undefined {
  const login = findings.find((f) => LOGIN_KINDS.has(f.kind) && f.lastSeen >= since);
  if (login) return `a ${login.kind}`;
  const alert = alerts.find((a) => a.lastSeen >= since);
  if (alert) return `alert "${alert.msg}"`;
  if (summary && summary.lastSeen >= since) {
    const t = LOGIN_EVENT_TYPES.find((x) => (summary.eventsByType[x] ?? 0) > 0);
    if (t) return `${t} events`;
  }
  return undefined;
}
