/**
 * Test builders for the authentication detectors: login attempts, contacts
 * and a detector context that collects what is emitted.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding } from '../../schema/finding.js';
import { createProblemLog } from '../../util/problems.js';
import type { AuthAttempt, Contact } from '../core/contact.js';
import type { DetectorContext } from '../core/detector.js';

let seq = 0;

/** One login attempt; a failure for root from 203.0.113.9 on host srv unless told otherwise. */
export function attempt(over: Partial<AuthAttempt> = {}): AuthAttempt {
  seq++;
  return {
    ts: 1_800_000_000,
    src: '203.0.113.9',
    service: 'ssh',
    user: 'root',
    result: 'failure',
    sourceKind: 'sshd',
    format: 'openssh',
    uid: `Lauth${seq}`,
    host: 'srv',
    ...over,
  };
}

/** One established TCP contact to port 22, hydra-sized unless told otherwise. */
export function contact(over: Partial<Contact> = {}): Contact {
  seq++;
  const ts = over.ts ?? 1_800_000_000;
  return {
    ts,
    end: ts + 0.1,
    src: '203.0.113.9',
    dst: '192.0.2.11',
    proto: 'tcp',
    srcPort: 40000 + (seq % 20000),
    dstPort: 22,
    outcome: 'answered',
    established: true,
    origPkts: 16,
    respPkts: 14,
    origBytes: 1459,
    respBytes: 1917,
    service: '',
    sourceKind: 'pcap',
    format: 'pcap',
    uid: `Cflow${seq}`,
    ...over,
  };
}

/** A context whose emitted findings land in `findings`. */
export function collectingContext(
  sourceKind: SourceKind = 'sshd',
  budgetBytes = 16 << 20,
): DetectorContext & { findings: Finding[] } {
  const findings: Finding[] = [];
  return { sourceKind, budgetBytes, problems: createProblemLog(), findings, emit: (f) => findings.push(f) };
}
