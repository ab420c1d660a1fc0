/**
 * Builds a scan finding from a tally the same way for every scan detector:
 * deterministic uid, outcomes with ICMP errors folded in, severity from how
 * the probes ended, and an explanation that states the counts, the window,
 * the threshold crossed and what answered.
 */
import type { Finding, FindingKind, OutcomeCounts } from '../../schema/finding.js';
import type { DetectorContext } from '../core/detector.js';
import { describeOutcomes, findingUid } from '../core/finding-util.js';
import { reportedOutcomes, type Tally } from './tally.js';

export interface ScanFindingInput {
  kind: FindingKind;
  detector: string;
  ctx: DetectorContext;
  /** Acting address or group label. */
  src: string;
  tally: Tally;
  hosts: { sample: readonly string[]; count: number; estimated: boolean };
  ports: { sample: readonly number[]; count: number; estimated: boolean };
  proto: string;
  /** Tells this finding apart from the source's others in the same window (host, port list, flag class). */
  discriminator: string;
  /** What was done, e.g. "10.99.1.66 sent tcp probes to port 22 on 14 hosts". */
  what: string;
  /** Which threshold it crossed. */
  why: string;
  attrs?: Record<string, string | number>;
  members?: { sample: readonly string[]; count: number };
}

/**
 * OCSF severity from how the probes ended: 3 (medium) when any target
 * answered, 2 (low) when targets only refused (they are alive), 1
 * (informational) when nothing came back or a firewall dropped everything.
 *
 * @example severityFor({ answered: 1, rejected: 5, unanswered: 8, blocked: 0, unknown: 0 }) // 3
 */
export function severityFor(o: OutcomeCounts): number {
  if (o.answered > 0) return 3;
  if (o.rejected > 0) return 2;
  return 1;
}

/** "2026-11-23T11:12:11Z to 11:12:14Z (3.7 s)". */
export function describeWindow(first: number, last: number): string {
  const a = new Date(first * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const b = new Date(last * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const span = last - first;
  const spanText = span < 120 ? `${span.toFixed(1)} s` : `${(span / 60).toFixed(1)} min`;
  return `from ${a} to ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} (${spanText})`;
}

/**
 * @example
 * ctx.emit(buildScanFinding({ kind: 'sweep', detector: 'sweep', ctx, src, tally, hosts, ports,
 *   proto: 'tcp', discriminator: '22', what: '…', why: '…' }));
 */
export function buildScanFinding(i: ScanFindingInput): Finding {
  const t = i.tally;
  const outcomes = reportedOutcomes(t);
  const first = Number.isFinite(t.first) ? t.first : 0;
  const last = Number.isFinite(t.last) ? t.last : first;
  const answered = t.answered.length
    ? ` Answered: ${t.answered.slice(0, 8).join(', ')}${t.answered.length > 8 ? ' …' : ''}.`
    : '';
  const estimated = i.hosts.estimated || i.ports.estimated;
  const f: Finding = {
    uid: findingUid([i.detector, i.kind, i.ctx.sourceKind, i.src, i.discriminator, first]),
    kind: i.kind,
    detector: i.detector,
    sourceKind: i.ctx.sourceKind,
    src: i.src,
    ts: first,
    lastSeen: last,
    targets: {
      hosts: i.hosts.sample.slice(0, 32),
      hostCount: i.hosts.count,
      ports: i.ports.sample.filter((p) => p >= 0).slice(0, 64),
      portCount: i.ports.sample.every((p) => p < 0) ? 0 : i.ports.count,
      proto: i.proto,
      ...(estimated ? { estimated: true } : {}),
    },
    contacts: t.contacts,
    outcomes,
    severityId: severityFor(outcomes),
    explanation: `${i.what} ${describeWindow(first, last)}; ${describeOutcomes(outcomes)}; ${i.why}.${answered}`,
    evidence: { uids: t.uids.slice(0, 20), files: [...t.files] },
  };
  if (t.answered.length) f.answered = [...t.answered];
  if (i.attrs) f.attrs = i.attrs;
  if (i.members) {
    f.members = i.members.sample.slice(0, 32);
    f.memberCount = i.members.count;
  }
  const label = i.members ? undefined : i.ctx.scannerLabel?.(i.src);
  if (label) f.scanner = label;
  return f;
}

/** "22" / "22, 80 and 443" / "21, 22, 80 … (1000 ports)". */
export function describePorts(sample: readonly number[], count: number): string {
  const shown = sample.filter((p) => p >= 0).slice(0, 8);
  if (count <= shown.length) {
    if (shown.length <= 1) return shown.join('');
    return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  }
  return `${shown.join(', ')} … (${count} ports)`;
}
