/**
 * Real logs: the lab's iptables, sshd and nginx logs and the 10,000-line
 * Apache log read with zero problems, and the events agree with truth.jsonl.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../../test/support/env.js';
import { normalizeLogRecord } from '../normalize/index.js';
import { type Event, eventSchema } from '../schema/event.js';
import { createProblemLog, formatProblem } from '../util/problems.js';
import { readLogFile } from './logs.js';

const lab = join(repoRoot, 'examples', 'lab');
const labTime = Date.UTC(2026, 10, 23, 12) / 1000;

async function readAll(path: string, referenceTime?: number) {
  const problems = createProblemLog();
  const events: Event[] = [];
  let records = 0;
  const summary = await readLogFile(
    path,
    problems,
    (r, _reader, ctx) => {
      records++;
      const e = normalizeLogRecord(r, { file: ctx.file, line: ctx.line });
      if (e) events.push(e);
    },
    referenceTime !== undefined ? { referenceTime } : {},
  );
  return { problems, events, records, summary };
}

interface Truth {
  id: string;
  src: string;
  ts_start: string;
  ts_end: string;
  expect: { users?: string[]; http_status?: number };
}
const truth: Truth[] = readFileSync(join(lab, 'truth.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const action = (id: string) => truth.find((t) => t.id === id)!;

test('lab firewall.log: every line parses; the scanner’s port-22 sweep is firewall denies', async () => {
  const { problems, events, summary } = await readAll(join(lab, 'firewall.log'), labTime);
  assert.equal(problems.total(), 0, problems.samples.map(formatProblem).join('\n'));
  assert.equal(summary.reader, 'firewall');
  assert.equal(events.length, summary.lines);
  for (const e of events) {
    eventSchema.parse(e);
    assert.equal(e.type, 'firewall-deny');
    assert.equal(e.src, action('masscan-sweep-22').src);
  }
  const sweep = action('masscan-sweep-22');
  const t0 = Date.parse(sweep.ts_start) / 1000 - 1;
  const t1 = Date.parse(sweep.ts_end) / 1000 + 1;
  const sweepDsts = new Set(
    events.filter((e) => e.dstPort === 22 && e.ts >= t0 && e.ts <= t1).map((e) => e.dst),
  );
  // Denied for the /28 behind the port-22 rule and for the gateway.
  for (let i = 16; i < 32; i++) assert.ok(sweepDsts.has(`10.99.0.${i}`), `deny for 10.99.0.${i}`);
  assert.ok(sweepDsts.has('10.99.0.1'));
  // nmap's SYN scan of the web host: 23 and 3389 are logged.
  const nmapPorts = new Set(events.filter((e) => e.dst === '10.99.0.10').map((e) => e.dstPort));
  for (const p of [23, 3389]) assert.ok(nmapPorts.has(p), `deny for port ${p}`);
});

test('lab auth.log: every line parses; hydra’s failed logins and invalid users, the benign login succeeds', async () => {
  const { problems, events, summary } = await readAll(join(lab, 'auth.log'), labTime);
  assert.equal(problems.total(), 0, problems.samples.map(formatProblem).join('\n'));
  assert.equal(summary.reader, 'sshd');
  for (const e of events) eventSchema.parse(e);
  const hydra = action('hydra-ssh');
  const failures = events.filter((e) => e.type === 'login-failure');
  assert.ok(failures.length >= hydra.expect.users!.length);
  for (const f of failures) assert.equal(f.src, hydra.src);
  assert.deepEqual(new Set(failures.map((f) => f.user)), new Set(hydra.expect.users));
  const invalid = events.filter((e) => e.type === 'invalid-user').map((e) => e.user);
  assert.deepEqual(invalid, ['admin', 'test', 'ubuntu', 'oracle']);
  const ok = events.filter((e) => e.type === 'login-success');
  assert.equal(ok.length, 1);
  assert.equal(ok[0]!.src, action('benign-ssh-login').src);
  assert.equal(ok[0]!.user, 'labuser');
  // Timestamps land inside the action's window (year inferred from the reference time).
  const t0 = Date.parse(hydra.ts_start) / 1000 - 1;
  const t1 = Date.parse(hydra.ts_end) / 1000 + 1;
  for (const f of failures) assert.ok(f.ts >= t0 && f.ts <= t1, `${f.ts} in [${t0}, ${t1}]`);
});

test('lab access.log and error.log: every line parses; the web bot’s 404 for /rom-0 and its scanner agents', async () => {
  const access = await readAll(join(lab, 'access.log'));
  assert.equal(access.problems.total(), 0, access.problems.samples.map(formatProblem).join('\n'));
  assert.equal(access.summary.reader, 'weblog');
  assert.equal(access.events.length, access.summary.lines);
  for (const e of access.events) eventSchema.parse(e);
  const rom = action('zyxel-rom-0');
  const romHits = access.events.filter((e) => e.http?.uri === '/rom-0');
  assert.equal(romHits.length, 1);
  assert.equal(romHits[0]!.src, rom.src);
  assert.equal(romHits[0]!.http?.status, rom.expect.http_status);
  const joomla = access.events.find((e) => e.http?.userAgent?.startsWith('}__test'));
  assert.ok(joomla, 'the Joomla object-injection agent is decoded');
  assert.ok(joomla.http!.userAgent!.includes('"JDatabaseDriverMysqli"'));
  assert.equal(joomla.src, action('joomla-rce-ua').src);
  assert.ok(
    access.events.some((e) => e.src === action('nessus-ua').src && e.http?.userAgent?.includes('Nessus')),
  );

  const errors = await readAll(join(lab, 'error.log'));
  assert.equal(errors.problems.total(), 0, errors.problems.samples.map(formatProblem).join('\n'));
  const romError = errors.events.find((e) => e.http?.uri === '/rom-0');
  assert.equal(romError?.type, 'web-error');
  assert.equal(romError?.src, rom.src);
});

const apache = sharedData('logs/elastic-examples/apache_logs/apache_logs');
test('elastic-examples apache_logs: all 10,000 lines parse', { skip: apache.skip }, async () => {
  const { problems, events, summary } = await readAll(apache.path);
  const report = problems.samples.map(formatProblem);
  if (report.length) console.log(`apache_logs problems:\n${report.join('\n')}`);
  assert.equal(summary.lines, 10000);
  assert.equal(problems.total(), 0);
  assert.equal(events.length, 10000);
  for (const e of events.slice(0, 200)) eventSchema.parse(e);
  // uids are unique and stable across a re-read.
  assert.equal(new Set(events.map((e) => e.uid)).size, events.length);
  const again = await readAll(apache.path);
  assert.deepEqual(
    again.events.map((e) => e.uid),
    events.map((e) => e.uid),
  );
});
