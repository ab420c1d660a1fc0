/**
 * The project's own lab capture (examples/lab, truth in truth.jsonl) through
 * every scan detector: what the scanner did is found, with the numbers the
 * packets show, and the benign host and the web bot raise nothing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, repoRoot } from '../../../test/support/env.js';
import type { Finding } from '../../schema/finding.js';
import type { Detector } from '../core/detector.js';
import { discoveryDetector } from '../discovery/index.js';
import { distributedDetector } from '../distributed/index.js';
import { flagScanDetector } from '../flag-scan/index.js';
import { sweepDetector } from '../sweep/index.js';
import { udpScanDetector } from '../udp-scan/index.js';
import { portScanDetector } from './index.js';
import { captureContacts, firewallFileContacts, runDetector, tsharkDistinct } from './test-support.js';

const capture = join(repoRoot, 'examples/lab/capture.pcap');
const scanner = '10.99.1.66';
// biome-ignore lint/suspicious/noExplicitAny: detectors of different config types.
const all: Detector<any>[] = [
  sweepDetector,
  portScanDetector,
  discoveryDetector,
  udpScanDetector,
  flagScanDetector,
  distributedDetector,
];

function findingsOf(contacts = captureContacts(capture)): Finding[] {
  return all.flatMap((d) => runDetector(d, contacts).findings);
}

test('lab capture: masscan port-22 sweep from 10.99.1.66, answered by 10.99.0.11 only', {
  skip: needTools('tshark'),
}, () => {
  const hosts = tsharkDistinct(
    capture,
    `ip.src==${scanner} && tcp.dstport==22 && tcp.flags.syn==1 && tcp.flags.ack==0`,
    'ip.dst',
  );
  const sweeps = findingsOf().filter((f) => f.kind === 'sweep');
  assert.equal(sweeps.length, 1);
  const f = sweeps[0]!;
  assert.equal(f.src, scanner);
  assert.deepEqual(f.targets.ports, [22]);
  assert.equal(f.targets.hostCount, hosts.size);
  assert.deepEqual(f.answered, ['10.99.0.11:22']);
  assert.ok(f.outcomes.unanswered > 0 && f.outcomes.rejected > 0, JSON.stringify(f.outcomes));
});

test('lab capture: nmap -sS port scan of 10.99.0.10 with the ports the capture saw, port 80 open', {
  skip: needTools('tshark'),
}, () => {
  const ports = tsharkDistinct(
    capture,
    `ip.src==${scanner} && ip.dst==10.99.0.10 && tcp.flags.syn==1 && tcp.flags.ack==0`,
    'tcp.dstport',
  );
  const scans = findingsOf().filter((f) => f.kind === 'port-scan' || f.kind === 'block-scan');
  assert.equal(scans.length, 1);
  const f = scans[0]!;
  assert.equal(f.kind, 'port-scan');
  assert.equal(f.src, scanner);
  assert.deepEqual(f.targets.hosts, ['10.99.0.10']);
  assert.equal(f.targets.portCount, ports.size);
  assert.deepEqual([...f.targets.ports].sort(), [...ports].map(Number).sort());
  assert.deepEqual(f.answered, ['10.99.0.10:80']);
});

test('lab capture: hping3 NULL, FIN and Xmas probes from 10.99.1.66 are three flag scans; port 81 closed, 80 silent', () => {
  const flags = findingsOf().filter((f) => f.kind === 'flag-scan');
  assert.deepEqual(flags.map((f) => f.attrs?.flagClass).sort(), ['fin', 'null', 'xmas']);
  for (const f of flags) {
    assert.equal(f.src, scanner);
    assert.deepEqual(f.targets.hosts, ['10.99.0.10']);
    assert.deepEqual([...f.targets.ports].sort(), [80, 81]);
    assert.equal(f.outcomes.rejected, 1, 'closed port 81 answers RST');
    assert.equal(f.outcomes.unanswered, 1, 'open port 80 stays silent');
    assert.match(f.explanation, /10\.99\.0\.10:80/);
  }
});

test("lab capture: nothing names the benign host 10.99.1.80 or the web bot 10.99.1.68, and all findings are the scanner's", () => {
  const found = findingsOf();
  assert.ok(found.length >= 5);
  assert.deepEqual(
    found.filter((f) => f.src !== scanner).map((f) => `${f.kind} ${f.src}`),
    [],
  );
});

test('lab firewall log: the blocked part of the sweep and of the nmap scan, from the firewall alone', () => {
  const contacts = firewallFileContacts(join(repoRoot, 'examples/lab/firewall.log'));
  assert.ok(contacts.length > 0 && contacts.every((c) => c.outcome === 'blocked'));
  const found = all.flatMap((d) => runDetector(d, contacts, { sourceKind: 'firewall' }).findings);
  const sweep = found.find((f) => f.kind === 'sweep');
  const dark = new Set(contacts.filter((c) => c.dstPort === 22).map((c) => c.dst));
  assert.equal(sweep?.src, scanner);
  assert.equal(sweep?.targets.hostCount, dark.size);
  assert.equal(sweep?.outcomes.blocked, sweep?.contacts);
  assert.equal(sweep?.severityId, 1);
  assert.ok(found.every((f) => f.src === scanner && f.sourceKind === 'firewall'));
});
