import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Incident } from '../../schema/finding.js';
import { DEFAULT_STORE_PATH, openStore } from '../../store/index.js';
import type { RunRecord, Store } from '../../store/store.js';
import {
  type IncidentCoverageDetail,
  incidentCoverage,
  isUndecided,
  type SiteCoverage,
  type SiteSources,
  siteCoverage,
} from '../../triage/coverage/index.js';
import { CliError, ExitCode } from './exit-codes.js';

/** Runs looked at when searching for the latest one that stored its SiteSources. */
const RUNS_SEARCHED = 50;
const SEVERITY = ['unknown', 'informational', 'low', 'medium', 'high', 'critical', 'fatal'];

export interface CoverageReport {
  run: { id: number; command: string; startedAt: number };
  /** 'run': incidents the run wrote; 'span': incidents overlapping the run's time (none carried its id); 'all'. */
  scope: 'run' | 'span' | 'all';
  incidents: (Pick<Incident, 'uid' | 'src' | 'title' | 'severityId' | 'ts' | 'lastSeen'> &
    IncidentCoverageDetail)[];
  site: SiteCoverage;
}

/**
 * `picket coverage`: per incident, which log sources saw it and which that
 * should have did not, and why; then the kinds of source the site does not
 * collect. The run's SiteSources come from its summary (`siteSources`).
 */
export function registerCoverageCommand(
  program: Command,
  out: (text: string) => void = (t) => process.stdout.write(t),
): void {
  program
    .command('coverage')
    .description('which sources saw each incident, which missed it and why, and the site-level gaps')
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .option('--all', 'every stored incident, not only the latest run’s')
    .option('--json', 'the report as JSON')
    .action(async (o: { db: string; all?: boolean; json?: boolean }) => {
      if (!/^[a-z]+:/i.test(o.db) && !existsSync(o.db))
        throw new CliError(
          `no store at ${o.db}`,
          ExitCode.NO_INPUT,
          'run `picket analyze` first, or give --db',
        );
      let store: Store;
      try {
        store = await openStore(o.db);
      } catch (e) {
        throw new CliError(
          `cannot open the store ${o.db}: ${(e as Error).message}`,
          ExitCode.STORE,
          'give --db',
        );
      }
      try {
        const report = await coverageReport(store, o.all === true);
        out(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCoverage(report)}\n`);
      } finally {
        await store.close();
      }
    });
}

/** The latest run that stored its SiteSources, its incidents and their coverage. */
export async function coverageReport(store: Store, all: boolean): Promise<CoverageReport> {
  const run = (await store.runs({ limit: RUNS_SEARCHED })).find((r) => siteOf(r) !== undefined);
  if (!run) {
    throw new CliError(
      'no stored run describes the sources it read',
      ExitCode.NO_INPUT,
      'run `picket analyze` on your captures and logs first; coverage compares incidents with what each run read',
    );
  }
  const site = siteOf(run)!;
  let scope: CoverageReport['scope'] = all ? 'all' : 'run';
  let incidents = await store.queryIncidents(
    all ? { limit: 1_000_000 } : { runId: run.id, limit: 1_000_000 },
  );
  if (!all && incidents.length === 0) {
    const spans = site.sources.flatMap((s) => (s.span ? [s.span] : []));
    if (spans.length > 0) {
      scope = 'span';
      incidents = await store.queryIncidents({
        since: Math.min(...spans.map((s) => s.first)),
        until: Math.max(...spans.map((s) => s.last)) + 1,
        limit: 1_000_000,
      });
    }
  }
  const rows: CoverageReport['incidents'] = [];
  for (const i of incidents.sort((a, b) => b.severityId - a.severityId || a.ts - b.ts)) {
    const findings = await store.queryFindings({ src: i.src, limit: 1_000_000 });
    const c = incidentCoverage(i, findings, site);
    rows.push({
      uid: i.uid,
      src: i.src,
      title: i.title,
      severityId: i.severityId,
      ts: i.ts,
      lastSeen: i.lastSeen,
      ...c,
    });
  }
  return {
    run: { id: run.id, command: run.command, startedAt: run.startedAt },
    scope,
    incidents: rows,
    site: siteCoverage(site),
  };
}

function siteOf(run: RunRecord): SiteSources | undefined {
  const s = run.summary?.siteSources as SiteSources | undefined;
  return s && Array.isArray(s.sources) ? s : undefined;
}

/** A table of incidents (who saw, who missed), the reasons under it, then the site's gaps. */
export function formatCoverage(r: CoverageReport): string {
  const lines: string[] = [];
  const scope = r.scope === 'all' ? 'all stored incidents' : `run ${r.run.id} (${r.run.command})`;
  lines.push(`Coverage of ${scope}: ${r.incidents.length} incident${r.incidents.length === 1 ? '' : 's'}`);
  if (r.scope === 'span')
    lines.push('(no incident carries this run’s id; showing those within its time span)');
  if (r.incidents.length > 0) {
    const head = ['severity', 'source', 'incident', 'seen by', 'missed by'];
    const body = r.incidents.map((i) => [
      SEVERITY[i.severityId] ?? String(i.severityId),
      i.src,
      cut(i.title, 60),
      i.sawBy.join(' ') || '-',
      i.missedBy.map((m) => (isUndecided(m) ? `${m.sourceKind}?` : m.sourceKind)).join(' ') || '-',
    ]);
    lines.push('', ...table([head, ...body]));
    const why: string[] = [];
    for (const i of r.incidents) {
      for (const m of i.missedBy)
        why.push(`  ${i.src}  ${m.sourceKind}${isUndecided(m) ? '?' : ''}: ${m.why}`);
      for (const n of i.notExpected) why.push(`  ${i.src}  ${n.sourceKind} (silence expected): ${n.why}`);
    }
    if (why.length) lines.push('', 'Why:', ...why);
    if (r.incidents.some((i) => i.missedBy.some(isUndecided)))
      lines.push('', '("kind?" = the rules could not tell whether that source should have seen it)');
  }
  lines.push('', `Sources read: ${r.site.present.join(', ') || 'none'}`);
  if (r.site.missing.length === 0) lines.push('Not read: none of the usual kinds is missing');
  else {
    lines.push('Not read:');
    for (const m of r.site.missing) lines.push(`  ${m.sourceKind}: would show ${m.wouldShow}`);
  }
  return lines.join('\n');
}

function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
