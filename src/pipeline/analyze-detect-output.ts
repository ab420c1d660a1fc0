/**
 * Where the detection stage's results go: findings.jsonl and incidents.jsonl
 * in the output folder, the store, and the run summary's counts.
 */
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import type { AnalyzeSummary } from './analyze.js';
import type { AnalysisDetectionResult } from './analyze-detect.js';
import { createJsonlWriter } from './jsonl-writer.js';

/**
 * @example
 * await writeDetection(detection.finish(), { summary, store, runId, outDir: 'out' });
 */
export async function writeDetection(
  result: AnalysisDetectionResult,
  to: { summary: AnalyzeSummary; store?: Store; runId?: number; outDir?: string },
): Promise<AnalysisDetectionResult> {
  const { summary } = to;
  summary.findings = result.findings.length;
  for (const f of result.findings) summary.findingsByKind[f.kind] = (summary.findingsByKind[f.kind] ?? 0) + 1;
  summary.incidents = result.incidents.length;
  summary.coverage = result.siteCoverage;
  summary.topIncidents = [...result.incidents]
    .sort((a, b) => b.severityId - a.severityId || a.ts - b.ts)
    .slice(0, 10)
    .map((i) => ({
      uid: i.uid,
      src: i.src,
      title: i.title,
      severityId: i.severityId,
      sawBy: i.coverage.sawBy,
      // Undecided cases ("unknown: …") are not claimed misses.
      missedBy: i.coverage.missedBy.filter((m) => !m.why.startsWith('unknown:')).map((m) => m.sourceKind),
    }));
  if (to.outDir) {
    const findingsOut = createJsonlWriter(join(to.outDir, 'findings.jsonl'));
    for (const f of result.findings) findingsOut.write(f);
    findingsOut.close();
    const incidentsOut = createJsonlWriter(join(to.outDir, 'incidents.jsonl'));
    for (const i of result.incidents) incidentsOut.write(i);
    incidentsOut.close();
    summary.outputs.findings = join(to.outDir, 'findings.jsonl');
    summary.outputs.incidents = join(to.outDir, 'incidents.jsonl');
  }
  if (to.store) {
    await to.store.writeFindings(result.findings, to.runId);
    await to.store.writeIncidents(result.incidents, to.runId);
  }
  return result;
}
