/**
 * The "should have seen" rules, one per kind of source. Each looks at an
 * incident's activity and one source the run read, and says whether that
 * source's silence is a miss, expected, or cannot be told ('unknown').
 * docs/coverage.md states them in words, with the lab's examples.
 */
import type { Incident } from '../../schema/finding.js';
import type { IncidentActivity } from './activity.js';
import { matchingPrefix } from './prefix.js';
import type { SiteSource } from './site.js';

export type CoverageStatus = 'missed' | 'not-expected' | 'unknown';
export interface RuleVerdict {
  status: CoverageStatus;
  why: string;
}

/** Slack around an incident when comparing it with a source's time span: clocks and batching differ. */
export const TIME_SLACK_SECONDS = 60;

const missed = (why: string): RuleVerdict => ({ status: 'missed', why });
const notExpected = (why: string): RuleVerdict => ({ status: 'not-expected', why });
const unknown = (why: string): RuleVerdict => ({ status: 'unknown', why: `unknown: ${why}` });

function list(xs: readonly string[], max = 3): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

/** Rule T: a source whose records do not cover the incident's time cannot have seen it. */
export function timeRule(incident: Incident, s: SiteSource): RuleVerdict | undefined {
  if (!s.span) return unknown(`the ${s.sourceKind} input held no timed records`);
  if (
    s.span.last + TIME_SLACK_SECONDS < incident.ts ||
    s.span.first - TIME_SLACK_SECONDS > incident.lastSeen
  ) {
    return notExpected(
      `the ${s.sourceKind} input covers ${iso(s.span.first)} to ${iso(s.span.last)}; the incident is at ${iso(incident.ts)}`,
    );
  }
  return undefined;
}

/**
 * Rule N (capture, NetFlow, Zeek, IDS sensors): a sensor that saw traffic
 * for a host this source demonstrably reached should hold the source's
 * traffic too. Probes a firewall blocked never reach a sensor behind it.
 */
export function networkRule(incident: Incident, a: IncidentActivity, s: SiteSource): RuleVerdict {
  const name = s.sourceKind === 'pcap' ? 'the capture' : `the ${s.sourceKind} sensor`;
  if (s.addressesTruncated)
    return unknown(`${name} saw too many addresses to list, so whether it is on this path cannot be told`);
  const seen = s.addresses ?? [];
  const onPath = [...a.reached].filter((h) => matchingPrefix(h, seen) !== undefined);
  const srcSeen = matchingPrefix(incident.src, seen) !== undefined;
  if (onPath.length > 0 || (srcSeen && a.reached.size > 0)) {
    const what = [onPath.length ? list(onPath) : '', srcSeen ? `${incident.src} itself` : '']
      .filter(Boolean)
      .join(' and ');
    return missed(
      `${name} saw traffic for ${what} during its time span, and other sources show this source's traffic reached ${list([...a.reached])}, yet it holds nothing from ${incident.src}`,
    );
  }
  if (a.blocked.length > 0 && a.reached.size === 0) {
    if (s.position === 'behind-firewall')
      return notExpected(
        `the firewall blocked these probes (${list(a.blocked)}), and ${name} sits behind it`,
      );
    if (s.position === 'outside-firewall') {
      const before = a.blocked.filter((h) => matchingPrefix(h, seen) !== undefined);
      if (before.length > 0)
        return missed(
          `${name} sits before the firewall and sees ${list(before)}: it should hold the blocked probes`,
        );
      return notExpected(`${name} saw no traffic for ${list(a.blocked)}: not on its path`);
    }
    return unknown(
      `the firewall blocked every probe it saw (${list(a.blocked)}); whether ${name} sits behind the firewall (silence expected) or before it (a miss) is not known`,
    );
  }
  if (a.targets.length === 0) return unknown(`no target address is known to compare with what ${name} saw`);
  if (a.reached.size === 0)
    return unknown(
      `no source shows that this traffic reached ${list(a.targets)}, and ${name} saw none of it`,
    );
  return notExpected(`${name} saw no traffic for ${list([...a.reached])}: they are not on its path`);
}

