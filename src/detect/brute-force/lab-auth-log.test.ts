/**
 * Real data: the lab's sshd log (examples/lab/auth.log) through the real sshd
 * reader, normalizer and authFromEvent into the brute-force, password-spray
 * and continuous-activity detectors. hydra from 10.99.1.67 must be one brute
 * force against lab-ssh naming the users hydra tried, with no success; the
 * benign login from 10.99.1.80 must give nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HYDRA_USERS } from '../../../test/lab/scenarios.js';
import { repoRoot } from '../../../test/support/env.js';
import { normalizeLogRecord } from '../../normalize/index.js';
import { readLogFile } from '../../read/logs.js';
import type { Finding } from '../../schema/finding.js';
import { createProblemLog } from '../../util/problems.js';
import { continuousActivityDetector } from '../continuous/index.js';
import type { AuthAttempt } from '../core/contact.js';
import type { Detector } from '../core/detector.js';
import { authFromEvent } from '../core/from-event.js';
import { bruteForceDetector, passwordSprayDetector } from './index.js';
import { collectingContext } from './testing.js';

const authLog = join(repoRoot, 'examples', 'lab', 'auth.log');
const labTime = Date.UTC(2026, 10, 23, 12) / 1000;

async function labAttempts(): Promise<AuthAttempt[]> {
  const problems = createProblemLog();
  const out: AuthAttempt[] = [];
  await readLogFile(
    authLog,
    problems,
    (r, _reader, ctx) => {
      const e = normalizeLogRecord(r, { file: ctx.file, line: ctx.line });
      const a = e ? authFromEvent(e) : undefined;
      if (a) out.push(a);
    },
    { referenceTime: labTime },
  );
  assert.equal(problems.counts.size, 0, 'the lab log reads without problems');
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: detectors of different config types.
function runDetector(d: Detector<any>, attempts: AuthAttempt[]): Finding[] {
  const ctx = collectingContext('sshd');
  const inst = d.create(d.config.parse({}), ctx);
  for (const a of attempts) {
    inst.advance(a.ts);
    inst.auth?.(a);
  }
  inst.finish();
  return ctx.findings;
}

test('lab auth.log: one brute force from 10.99.1.67 against lab-ssh with the users hydra tried and no success', async () => {
  const attempts = await labAttempts();
  const findings = runDetector(bruteForceDetector, attempts);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.src)));
  const f = findings[0]!;
  assert.equal(f.kind, 'brute-force');
  assert.equal(f.sourceKind, 'sshd');
  assert.equal(f.src, '10.99.1.67');
  assert.deepEqual(f.targets.hosts, ['lab-ssh']);
  assert.equal(f.targets.service, 'ssh');
  assert.deepEqual([...f.targets.users!].sort(), [...HYDRA_USERS].sort());
  assert.equal(f.targets.userCount, HYDRA_USERS.length);
  assert.equal(f.successes, 0);
  assert.equal(f.severityId, 3);
  assert.equal(f.attrs?.variant, 'fast');
  // Between hydra's real tries (one "Failed password" line each) and all failure lines with the
  // "Invalid user" notices (which the sshd mapping reports as attempts of their own).
  const text = readFileSync(authLog, 'utf8');
  const failedLines = (text.match(/Failed password for .* from 10\.99\.1\.67 /g) ?? []).length;
  const noticeLines = (text.match(/Invalid user \S+ from 10\.99\.1\.67 /g) ?? []).length;
  assert.ok(failedLines > 0 && noticeLines > 0);
  assert.ok(
    f.failures! >= failedLines && f.failures! <= failedLines + noticeLines,
    `failures ${f.failures} within [${failedLines}, ${failedLines + noticeLines}]`,
  );
  assert.match(f.explanation, /No successful login/);
  assert.ok(f.evidence.uids.length > 0 && f.evidence.files[0] === authLog);
});

test('lab auth.log: nothing for the benign login from 10.99.1.80, and no spray or continuous activity', async () => {
  const attempts = await labAttempts();
  assert.ok(
    attempts.some((a) => a.src === '10.99.1.80' && a.result === 'success'),
    'the benign login is in the log',
  );
  const all = [
    ...runDetector(bruteForceDetector, attempts),
    ...runDetector(passwordSprayDetector, attempts),
    ...runDetector(continuousActivityDetector, attempts),
  ];
  assert.equal(all.filter((f) => f.src === '10.99.1.80').length, 0);
  assert.equal(all.filter((f) => f.kind === 'password-spray').length, 0, 'six users is no spray');
  assert.equal(all.filter((f) => f.kind === 'continuous-activity').length, 0, 'one second of activity');
});
