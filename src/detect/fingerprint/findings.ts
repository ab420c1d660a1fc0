/**
 * 'tool-use' findings: one per source and tool (name + variant), carrying the
 * tool match, the counts, the targets and the evidence uids.
 *
 * Severity (OCSF id): 2 low for reconnaissance tools (port scanners, banner
 * grabbers, host discovery); 3 medium for tools built to attack (brute
 * forcers, injection and vulnerability scanners, exploit bots); 1
 * informational when the match is low-confidence or the source is a listed
 * research scanner. How far the tool got is for the behaviour findings.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding, ScannerLabel, ToolMatch } from '../../schema/finding.js';
import { emptyOutcomes, findingUid } from '../core/finding-util.js';
import type { ToolSighting } from './types.js';

/** Tools built to attack rather than to map: brute forcers, injection/vulnerability scanners, exploit bots. */
const ATTACK_TOOLS = new Set([
  'hydra',
  'medusa',
  'ssh-bruteforcer',
  'sqlmap',
  'nikto',
  'nessus',
  'openvas',
  'acunetix',
  'netsparker',
  'arachni',
  'w3af',
  'skipfish',
  'wapiti',
  'wpscan',
  'nuclei',
  'jce-bot',
  'zmeu',
  'dirbuster',
  'gobuster',
  'ffuf',
  'wfuzz',
  'sipvicious',
]);

export interface ToolFindingOptions {
  /** Research-scanner label of an address (scanner lists), lowers severity and is attached. */
  scannerLabel?(addr: string): ScannerLabel | undefined;
  /** Time for plain ToolMatch entries that carry none (epoch seconds; default 0). */
  ts?: number;
}

/**
 * @example
 * toolFindings(fp.tools(), 'pcap')[0] // { kind: 'tool-use', detector: 'fingerprint', src: '10.99.1.66', tool: { name: 'masscan', ... }, ... }
 */
export function toolFindings(
  tools: ReadonlyMap<string, readonly (ToolMatch | ToolSighting)[]>,
  sourceKind: SourceKind,
  opts: ToolFindingOptions = {},
): Finding[] {
  const out: Finding[] = [];
  for (const [src, list] of tools) {
    const scanner = opts.scannerLabel?.(src);
    for (const m of list) out.push(toolFinding(src, m, sourceKind, scanner, opts.ts ?? 0));
  }
  out.sort((a, b) => a.ts - b.ts || a.src.localeCompare(b.src) || a.uid.localeCompare(b.uid));
  return out;
}

function isSighting(m: ToolMatch | ToolSighting): m is ToolSighting {
  return typeof (m as ToolSighting).count === 'number';
}

function toolFinding(
  src: string,
  m: ToolMatch | ToolSighting,
  sourceKind: SourceKind,
  scanner: ScannerLabel | undefined,
  fallbackTs: number,
): Finding {
  const s = isSighting(m) ? m : undefined;
  const count = s?.count ?? 1;
  const ts = s?.ts ?? fallbackTs;
  const tool: ToolMatch = {
    name: m.name,
    ...(m.variant ? { variant: m.variant } : {}),
    confidence: m.confidence,
    evidence: m.evidence,
  };
  const outcomes = emptyOutcomes();
  // A fingerprint says who sent, not how the target answered.
  outcomes.unknown = count;
  const label = m.variant ? `${m.name} (${m.variant})` : m.name;
  const noun = nounFor(s?.proto);
  const targets = s
    ? `; ${s.hostCount} target host${s.hostCount === 1 ? '' : 's'}${s.portCount ? `, ${s.portCount} port${s.portCount === 1 ? '' : 's'}` : ''}`
    : '';
  const finding: Finding = {
    uid: findingUid(['fingerprint', sourceKind, src, m.name, m.variant ?? '', ts]),
    kind: 'tool-use',
    detector: 'fingerprint',
    sourceKind,
    src,
    ts,
    lastSeen: s?.lastSeen ?? ts,
    targets: {
      hosts: s?.hosts.slice(0, 32) ?? [],
      hostCount: s?.hostCount ?? 0,
      ports: s?.ports.slice(0, 64) ?? [],
      portCount: s?.portCount ?? 0,
      proto: s?.proto === 'http' || s?.proto === 'ssh' ? 'tcp' : (s?.proto ?? 'mixed'),
      ...(s?.proto === 'http' || s?.proto === 'ssh' ? { service: s.proto } : {}),
    },
    contacts: count,
    outcomes,
    tool,
    severityId: severity(m, scanner),
    explanation:
      `${label} identified with ${m.confidence} confidence from ${count} ${noun}${targets}. ` +
      (s?.windows && s.windows > 1 ? `In the strongest of ${s.windows} activity windows: ` : '') +
      m.evidence +
      (scanner ? `. Listed as a research scanner of ${scanner.organisation} (${scanner.list})` : ''),
    evidence: { uids: s?.uids.slice(0, 20) ?? [], files: s?.files.slice(0, 20) ?? [] },
  };
  if (scanner) finding.scanner = scanner;
  return finding;
}

function nounFor(proto: string | undefined): string {
  if (proto === 'http') return 'HTTP request(s)';
  if (proto === 'ssh') return 'SSH connection(s)';
  if (proto === 'tcp' || proto === 'udp' || proto === 'icmp') return `${proto.toUpperCase()} probe packet(s)`;
  return 'observation(s)';
}

function severity(m: ToolMatch, scanner: ScannerLabel | undefined): number {
  if (scanner || m.confidence === 'low') return 1;
  return ATTACK_TOOLS.has(m.name) ? 3 : 2;
}
