/**
 * Findings and incidents: what the behavioural detectors conclude.
 *
 * A finding comes from ONE kind of evidence (capture flows, NetFlow, a
 * firewall log, an sshd log ...): detectors run per source kind, so the same
 * sweep seen by NetFlow and by the firewall gives two findings, and the
 * incident that joins them can say which sources saw it and which did not.
 */
import type { SourceKind } from './event.js';

export const findingKinds = [
  /** One source, one port (or a few), many hosts. */
  'sweep',
  /** One source, many ports, one host. */
  'port-scan',
  /** One source, many ports on many hosts. */
  'block-scan',
  /** ICMP echo/timestamp or ARP requests to many hosts. */
  'host-discovery',
  /** Many UDP ports on a host, or UDP probes to many hosts, mostly unanswered or refused. */
  'udp-scan',
  /** TCP probes with NULL, FIN, Xmas, ACK or Maimon flags. */
  'flag-scan',
  /** Many sources, one target set or port (grouped by /24, /64 or scanner organisation). */
  'distributed-scan',
  /** Many failed logins from one source against one service. */
  'brute-force',
  /** Few attempts per user across many users from one source. */
  'password-spray',
  /** One source active against one service for longer than a set time. */
  'continuous-activity',
  /** A known scanning or attack tool identified from its packets or application data. */
  'tool-use',
] as const;
export type FindingKind = (typeof findingKinds)[number];

/**
 * What became of a probe, in Zeek's conn_state terms: answered (the target
 * spoke: SYN-ACK, data, ICMP echo reply, a log line of the service),
 * rejected (RST, ICMP unreachable), unanswered (nothing came back),
 * blocked (a firewall says it dropped it), unknown (the source cannot tell).
 */
export const probeOutcomes = ['answered', 'rejected', 'unanswered', 'blocked', 'unknown'] as const;
export type ProbeOutcome = (typeof probeOutcomes)[number];

/** Per-outcome counts of a finding's contacts. */
export type OutcomeCounts = Record<ProbeOutcome, number>;

/** How sure a tool identification is, and why. */
export interface ToolMatch {
  /** Lowercase tool name: masscan, zmap, nmap, hping3, nessus, nikto, sqlmap, zgrab, hydra, jce-bot ... */
  name: string;
  /** Variant when the evidence tells it: 'syn', 'connect', 'version', 'nse' for nmap. */
  variant?: string;
  confidence: 'high' | 'medium' | 'low';
  /** Plain sentence: which header fields or strings gave it away, and how often. */
  evidence: string;
}

/** A research-scanner label from the user's scanner lists. */
export interface ScannerLabel {
  /** Organisation, e.g. 'Censys', 'Shodan', 'Shadowserver'. */
  organisation: string;
  /** Which list said so (file name). */
  list: string;
}

export interface FindingTargets {
  /** Up to 32 target addresses, first seen first. */
  hosts: string[];
  /** Distinct target hosts (exact up to a limit, then a sketch estimate). */
  hostCount: number;
  /** Up to 64 target ports, first seen first; empty for ICMP/ARP. */
  ports: number[];
  portCount: number;
  /** 'tcp' | 'udp' | 'icmp' | 'arp' | 'mixed'. */
  proto: string;
  /** Application service attacked, for brute force and continuous activity: 'ssh', 'http', 'ftp'. */
  service?: string;
  /** Up to 32 user names tried (brute force, spraying). */
  users?: string[];
  userCount?: number;
  /** True when hostCount/portCount/userCount are sketch estimates, not exact. */
  estimated?: boolean;
}

/**
 * One detector's conclusion about one source (or group of sources).
 *
 * @example
 * const f: Finding = { uid: 'F…', kind: 'sweep', detector: 'sweep', sourceKind: 'pcap',
 *   src: '10.99.1.66', ts: 1795432331, lastSeen: 1795432333, … };
 */
export interface Finding {
  /** Deterministic: the same input gives the same uid. */
  uid: string;
  kind: FindingKind;
  /** Detector name (the registry's `name`). */
  detector: string;
  /** The one kind of evidence this finding was drawn from. */
  sourceKind: SourceKind;
  /** The acting address, or the group label ('203.0.113.0/24', 'Censys') for distributed scans. */
  src: string;
  /** Member addresses of a group (up to 32) and how many in all. */
  members?: string[];
  memberCount?: number;
  /** First and last contact, epoch seconds. */
  ts: number;
  lastSeen: number;
  targets: FindingTargets;
  /** Contacts (probes, connections, attempts) counted, and how they ended. */
  contacts: number;
  outcomes: OutcomeCounts;
  /** Targets that answered (open ports, live hosts): "host:port" or "host", up to 32. */
  answered?: string[];
  /** Brute force: failed and successful logins. */
  failures?: number;
  successes?: number;
  tool?: ToolMatch;
  scanner?: ScannerLabel;
  /** OCSF severity id (1 informational … 5 critical). */
  severityId: number;
  /** Plain-language reason: counts, window, distinct targets, thresholds crossed. */
  explanation: string;
  /** Up to 20 uids of the flows/events this finding rests on, and the files they came from. */
  evidence: { uids: string[]; files: string[] };
  attrs?: Record<string, string | number>;
}

/** Which log sources recorded an incident and which present ones should have but did not. */
export interface IncidentCoverage {
  /** Source kinds that hold evidence of the incident (findings, events or alerts). */
  sawBy: SourceKind[];
  /** Source kinds present in the run that would be expected to see it but hold nothing, each with why. */
  missedBy: { sourceKind: SourceKind; why: string }[];
}

/**
 * Everything one attacking source (or group) did, joined across sources and time.
 */
export interface Incident {
  uid: string;
  /** The address, or group label for distributed scans. */
  src: string;
  members?: string[];
  ts: number;
  lastSeen: number;
  /** Short human title, e.g. "Port-22 sweep of 31 hosts by masscan, then SSH brute force". */
  title: string;
  severityId: number;
  kinds: FindingKind[];
  findings: string[];
  /** Rule alerts from this source: total and by signature. */
  alerts: { count: number; signatures: { sid?: number; msg: string; count: number }[] };
  /** Normalized events naming this source, by type (the type summary's totals). */
  eventsByType: Record<string, number>;
  /** The same events (and alerts) by the source kind that recorded them: who saw this source at all. */
  eventsBySourceKind?: Partial<Record<SourceKind, number>>;
  /** Up to 32 target addresses across its findings and events, first seen first. */
  targets?: string[];
  /** Uids of linked incidents: a distributed group's member incidents, or a member's group incidents. */
  related?: string[];
  tools: ToolMatch[];
  scanner?: ScannerLabel;
  /** Distinct target hosts across its findings (upper bound when estimated). */
  targetHosts: number;
  coverage: IncidentCoverage;
}
