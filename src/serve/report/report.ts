/**
 * report.html: one self-contained file an analyst can open or send. Inline
 * CSS and SVG only; no script, no external URL (a Content-Security-Policy
 * forbids both, as a second line behind the escaping). Sections: overview,
 * incidents with who saw and who missed them, alarms with their verdicts and
 * evidence, type summary charts per incident source, the site's coverage.
 */
import { writeFileSync } from 'node:fs';
import type { Alarm, Priority } from '../../schema/alarm.js';
import type { Finding, Incident } from '../../schema/finding.js';
import type { TypeSummaryCell } from '../../store/store.js';
import {
  type IncidentCoverageDetail,
  incidentCoverage,
  isUndecided,
  type SiteCoverage,
  type SiteSources,
  siteCoverage,
} from '../../triage/coverage/index.js';
import { alarmSection } from './alarm-section.js';
import { typeSummaryChart } from './chart.js';
import { html, when } from './html.js';
import { STYLE } from './style.js';

export interface ReportInput {
  run?: { id?: number; command?: string; startedAt?: number; finishedAt?: number; inputs?: string[] };
  incidents: readonly Incident[];
  alarms: readonly Alarm[];
  findings: readonly Finding[];
  /** Type summary cells per incident source (the incident's `src`). */
  typeSummary?: Readonly<Record<string, readonly TypeSummaryCell[]>>;
  /** What the run read: coverage per incident and the site's gaps are computed from it. */
  site?: SiteSources;
  /** Or the site's gaps, already computed. */
  siteCoverage?: SiteCoverage;
  /** When the report was made, epoch seconds (default now). */
  generatedAt?: number;
}