/**
 * Rule F (firewall log): a firewall log holds what its rules log. Silence is
 * a miss only where the log shows it records that destination: the same
 * host:port logged for other sources, or allowed traffic logged to the same
 * destinations. A deny-only log is expected to be silent on traffic that got through.
 */
export function firewallRule(incident: Incident, a: IncidentActivity, s: SiteSource): RuleVerdict {
  const pairs = new Set(s.loggedPairs ?? []);
  const logged = a.pairs.filter((p) => pairs.has(p));
  if (logged.length > 0)
    return missed(
      `the firewall logged ${list(logged)} for other sources in this time, but nothing from ${incident.src}`,
    );
  const reached = [...a.reached];
  if (s.logsAllowed) {
    const dests = s.loggedDestinations ?? [];
    const covered = reached.filter((h) => matchingPrefix(h, dests) !== undefined);
    if (covered.length > 0)
      return missed(
        `the firewall logs allowed traffic too and logged other traffic to ${list(covered)}, but nothing from ${incident.src}`,
      );
  }
  if (s.loggedTruncated) return unknown('the firewall logged too many destinations to list');
  if (!s.logsAllowed && reached.length > 0) {
    return notExpected(
      `this firewall log holds denied traffic only, and this traffic was let through (it reached ${list(reached)})`,
    );
  }
  return unknown(
    `the firewall logged nothing for ${list(a.targets) || 'these targets'}; whether its rules cover them is not known`,
  );
}

/**
 * Rule S (sshd log): sshd records SSH conversations (past the TCP handshake)
 * with the server it belongs to. Half-open probes never reach it.
 */
export function sshdRule(
  incident: Incident,
  a: IncidentActivity,
  s: SiteSource | undefined,
): RuleVerdict | undefined {
  if (a.ssh.sessions.length === 0) {
    if (s && a.ssh.probedOnly.length > 0)
      return notExpected(
        `only half-open probes reached port 22 (${list(a.ssh.probedOnly)}); they never reach sshd`,
      );
    return undefined;
  }
  const hosts = a.ssh.sessions;
  if (!s)
    return missed(`no sshd log was read: the SSH sessions with ${list(hosts)} have no server-side record`);
  const servers = s.servers ?? [];
  const names = s.hostNames ?? [];
  const own = hosts.filter((h) => servers.includes(h) || names.includes(h));
  if (own.length > 0)
    return missed(`the sshd log is of ${list(own)} (it says so), yet holds nothing from ${incident.src}`);
  if (servers.length > 0)
    return notExpected(
      `the sshd log read is of another server (listening on ${list(servers)}${names.length ? `, host ${list(names)}` : ''}), not of ${list(hosts)}`,
    );
  return unknown(
    `the sshd log names no listening address${names.length ? ` (host ${list(names)})` : ''}, so whether it belongs to ${list(hosts)} cannot be told`,
  );
}

/**
 * Rule W (web server logs): a web log records the HTTP requests its server
 * answered. Logs rarely name their server's address, so a miss is claimed
 * only when a vhost names the target.
 */
export function weblogRule(
  incident: Incident,
  a: IncidentActivity,
  s: SiteSource | undefined,
): RuleVerdict | undefined {
  if (!a.http) return undefined;
  const hosts = a.httpHosts;
  if (!s)
    return missed(
      `no web server log was read: the HTTP requests${hosts.length ? ` to ${list(hosts)}` : ''} have no server-side record`,
    );
  const own = hosts.filter((h) => (s.vhosts ?? []).includes(h) || (s.hostNames ?? []).includes(h));
  if (own.length > 0)
    return missed(`the web log serves ${list(own)}, yet holds nothing from ${incident.src}`);
  return unknown(
    `the web log does not name its server's address${s.vhosts?.length ? ` (vhosts ${list(s.vhosts)})` : ''}, so whether it belongs to ${list(hosts) || 'the target'} cannot be told`,
  );
}
