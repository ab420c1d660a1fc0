/**
 * Real data: the lab's NetFlow (nfdump CSV of softflowd's export of the same
 * run) through the nfdump reader, normalizer and the NetFlow pairer. NetFlow
 * counts IP bytes (headers included), so the session-shape bounds must still
 * hold: hydra's sessions from 10.99.1.67 are inferred as brute force, the
 * benign login from 10.99.1.80 is not.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { netflowToEvent } from '../../normalize/netflow.js';
import { parseNfdumpCsv } from '../../read/netflow/nfdump-csv.js';
import { createProblemLog } from '../../util/problems.js';
import type { Contact } from '../core/contact.js';
import { createNetflowPairer } from '../core/netflow-pair.js';
import { bruteForceDetector } from './index.js';
import { collectingContext } from './testing.js';

function netflowContacts(): Contact[] {
  const problems = createProblemLog();
  const out: Contact[] = [];
  const pairer = createNetflowPairer({ holdSeconds: 60, maxHeld: 10_000, onContact: (c) => out.push(c) });
  parseNfdumpCsv(
    readFileSync(join(repoRoot, 'examples/lab-nfdump/flows.csv'), 'utf8'),
    (r) => {
      const e = netflowToEvent(r, { file: 'flows.csv' });
      if (e) pairer.add(e);
    },
    (p) => problems.add(p),
    { file: 'flows.csv' },
  );
  pairer.finish();
  assert.equal(problems.total(), 0);
  return out.sort((a, b) => a.ts - b.ts);
}

test('lab NetFlow: hydra inferred from session shape (10.99.1.67 -> 10.99.0.11:22), nothing for 10.99.1.80', () => {
  const contacts = netflowContacts();
  const hydra = contacts.filter((c) => c.src === '10.99.1.67' && c.dstPort === 22 && c.established);
  assert.ok(hydra.length >= 6, `hydra's sessions paired (${hydra.length})`);
  const ctx = collectingContext('netflow');
  const bf = bruteForceDetector.create(bruteForceDetector.config.parse({}), ctx);
  for (const c of contacts) {
    bf.advance(c.ts);
    bf.contact!(c);
  }
  bf.finish();
  assert.equal(ctx.findings.length, 1, JSON.stringify(ctx.findings.map((f) => f.src)));
  const f = ctx.findings[0]!;
  assert.equal(f.src, '10.99.1.67');
  assert.deepEqual(f.targets.hosts, ['10.99.0.11']);
  assert.equal(f.sourceKind, 'netflow');
  assert.equal(f.attrs?.inferred, 'session-shape');
  assert.equal(f.contacts, hydra.length);
});
