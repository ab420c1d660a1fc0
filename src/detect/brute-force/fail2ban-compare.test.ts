/**
 * Comparison with fail2ban on the lab's sshd log: every address that
 * fail2ban's own sshd filter matches at least the sshd jail's maxretry times
 * (as `fail2ban-regex` reports it) must be the source of one of our
 * brute-force findings from the same file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, repoRoot } from '../../../test/support/env.js';
import { normalizeLogRecord } from '../../normalize/index.js';
import { readLogFile } from '../../read/logs.js';
import { createProblemLog } from '../../util/problems.js';
import { authFromEvent } from '../core/from-event.js';
import { bruteForceDetector } from './index.js';
import { collectingContext } from './testing.js';

const authLog = join(repoRoot, 'examples', 'lab', 'auth.log');
const fail2banDir = '/etc/fail2ban';
const filter = join(fail2banDir, 'filter.d', 'sshd.conf');

/** maxretry for the sshd jail: [DEFAULT] of jail.conf, overridden by [sshd] there, in jail.d/ or jail.local. */
function sshdMaxretry(): number {
  let value = Number.NaN;
  const files = [join(fail2banDir, 'jail.conf')];
  const dropIns = join(fail2banDir, 'jail.d');
  if (existsSync(dropIns))
    for (const f of readdirSync(dropIns).sort()) if (f.endsWith('.conf')) files.push(join(dropIns, f));
  files.push(join(fail2banDir, 'jail.local'));
  for (const file of files) {
    if (!existsSync(file)) continue;
    let section = '';
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const head = /^\[([^\]]+)\]/.exec(line);
      if (head) section = head[1]!;
      const m = /^maxretry\s*=\s*(\d+)/.exec(line);
      if (m && (section === 'DEFAULT' || section === 'sshd')) value = Number(m[1]);
    }
  }
  return value;
}

/** Matches per address from `fail2ban-regex -o ip` (one line per failure match). */
function fail2banMatches(): Map<string, number> {
  const r = spawnSync('fail2ban-regex', ['-r', '-o', 'ip', authLog, filter], { encoding: 'utf8' });
  assert.equal(r.status, 0, `fail2ban-regex failed: ${r.stderr}`);
  const counts = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const ip = line.trim();
    if (/^[0-9a-fA-F.:]+$/.test(ip) && ip.includes('.') !== ip.includes(':'))
      counts.set(ip, (counts.get(ip) ?? 0) + 1);
  }
  return counts;
}

const skip =
  needTools('fail2ban-regex') || (existsSync(filter) ? false : `fail2ban's sshd filter not at ${filter}`);

test('every address fail2ban matches at least maxretry times in the lab auth.log is a brute-force source of ours', {
  skip,
}, async (t) => {
  const maxretry = sshdMaxretry();
  assert.ok(Number.isInteger(maxretry) && maxretry > 0, `sshd jail maxretry read (${maxretry})`);
  const matches = fail2banMatches();
  const banned = [...matches].filter(([, n]) => n >= maxretry).map(([ip]) => ip);
  assert.ok(banned.length > 0, `fail2ban flags someone in the lab log (${JSON.stringify([...matches])})`);

  const ctx = collectingContext('sshd');
  const bf = bruteForceDetector.create(bruteForceDetector.config.parse({}), ctx);
  await readLogFile(
    authLog,
    createProblemLog(),
    (r, _reader, lc) => {
      const e = normalizeLogRecord(r, { file: lc.file, line: lc.line });
      const a = e ? authFromEvent(e) : undefined;
      if (a) bf.auth!(a);
    },
    { referenceTime: Date.UTC(2026, 10, 23, 12) / 1000 },
  );
  bf.finish();
  const ours = new Set(ctx.findings.map((f) => f.src));
  t.diagnostic(
    `fail2ban (maxretry ${maxretry}): ${JSON.stringify([...matches])}; ours: ${[...ours].join(', ')}`,
  );
  for (const ip of banned)
    assert.ok(ours.has(ip), `${ip} (${matches.get(ip)} fail2ban matches) is one of ours`);
  // And the other way: we flag nobody fail2ban saw fewer than maxretry failures for.
  for (const ip of ours) assert.ok((matches.get(ip) ?? 0) >= maxretry, `${ip} is flagged by fail2ban too`);
});
