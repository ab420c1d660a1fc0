/**
 * `picket coverage` in process: a real store on disk holding the lab story's
 * findings, incidents and the runs' SiteSources, driven through Commander.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { buildIncidents } from '../../detect/incident/build.js';
import {
  BRUTE,
  labFindings,
  labSummaries,
  SCANNER,
  WEBBOT,
} from '../../detect/incident/testing/lab-story.js';
import { openSqliteStore } from '../../store/index.js';
import type { SiteSources } from '../../triage/coverage/index.js';
import { labSite, labSiteWith } from '../../triage/coverage/testing/lab-site.js';
import { type CoverageReport, registerCoverageCommand } from './coverage-command.js';
import { CliError, ExitCode } from './exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-cli-coverage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function picket(args: string[]): Promise<string> {
  let text = '';
  const program = new Command().exitOverride();
  registerCoverageCommand(program, (t) => {
    text += t;
  });
  await program.parseAsync(['node', 'picket', ...args]);
  return text;
}

async function storeRun(db: string, site: SiteSources, findings = labFindings(), summaries = labSummaries()) {
  const store = openSqliteStore(db);
  const run = await store.beginRun({ command: 'analyze examples/lab', inputs: [] });
  await store.writeFindings(findings, run);
  await store.writeIncidents(buildIncidents({ findings, addresses: summaries }), run);
  await store.finishRun(run, { flows: 90, siteSources: site });
  await store.close();
  return run;
}

test('picket coverage: a table of who saw each lab incident, the reasons, and the sources read', async () => {
  const db = join(dir, 'lab.db');
  const run = await storeRun(db, labSite());
  const text = await picket(['coverage', '--db', db]);
  assert.match(text, new RegExp(`^Coverage of run ${run} \\(analyze examples/lab\\): 3 incidents`));
  assert.match(
    text,
    /high\s+10\.99\.1\.66\s+Port-22 sweep of 31 hosts \(masscan\), then port scan of 10\.9…\s+firewall netflow pcap weblog\s+-/,
  );
  assert.match(
    text,
    /10\.99\.1\.67 {2}firewall \(silence expected\): this firewall log holds denied traffic only/,
  );
  assert.match(text, /10\.99\.1\.66 {2}sshd \(silence expected\): only half-open probes/);
  assert.match(text, /Sources read: firewall, netflow, pcap, sshd, weblog/);
  assert.match(text, /Not read: none/);
});

test('picket coverage --json: the latest run without an sshd log shows the SSH brute force missed by sshd', async () => {
  const db = join(dir, 'two-runs.db');
  await storeRun(db, labSite());
  const findings = labFindings().filter((f) => f.sourceKind !== 'sshd');
  const summaries = labSummaries().map((s) =>
    s.addr === BRUTE
      ? {
          ...s,
          eventsByType: { connection: 14, 'ids-alert': 2 },
          eventsBySourceKind: { pcap: 9, netflow: 7 },
        }
      : s,
  );
  const second = await storeRun(db, labSiteWith('sshd', 'remove'), findings, summaries);

  const report = JSON.parse(await picket(['coverage', '--db', db, '--json'])) as CoverageReport;
  assert.equal(report.run.id, second);
  assert.equal(report.scope, 'run');
  assert.deepEqual(report.incidents.map((i) => i.src).sort(), [SCANNER, BRUTE, WEBBOT].sort());
  const brute = report.incidents.find((i) => i.src === BRUTE)!;
  assert.deepEqual(brute.sawBy, ['netflow', 'pcap']);
  assert.deepEqual(
    brute.missedBy.map((m) => m.sourceKind),
    ['sshd'],
  );
  assert.match(brute.missedBy[0]!.why, /^no sshd log was read/);
  assert.deepEqual(report.site.present, ['firewall', 'netflow', 'pcap', 'weblog']);
  assert.deepEqual(
    report.site.missing.map((m) => m.sourceKind),
    ['sshd'],
  );

  const all = JSON.parse(await picket(['coverage', '--db', db, '--json', '--all'])) as CoverageReport;
  assert.equal(all.scope, 'all');
  assert.equal(
    all.incidents.filter((i) => i.src === BRUTE).length,
    2,
    'the first run’s brute-force incident (first seen earlier, in auth.log) too',
  );
});

test('picket coverage on a store with no described run, or no store at all, says what to do', async () => {
  const empty = join(dir, 'empty.db');
  await openSqliteStore(empty).close();
  await assert.rejects(picket(['coverage', '--db', empty]), (e: unknown) => {
    return (
      e instanceof CliError &&
      e.code === ExitCode.NO_INPUT &&
      /no stored run describes/.test(e.message) &&
      /picket analyze/.test(e.hint ?? '')
    );
  });
  await assert.rejects(picket(['coverage', '--db', join(dir, 'missing.db')]), (e: unknown) => {
    return e instanceof CliError && e.code === ExitCode.NO_INPUT && /no store at/.test(e.message);
  });
});
