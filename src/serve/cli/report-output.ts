/**
 * `analyze -o DIR` also writes DIR/report.html: the run's incidents, alarms,
 * findings, type summaries and coverage, read back from the store (or from
 * the JSONL files the run wrote, when it kept no store: then without alarms).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyzeSummary } from '../../pipeline/analyze.js';
import type { Alarm } from '../../schema/alarm.js';
import type { Finding, Incident } from '../../schema/finding.js';
import type { Store, TypeSummaryCell } from '../../store/store.js';
import type { SiteSources } from '../../triage/coverage/index.js';
import { writeReport } from '../report/report.js';

/** Incidents whose type summary is charted (the most severe first). */
const CHARTED = 20;
const ROWS = 100_000;

function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/**
 * @example
 * const path = await writeRunReport('out', summary, store, 'analyze examples/lab');
 */
export async function writeRunReport(
  outDir: string,
  summary: AnalyzeSummary,
  store: Store | undefined,
  command: string,
): Promise<string> {
  const path = join(outDir, 'report.html');
  let findings: Finding[];
  let incidents: Incident[];
  let alarms: Alarm[] = [];
  let site: SiteSources | undefined;
  const typeSummary: Record<string, TypeSummaryCell[]> = {};
  if (store && summary.runId !== undefined) {
    const runId = summary.runId;
    [findings, incidents, alarms] = await Promise.all([
      store.queryFindings({ runId, limit: ROWS }),
      store.queryIncidents({ runId, limit: ROWS }),
      store.queryAlarms({ runId, limit: ROWS }),
    ]);
    const run = (await store.runs({ limit: 50 })).find((r) => r.id === runId);
    site = run?.summary?.siteSources as SiteSources | undefined;
    const charted = [...incidents]
      .sort((a, b) => b.severityId - a.severityId || a.ts - b.ts)
      .slice(0, CHARTED);
    for (const i of charted) {
      const span = Math.max(1, i.lastSeen - i.ts);
      // About 24 bars across the incident's span, at least a minute each.
      const bucket = Math.max(60, Math.ceil(span / 24 / 60) * 60);
      typeSummary[i.src] = await store.typeSummary({ host: i.src }, bucket);
    }
  } else {
    findings = readJsonl<Finding>(join(outDir, 'findings.jsonl'));
    incidents = readJsonl<Incident>(join(outDir, 'incidents.jsonl'));
  }
  writeReport(path, {
    run: {
      ...(summary.runId !== undefined ? { id: summary.runId } : {}),
      command,
      inputs: summary.inputs.map((i) => i.path),
    },
    incidents,
    alarms,
    findings,
    typeSummary,
    ...(site ? { site } : {}),
  });
  return path;
}
