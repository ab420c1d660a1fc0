/**
 * Test support for the scan detectors: contacts built field by field, a
 * detector run that collects findings, and contacts from real captures
 * (flows through the real reader, decoder and flow table, ARP through
 * createArpContacts). Not a test itself; imported by the *.test.ts files.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { normalizeLogRecord } from '../../normalize/index.js';
import { firewallReader } from '../../read/firewall/index.js';
import { defaultLineContext, isProblem } from '../../read/syslog/types.js';
import type { SourceKind } from '../../schema/event.js';
import type { Finding, ScannerLabel } from '../../schema/finding.js';
import { createProblemLog } from '../../util/problems.js';
import type { Contact } from '../core/contact.js';
import type { Detector, DetectorStats } from '../core/detector.js';
import { createArpContacts } from '../core/from-arp.js';
import { contactFromEvent } from '../core/from-event.js';
import { contactFromFlow } from '../core/from-flow.js';
import { captureFlows } from '../testing/flows.js';

let seq = 0;

/** A probe contact with scan-like defaults (unanswered TCP SYN); override what the test is about. */
export function probe(o: Partial<Contact> & Pick<Contact, 'src' | 'dst'>): Contact {
  seq++;
  return {
    ts: 1_800_000_000,
    end: o.ts ?? 1_800_000_000,
    proto: 'tcp',
    srcPort: 40000,
    dstPort: 80,
    outcome: 'unanswered',
    established: false,
    flagClass: o.proto === undefined || o.proto === 'tcp' ? 'syn' : undefined,
    origPkts: 1,
    respPkts: 0,
    origBytes: 0,
    respBytes: 0,
    service: '',
    sourceKind: 'pcap',
    format: 'pcap',
    uid: `C${seq}`,
    ...o,
  };
}

export interface RunResult {
  findings: Finding[];
  stats: DetectorStats;
}

/** Runs one detector over contacts (in the given order) with config overrides, then finish(). */
export function runDetector<C>(
  det: Detector<C>,
  contacts: Iterable<Contact>,
  opts: {
    config?: Record<string, unknown>;
    budgetBytes?: number;
    sourceKind?: SourceKind;
    scannerLabel?: (a: string) => ScannerLabel | undefined;
  } = {},
): RunResult {
  const findings: Finding[] = [];
  const inst = det.create(det.config.parse(opts.config ?? {}), {
    sourceKind: opts.sourceKind ?? 'pcap',
    budgetBytes: opts.budgetBytes ?? 64 << 20,
    problems: createProblemLog(),
    emit: (f) => findings.push(f),
    scannerLabel: opts.scannerLabel,
  });
  for (const c of contacts) inst.contact?.(c);
  inst.finish();
  return { findings, stats: inst.stats() };
}

const cache = new Map<string, Contact[]>();

/** Every contact of a capture: its flows through contactFromFlow, plus ARP requests, in time order. */
export function captureContacts(path: string): Contact[] {
  let out = cache.get(path);
  if (out) return out;
  const contacts: Contact[] = [];
  const arp = createArpContacts({ holdSeconds: 3, file: path, onContact: (c) => contacts.push(c) });
  for (const f of captureFlows(path, { packet: (p) => arp.packet(p) }))
    contacts.push(contactFromFlow(f, 'pcap'));
  arp.finish();
  out = contacts.sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : 1));
  cache.set(path, out);
  return out;
}

/** Contacts of iptables LOG lines through the real firewall reader, normalizer and contactFromEvent. */
export function firewallContacts(lines: readonly string[]): Contact[] {
  const ctx = defaultLineContext({ file: 'firewall.log', referenceTime: 1795950000 });
  const out: Contact[] = [];
  lines.forEach((line, i) => {
    const r = firewallReader.parseLine(line, ctx);
    if (!r || isProblem(r)) throw new Error(`firewall reader did not parse: ${line}`);
    const e = normalizeLogRecord(r, { file: 'firewall.log', line: i + 1 });
    const c = e && contactFromEvent(e);
    if (c) out.push(c);
  });
  return out;
}

/** Contacts of a firewall log file. */
export function firewallFileContacts(path: string): Contact[] {
  return firewallContacts(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== ''),
  );
}

/** Distinct values of a tshark field over the packets matching a display filter (for counting targets independently). */
export function tsharkDistinct(path: string, filter: string, field: string): Set<string> {
  const r = spawnSync('tshark', ['-r', path, '-Y', filter, '-T', 'fields', '-e', field], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`tshark failed on ${path}: ${r.stderr}`);
  return new Set(r.stdout.split('\n').filter((l) => l.trim() !== ''));
}
