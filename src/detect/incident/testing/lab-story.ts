/**
 * A test fixture built from the lab's story (examples/lab/README.md and
 * test/lab/README.md, "what each artefact sees"): the findings the detectors
 * would draw from each artefact alone, and the per-address event summaries.
 * Built here, in code, from the documented facts; no shared data is copied.
 *
 * The capture sits behind the gateway's firewall: it sees masscan's SYNs to
 * 10.99.0.2–.15 (SYN-ACK from .11, RST from .10 and .12, silence from the
 * dark ones), nmap's 4 unfiltered ports of .10, hping3's NULL/FIN/Xmas and
 * hydra's sessions. The firewall log holds only denies: port 22 to
 * 10.99.0.16/28 and the gateway .1. auth.log holds hydra's failures on
 * lab-ssh (10.99.0.11). access.log holds the web bot and nmap -sV -sC.
 */
import type { SourceKind } from '../../../schema/event.js';
import type { Finding, FindingKind, OutcomeCounts, ToolMatch } from '../../../schema/finding.js';
import { findingUid } from '../../core/finding-util.js';
import type { AddressSummary, AlertSignatureSummary } from '../types.js';

export const LAB_T0 = Date.parse('2026-11-23T11:12:11Z') / 1000;
export const SCANNER = '10.99.1.66';
export const BRUTE = '10.99.1.67';
export const WEBBOT = '10.99.1.68';
export const BENIGN = '10.99.1.80';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `10.99.0.${from + i}`);

/** Dark and live addresses masscan's SYNs reached behind the firewall, and those it blocked. */
export const SWEEP_INSIDE = range(2, 15);
export const SWEEP_BLOCKED = ['10.99.0.1', ...range(16, 31)];

export function outcomes(o: Partial<OutcomeCounts>): OutcomeCounts {
  return { answered: 0, rejected: 0, unanswered: 0, blocked: 0, unknown: 0, ...o };
}

interface Spec {
  kind: FindingKind;
  detector?: string;
  sourceKind: SourceKind;
  src: string;
  at: number;
  until: number;
  hosts: string[];
  ports: number[];
  proto?: string;
  service?: string;
  outcomes: OutcomeCounts;
  answered?: string[];
  severityId: number;
  tool?: ToolMatch;
  failures?: number;
  successes?: number;
  users?: string[];
  attrs?: Record<string, string | number>;
  members?: string[];
}

/** A finding shaped as a detector would emit it. */
export function finding(s: Spec): Finding {
  const contacts = Object.values(s.outcomes).reduce((a, b) => a + b, 0);
  const f: Finding = {
    uid: findingUid([s.detector ?? s.kind, s.sourceKind, s.src, s.at, s.kind]),
    kind: s.kind,
    detector: s.detector ?? s.kind,
    sourceKind: s.sourceKind,
    src: s.src,
    ts: s.at,
    lastSeen: s.until,
    targets: {
      hosts: s.hosts.slice(0, 32),
      hostCount: s.hosts.length,
      ports: s.ports,
      portCount: s.ports.length,
      proto: s.proto ?? 'tcp',
      ...(s.service ? { service: s.service } : {}),
      ...(s.users ? { users: s.users, userCount: s.users.length } : {}),
    },
    contacts,
    outcomes: s.outcomes,
    severityId: s.severityId,
    explanation: `${s.kind} from ${s.src}: ${contacts} contacts to ${s.hosts.length} hosts`,
    evidence: { uids: [], files: [] },
  };
  if (s.answered) f.answered = s.answered;
  if (s.tool) f.tool = s.tool;
  if (s.failures !== undefined) f.failures = s.failures;
  if (s.successes !== undefined) f.successes = s.successes;
  if (s.attrs) f.attrs = s.attrs;
  if (s.members) {
    f.members = s.members.slice(0, 32);
    f.memberCount = s.members.length;
  }
  return f;
}

const t = (s: number) => LAB_T0 + s;
const masscan: ToolMatch = {
  name: 'masscan',
  confidence: 'high',
  evidence: '14 of 14 SYNs: window 1024, TTL 255',
};
const nmapSyn: ToolMatch = {
  name: 'nmap',
  variant: 'syn',
  confidence: 'medium',
  evidence: 'window 1024, MSS 1460 only',
};
const hping3: ToolMatch = {
  name: 'hping3',
  confidence: 'medium',
  evidence: 'window 512, incrementing source port',
};
const HYDRA_USERS = ['labuser', 'admin', 'root', 'test', 'ubuntu', 'oracle'];