const SEVERITY = ['unknown', 'informational', 'low', 'medium', 'high', 'critical', 'fatal'];
const PRIORITY_RANK: Record<Priority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function tally<T>(xs: readonly T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function tallyText(t: [string, number][]): string {
  return t.map(([k, n]) => `${html(k)} ${n}`).join(', ') || 'none';
}

function overview(input: ReportInput, site: SiteCoverage | undefined): string {
  const r = input.run;
  const rows: string[] = [];
  if (r?.command)
    rows.push(
      `<tr><th>Run</th><td>${r.id !== undefined ? `#${html(r.id)} ` : ''}<code>${html(r.command)}</code></td></tr>`,
    );
  if (r?.startedAt !== undefined)
    rows.push(
      `<tr><th>Started</th><td>${when(r.startedAt)}${r.finishedAt !== undefined ? `, finished ${when(r.finishedAt)}` : ''}</td></tr>`,
    );
  if (r?.inputs?.length)
    rows.push(
      `<tr><th>Inputs</th><td>${r.inputs.map((p) => `<code>${html(p)}</code>`).join('<br>')}</td></tr>`,
    );
  rows.push(
    `<tr><th>Incidents</th><td>${input.incidents.length} (${tallyText(tally(input.incidents, (i) => SEVERITY[i.severityId] ?? String(i.severityId)))})</td></tr>`,
  );
  rows.push(
    `<tr><th>Alarms</th><td>${input.alarms.length}: by priority ${tallyText(tally(input.alarms, (a) => a.priority))}; by disposition ${tallyText(tally(input.alarms, (a) => a.disposition))}</td></tr>`,
  );
  rows.push(
    `<tr><th>Findings</th><td>${input.findings.length} (${tallyText(tally(input.findings, (f) => f.kind))})</td></tr>`,
  );
  if (site) rows.push(`<tr><th>Sources read</th><td>${html(site.present.join(', ') || 'none')}</td></tr>`);
  return `<section id="overview"><h2>Overview</h2><table class="kv">${rows.join('')}</table></section>`;
}

function coverageOf(i: Incident, input: ReportInput): IncidentCoverageDetail {
  if (input.site) return incidentCoverage(i, input.findings, input.site);
  return { sawBy: i.coverage?.sawBy ?? [], missedBy: i.coverage?.missedBy ?? [], notExpected: [] };
}

function incidents(input: ReportInput): string {
  if (input.incidents.length === 0)
    return '<section id="incidents"><h2>Incidents</h2><p class="muted">No incidents.</p></section>';
  const sorted = [...input.incidents].sort((a, b) => b.severityId - a.severityId || a.ts - b.ts);
  const rows = sorted.map((i) => {
    const c = coverageOf(i, input);
    const missed = c.missedBy
      .map((m) => `<li><b>${html(m.sourceKind)}${isUndecided(m) ? '?' : ''}</b>: ${html(m.why)}</li>`)
      .join('');
    const silent = c.notExpected
      .map((m) => `<li>${html(m.sourceKind)} (silence expected): ${html(m.why)}</li>`)
      .join('');
    const own = input.findings.filter((f) => i.findings.includes(f.uid));
    const findings = own.length
      ? `<details><summary>${own.length} finding${own.length === 1 ? '' : 's'}</summary><ul>${own
          .map(
            (f) =>
              `<li><b>${html(f.kind)}</b> <span class="muted">(${html(f.sourceKind)})</span>: ${html(f.explanation)}</li>`,
          )
          .join('')}</ul></details>`
      : '';
    return `<tr id="${html(i.uid)}"><td>${html(SEVERITY[i.severityId] ?? i.severityId)}</td><td>${html(i.src)}</td><td>${html(i.title)}${findings}</td><td>${when(i.ts)}<br>${when(i.lastSeen)}</td><td>${html(i.alerts.count)}</td><td>${html(c.sawBy.join(', ') || '-')}</td><td>${missed || silent ? `<ul>${missed}${silent}</ul>` : '-'}</td></tr>`;
  });
  return `<section id="incidents"><h2>Incidents</h2><table class="grid"><thead><tr><th>severity</th><th>source</th><th>incident</th><th>first / last</th><th>alerts</th><th>seen by</th><th>missed by, and why</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function alarms(input: ReportInput): string {
  if (input.alarms.length === 0)
    return '<section id="alarms"><h2>Alarms</h2><p class="muted">No alarms.</p></section>';
  const sorted = [...input.alarms].sort(
    (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.ts - b.ts,
  );
  return `<section id="alarms"><h2>Alarms</h2>${sorted.map(alarmSection).join('\n')}</section>`;
}

function charts(input: ReportInput): string {
  const bySrc = input.typeSummary ?? {};
  const srcs = Object.keys(bySrc);
  if (srcs.length === 0)
    return '<section id="types"><h2>Type summary</h2><p class="muted">No type summary.</p></section>';
  const figs = srcs.map(
    (src) =>
      `<figure><figcaption>${html(src)}</figcaption>${typeSummaryChart(src, bySrc[src] ?? [])}</figure>`,
  );
  return `<section id="types"><h2>Type summary per source</h2>${figs.join('')}</section>`;
}

function coverage(site: SiteCoverage | undefined): string {
  if (!site)
    return '<section id="coverage"><h2>Coverage</h2><p class="muted">The run did not record what it read.</p></section>';
  const rows = [
    ...site.present.map((k) => `<tr><td>${html(k)}</td><td>read</td><td></td></tr>`),
    ...site.missing.map(
      (m) =>
        `<tr><td>${html(m.sourceKind)}</td><td><b>not read</b></td><td>would show ${html(m.wouldShow)}</td></tr>`,
    ),
  ];
  return `<section id="coverage"><h2>Coverage</h2><table class="grid"><thead><tr><th>source kind</th><th>status</th><th>what it adds</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The whole page as a string.
 *
 * @example renderReport({ incidents, alarms, findings, site }).startsWith('<!doctype html>')
 */
export function renderReport(input: ReportInput): string {
  const site = input.siteCoverage ?? (input.site ? siteCoverage(input.site) : undefined);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Picket report</title><style>${STYLE}</style></head>
<body><header><h1>Picket report</h1><p class="muted">Made ${when(input.generatedAt ?? Date.now() / 1000)}. Text that came from traffic or logs is shown inert; hidden characters appear as <span class="esc">\\xNN</span>.</p>
<nav><a href="#overview">Overview</a> · <a href="#incidents">Incidents</a> · <a href="#alarms">Alarms</a> · <a href="#types">Type summary</a> · <a href="#coverage">Coverage</a></nav></header>
<main>
${overview(input, site)}
${incidents(input)}
${alarms(input)}
${charts(input)}
${coverage(site)}
</main></body></html>
`;
}

/**
 * Writes report.html.
 *
 * @example writeReport(join(outDir, 'report.html'), { incidents, alarms, findings, site, run });
 */
export function writeReport(path: string, input: ReportInput): void {
  writeFileSync(path, renderReport(input));
}
