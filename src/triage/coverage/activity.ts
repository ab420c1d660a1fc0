/**
 * What an incident's evidence says about its traffic, in the terms coverage
 * rules need: which hosts and ports it touched, which hosts it demonstrably
 * reached, which probes a firewall blocked, and whether it held SSH or HTTP
 * conversations that a server log would record.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding, Incident } from '../../schema/finding.js';
import { NETWORK_SENSORS } from './site.js';

export interface IncidentActivity {
  /** Target hosts (addresses, or host names from logs). */
  targets: string[];
  /** "host:port" pairs known from findings. */
  pairs: string[];
  /** Hosts that answered or refused, or whose service logged the source: the traffic got there. */
  reached: Set<string>;
  /** Hosts a firewall reported blocking, with their ports. */
  blocked: string[];
  /** Hosts the source held SSH conversations with (past the handshake), and SSH hosts only probed. */
  ssh: { sessions: string[]; probedOnly: string[] };
  /** True when the incident shows HTTP requests (service http, web events from other logs, web alerts). */
  http: boolean;
  httpHosts: string[];
}

const SERVICE_LOGS: ReadonlySet<SourceKind> = new Set(['sshd', 'weblog']);
const SESSION_KINDS = new Set(['brute-force', 'password-spray', 'continuous-activity']);
const WEB_ALERT = /\bHTTP\b|user[- ]agent|\bURI\b|\bWEB_|\bweb\b/i;
const WEB_TOOLS = new Set([
  'nikto',
  'sqlmap',
  'nessus',
  'jce-bot',
  'zgrab',
  'wpscan',
  'dirbuster',
  'gobuster',
]);

/** The host of an "answered" entry: "10.0.0.1:22", "[2001:db8::1]:22", "10.0.0.1" or a bare IPv6 address. */
function hostOf(entry: string): string {
  if (entry.startsWith('[')) return entry.slice(1, entry.indexOf(']'));
  const colons = entry.split(':').length - 1;
  return colons === 1 ? entry.slice(0, entry.indexOf(':')) : entry;
}

/**
 * @example
 * activityOf(incident, findings).reached // Set { '10.99.0.11' }
 */
export function activityOf(incident: Incident, findings: readonly Finding[]): IncidentActivity {
  const own = findings.filter((f) => incident.findings.includes(f.uid) || f.src === incident.src);
  const targets: string[] = [];
  const add = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  const pairs: string[] = [];
  const reached = new Set<string>();
  const blocked: string[] = [];
  const sshSessions: string[] = [];
  const sshProbed: string[] = [];
  const httpHosts: string[] = [];
  let http = false;

  for (const f of own) {
    const t = f.targets;
    for (const h of t.hosts) add(targets, h);
    if (t.hosts.length <= 32 && t.ports.length <= 64)
      for (const h of t.hosts) for (const p of t.ports) add(pairs, `${h}:${p}`);
    const network = NETWORK_SENSORS.includes(f.sourceKind);
    const answeredHosts = f.answered?.length
      ? f.answered.map(hostOf)
      : f.outcomes.answered > 0 && t.hosts.length === 1
        ? [t.hosts[0]!]
        : [];
    if (network && f.outcomes.answered + f.outcomes.rejected > 0) {
      for (const h of answeredHosts) reached.add(h);
      if (answeredHosts.length === 0 && t.hosts.length === 1) reached.add(t.hosts[0]!);
    }
    if (SERVICE_LOGS.has(f.sourceKind)) for (const h of t.hosts) reached.add(h);
    if (f.sourceKind === 'firewall' && f.outcomes.blocked > 0) for (const h of t.hosts) add(blocked, h);
    const ssh = t.service === 'ssh' || (t.ports.length > 0 && t.ports.every((p) => p === 22));
    if (ssh && (SESSION_KINDS.has(f.kind) || f.sourceKind === 'sshd'))
      for (const h of t.hosts) add(sshSessions, h);
    else if (ssh) for (const h of answeredHosts) add(sshProbed, h);
    if (t.service === 'http' || t.service === 'https' || (f.tool && WEB_TOOLS.has(f.tool.name))) {
      http = true;
      for (const h of t.hosts) add(httpHosts, h);
    }
    if (f.tool?.name === 'nmap' && (f.tool.variant === 'nse' || f.tool.variant === 'version'))
      http ||= t.ports.some((p) => p === 80 || p === 443 || p === 8080);
  }
  for (const h of incident.targets ?? []) add(targets, h);
  const kinds = incident.eventsBySourceKind ?? {};
  if (own.length === 0 && ((kinds.sshd ?? 0) > 0 || (kinds.weblog ?? 0) > 0))
    for (const h of incident.targets ?? []) reached.add(h);
  const types = incident.eventsByType;
  if ((types['web-access'] ?? 0) + (types['web-error'] ?? 0) + (types['access-denied'] ?? 0) > 0) http = true;
  if (incident.alerts.signatures.some((s) => WEB_ALERT.test(s.msg))) http = true;
  if (http && httpHosts.length === 0) for (const h of incident.targets ?? []) add(httpHosts, h);
  return {
    targets,
    pairs,
    reached,
    blocked: blocked.filter((h) => !reached.has(h)),
    ssh: { sessions: sshSessions, probedOnly: sshProbed.filter((h) => !sshSessions.includes(h)) },
    http,
    httpHosts,
  };
}