/** Findings per artefact, as the lab's story says each artefact sees the actions. */
export function labFindings(): Finding[] {
  return [
    // capture.pcap (behind the firewall)
    finding({
      kind: 'sweep',
      sourceKind: 'pcap',
      src: SCANNER,
      at: t(0.1),
      until: t(3.8),
      hosts: SWEEP_INSIDE,
      ports: [22],
      outcomes: outcomes({ answered: 1, rejected: 2, unanswered: 11 }),
      answered: ['10.99.0.11:22'],
      severityId: 3,
    }),
    finding({
      kind: 'tool-use',
      detector: 'fingerprint',
      sourceKind: 'pcap',
      src: SCANNER,
      at: t(0.1),
      until: t(3.8),
      hosts: SWEEP_INSIDE,
      ports: [22],
      outcomes: outcomes({ unknown: 14 }),
      tool: masscan,
      severityId: 2,
    }),
    finding({
      kind: 'port-scan',
      sourceKind: 'pcap',
      src: SCANNER,
      at: t(3.9),
      until: t(5.1),
      hosts: ['10.99.0.10'],
      ports: [21, 22, 80, 8080],
      outcomes: outcomes({ answered: 1, rejected: 3 }),
      answered: ['10.99.0.10:80'],
      severityId: 3,
    }),
    finding({
      kind: 'tool-use',
      detector: 'fingerprint',
      sourceKind: 'pcap',
      src: SCANNER,
      at: t(3.9),
      until: t(5.1),
      hosts: ['10.99.0.10'],
      ports: [21, 22, 80, 8080],
      outcomes: outcomes({ unknown: 4 }),
      tool: nmapSyn,
      severityId: 2,
    }),
    finding({
      kind: 'flag-scan',
      sourceKind: 'pcap',
      src: SCANNER,
      at: t(5.2),
      until: t(8.9),
      hosts: ['10.99.0.10'],
      ports: [80, 81],
      outcomes: outcomes({ rejected: 6, unanswered: 6 }),
      attrs: { flagClass: 'null,fin,xmas' },
      severityId: 2,
    }),
    finding({
      kind: 'tool-use',
      detector: 'fingerprint',
      sourceKind: 'pcap',
      src: SCANNER,
      at: t(5.2),
      until: t(8.9),
      hosts: ['10.99.0.10'],
      ports: [80, 81],
      outcomes: outcomes({ unknown: 12 }),
      tool: hping3,
      severityId: 2,
    }),
    finding({
      kind: 'brute-force',
      sourceKind: 'pcap',
      src: BRUTE,
      at: t(8.9),
      until: t(9.9),
      hosts: ['10.99.0.11'],
      ports: [22],
      service: 'ssh',
      outcomes: outcomes({ answered: 7 }),
      severityId: 3,
    }),
    // lab-nfdump/flows.csv (softflowd over the same capture)
    finding({
      kind: 'sweep',
      sourceKind: 'netflow',
      src: SCANNER,
      at: t(0),
      until: t(3),
      hosts: SWEEP_INSIDE,
      ports: [22],
      outcomes: outcomes({ answered: 1, rejected: 2, unanswered: 11 }),
      answered: ['10.99.0.11:22'],
      severityId: 3,
    }),
    finding({
      kind: 'port-scan',
      sourceKind: 'netflow',
      src: SCANNER,
      at: t(3),
      until: t(5),
      hosts: ['10.99.0.10'],
      ports: [21, 22, 80, 8080],
      outcomes: outcomes({ answered: 1, rejected: 3 }),
      severityId: 3,
    }),
    // firewall.log (denies only)
    finding({
      kind: 'sweep',
      sourceKind: 'firewall',
      src: SCANNER,
      at: t(0),
      until: t(3),
      hosts: SWEEP_BLOCKED,
      ports: [22],
      outcomes: outcomes({ blocked: 17 }),
      severityId: 2,
    }),
    // auth.log
    finding({
      kind: 'brute-force',
      sourceKind: 'sshd',
      src: BRUTE,
      at: t(8),
      until: t(9),
      hosts: ['10.99.0.11'],
      ports: [22],
      service: 'ssh',
      outcomes: outcomes({ answered: 28 }),
      failures: 28,
      successes: 0,
      users: HYDRA_USERS,
      severityId: 3,
    }),
  ];
}

function alert(sid: number, msg: string, count: number, at: number, severityId = 2): AlertSignatureSummary {
  return { sid, msg, count, severityId, firstSeen: t(at), lastSeen: t(at), sourceKinds: ['pcap'] };
}

/** Per-address event summaries: the type summary of each lab address. */
export function labSummaries(): AddressSummary[] {
  return [
    {
      addr: SCANNER,
      firstSeen: t(0),
      lastSeen: t(17),
      targets: ['10.99.0.10', '10.99.0.11'],
      eventsByType: { connection: 60, 'firewall-deny': 22, 'web-access': 30, 'ids-alert': 1 },
      eventsBySourceKind: { pcap: 40, netflow: 21, firewall: 22, weblog: 30 },
      alerts: [alert(2009358, 'ET SCAN Possible Nmap User-Agent Observed', 1, 10)],
    },
    {
      addr: BRUTE,
      firstSeen: t(8),
      lastSeen: t(10),
      targets: ['10.99.0.11'],
      eventsByType: {
        connection: 14,
        'login-failure': 24,
        'invalid-user': 4,
        'ssh-disconnect': 12,
        'ids-alert': 2,
      },
      eventsBySourceKind: { pcap: 9, netflow: 7, sshd: 40 },
      alerts: [
        alert(2006546, 'ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack', 2, 9),
      ],
    },
    {
      addr: WEBBOT,
      firstSeen: t(9.9),
      lastSeen: t(10),
      targets: ['10.99.0.10'],
      eventsByType: { connection: 8, 'web-access': 4, 'ids-alert': 4 },
      eventsBySourceKind: { pcap: 8, netflow: 4, weblog: 4 },
      alerts: [
        alert(2016032, 'ET SCAN JCE Joomla Scanner', 1, 9.9),
        alert(2002664, 'ET SCAN Nessus User Agent', 1, 9.9),
        alert(2018232, 'ET EXPLOIT ZyXEL rom-0 configuration download', 1, 9.9, 3),
        alert(2022263, 'ET WEB_SERVER Joomla RCE serialized PHP in User-Agent', 1, 10, 3),
      ],
    },
    {
      addr: BENIGN,
      firstSeen: t(0),
      lastSeen: t(17),
      targets: ['10.99.0.10', '10.99.0.11', '10.99.0.12'],
      eventsByType: { connection: 6, 'web-access': 2, 'login-success': 1 },
      eventsBySourceKind: { pcap: 4, netflow: 4, weblog: 2, sshd: 1 },
      alerts: [],
    },
  ];
}
