import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import type { ToolMatch } from '../../schema/finding.js';
import { createAppFingerprinter } from './app.js';
import { toolFindings } from './findings.js';
import { fingerprintCapture, sessionsOfCapture } from './testing/captures.js';

const capture = join(repoRoot, 'examples', 'lab', 'capture.pcap');

test('lab capture: one tool-use finding per source and tool, with counts, targets and evidence', () => {
  const fp = fingerprintCapture(capture);
  const findings = toolFindings(fp.tools(), 'pcap');
  const keys = findings.map((f) => `${f.src} ${f.tool?.name}/${f.tool?.variant}`).sort();
  assert.deepEqual(keys, ['10.99.1.66 hping3/flags', '10.99.1.66 masscan/syn', '10.99.1.66 nmap/syn']);
  for (const f of findings) {
    assert.equal(f.kind, 'tool-use');
    assert.equal(f.detector, 'fingerprint');
    assert.equal(f.sourceKind, 'pcap');
    assert.ok(f.ts > 1.7e9 && f.lastSeen >= f.ts);
    assert.equal(f.outcomes.unknown, f.contacts);
    assert.deepEqual(f.evidence.files, [capture]);
    assert.match(f.explanation, /identified with high confidence from \d+ TCP probe packet/);
  }
  const masscan = findings.find((f) => f.tool?.name === 'masscan')!;
  assert.equal(masscan.severityId, 2, 'a port scanner is reconnaissance: low');
  assert.ok(masscan.targets.hosts.includes('10.99.0.11'));
  // Deterministic uids: the same input gives the same findings.
  assert.deepEqual(
    toolFindings(fingerprintCapture(capture).tools(), 'pcap').map((f) => f.uid),
    findings.map((f) => f.uid),
  );
});

test('attack tools are medium, low-confidence matches and research scanners informational', () => {
  const { http, ssh } = sessionsOfCapture(capture);
  const app = createAppFingerprinter();
  for (const tx of http) app.http(tx);
  for (const b of ssh) app.ssh(b);
  const findings = toolFindings(app.tools(), 'pcap');
  const by = (name: string) => findings.find((f) => f.tool?.name === name)!;
  assert.equal(by('nessus').severityId, 3);
  assert.equal(by('jce-bot').severityId, 3);
  assert.equal(by('nmap').severityId, 2);
  assert.equal(by('hydra').severityId, 1, 'a libssh banner alone is low confidence');
  assert.equal(by('hydra').targets.service, 'ssh');
  assert.ok(by('nessus').evidence.uids.length === 1);
  const labelled = toolFindings(app.tools(), 'pcap', {
    scannerLabel: (a) => (a === '10.99.1.68' ? { organisation: 'Censys', list: 'censys_v4.txt' } : undefined),
  });
  const nessus = labelled.find((f) => f.tool?.name === 'nessus')!;
  assert.equal(nessus.severityId, 1);
  assert.equal(nessus.scanner?.organisation, 'Censys');
  assert.match(nessus.explanation, /research scanner of Censys/);
});

test('plain ToolMatch lists (no counts) still give findings', () => {
  const m: ToolMatch = { name: 'sqlmap', confidence: 'high', evidence: 'User-Agent "sqlmap/1.7"' };
  const [f] = toolFindings(new Map([['203.0.113.5', [m]]]), 'weblog', { ts: 1795950740 });
  assert.equal(f?.contacts, 1);
  assert.equal(f?.ts, 1795950740);
  assert.equal(f?.severityId, 3);
  assert.equal(f?.targets.proto, 'mixed');
});
