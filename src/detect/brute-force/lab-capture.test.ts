/**
 * Real captures through the real reader, decoder, flow table and
 * contactFromFlow: the lab's hydra run must be inferred from SSH session
 * shape (10.99.1.67 -> 10.99.0.11:22) and the benign SSH login from
 * 10.99.1.80 must give nothing; nDPI's ssh.pcap holds one long interactive
 * session, which is no brute force.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../../../test/support/env.js';
import { createDecoder } from '../../decode/index.js';
import { createFlowTable } from '../../flow/index.js';
import { openCapture } from '../../read/index.js';
import type { Finding } from '../../schema/finding.js';
import { createProblemLog } from '../../util/problems.js';
import { continuousActivityDetector } from '../continuous/index.js';
import type { Contact } from '../core/contact.js';
import { contactFromFlow } from '../core/from-flow.js';
import { bruteForceDetector } from './index.js';
import { collectingContext } from './testing.js';

function captureContacts(file: string): Contact[] {
  const problems = createProblemLog();
  const reader = openCapture(file, problems);
  assert.ok(reader, `opens ${file}`);
  const decoder = createDecoder(problems, { file });
  const contacts: Contact[] = [];
  const table = createFlowTable({
    source: file,
    onFlow: (flow) => contacts.push(contactFromFlow(flow, 'pcap')),
  });
  try {
    for (let frame = reader.next(); frame; frame = reader.next()) table.packet(decoder.decode(frame));
    table.flush();
  } finally {
    reader.close();
  }
  return contacts.sort((a, b) => a.ts - b.ts);
}

function detect(contacts: Contact[]): Finding[] {
  const ctx = collectingContext('pcap');
  const bf = bruteForceDetector.create(bruteForceDetector.config.parse({}), ctx);
  const ca = continuousActivityDetector.create(continuousActivityDetector.config.parse({}), ctx);
  for (const c of contacts) {
    bf.advance(c.ts);
    ca.advance(c.ts);
    bf.contact!(c);
    ca.contact!(c);
  }
  bf.finish();
  ca.finish();
  return ctx.findings;
}

test('lab capture: hydra is inferred from SSH session shape, 10.99.1.67 -> 10.99.0.11:22', () => {
  const contacts = captureContacts(join(repoRoot, 'examples', 'lab', 'capture.pcap'));
  const hydraSessions = contacts.filter((c) => c.src === '10.99.1.67' && c.dstPort === 22 && c.established);
  assert.ok(hydraSessions.length >= 6, `hydra's sessions are in the capture (${hydraSessions.length})`);
  const findings = detect(contacts).filter((f) => f.kind === 'brute-force');
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => [f.src, f.targets.hosts])));
  const f = findings[0]!;
  assert.equal(f.src, '10.99.1.67');
  assert.deepEqual(f.targets.hosts, ['10.99.0.11']);
  assert.deepEqual(f.targets.ports, [22]);
  assert.equal(f.sourceKind, 'pcap');
  assert.equal(f.attrs?.inferred, 'session-shape');
  assert.equal(f.contacts, hydraSessions.length, 'every hydra session had the guessing shape');
  assert.match(f.explanation, /Inferred from session shape, not from logs/);
  assert.ok(f.evidence.uids.every((u) => hydraSessions.some((c) => c.uid === u)));
});

test('lab capture: nothing for the benign SSH login from 10.99.1.80 nor for the scanner', () => {
  const contacts = captureContacts(join(repoRoot, 'examples', 'lab', 'capture.pcap'));
  assert.ok(contacts.some((c) => c.src === '10.99.1.80' && c.dstPort === 22 && c.established));
  const findings = detect(contacts);
  assert.equal(findings.filter((f) => f.src === '10.99.1.80').length, 0);
  // masscan's SYNs to port 22 complete no handshake: a sweep, not a brute force.
  assert.equal(findings.filter((f) => f.src === '10.99.1.66').length, 0);
  assert.equal(
    findings.filter((f) => f.kind === 'continuous-activity').length,
    0,
    'the lab run lasts seconds',
  );
});

const ndpiSsh = sharedData('pcaps/ndpi/ssh.pcap');
test('nDPI ssh.pcap: one long interactive SSH session gives no brute force', { skip: ndpiSsh.skip }, () => {
  const contacts = captureContacts(ndpiSsh.path);
  const ssh = contacts.filter((c) => c.dstPort === 22 && c.established);
  assert.equal(ssh.length, 1, 'one SSH session');
  assert.ok(ssh[0]!.end - ssh[0]!.ts > 60, 'and a long one');
  assert.equal(detect(contacts).length, 0);
});
