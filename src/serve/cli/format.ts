import type { AnalyzeSummary } from '../../pipeline/analyze.js';
import type { FlowRecord } from '../../schema/flow.js';
import { terminalSafe } from '../../util/escape.js';
import { formatProblem } from '../../util/problems.js';

const n = (x: number) => x.toLocaleString('en');

/** The short human summary `picket analyze` prints. Input-derived text is escaped. */
export function formatAnalyzeSummary(s: AnalyzeSummary): string {
  const out: string[] = [];
  const secs = s.elapsedMs / 1000;
  const captures = s.inputs.filter((i) => i.format === 'pcap' || i.format === 'pcapng');
  const scans = s.inputs.filter((i) => i.format === 'nmap-xml');
  const logs = s.inputs.filter((i) => !captures.includes(i) && !scans.includes(i));
  const what = [
    captures.length ? `${n(captures.length)} capture${captures.length === 1 ? '' : 's'}` : '',
    logs.length ? `${n(logs.length)} log${logs.length === 1 ? '' : 's'}` : '',
    scans.length ? `${n(scans.length)} Nmap scan${scans.length === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  out.push(
    `Analyzed ${what || 'nothing'}: ${n(s.packets)} packets, ${(s.bytes / 1e6).toFixed(1)} MB of captures` +
      (s.events ? `, ${n(s.events)} log events` : '') +
      ` in ${secs.toFixed(2)} s` +
      (secs > 0 && s.packets ? ` (${n(Math.round(s.packets / secs))} packets/s)` : ''),
  );
  for (const i of s.inputs) {
    const detail =
      i.assets !== undefined
        ? `Nmap XML, ${n(i.assets)} ${i.assets === 1 ? 'host' : 'hosts'}`
        : i.lines !== undefined
          ? i.format.startsWith('netflow:')
            ? `NetFlow (${i.format === 'netflow:nfcapd' ? 'nfcapd file' : 'nfdump CSV'}), ${n(i.lines)} records, ${n(i.events ?? 0)} events`
            : `${i.format.replace(/^log:/, '')} log, ${n(i.lines)} lines, ${n(i.events ?? 0)} events`
          : i.format.startsWith('netflow:')
            ? `NetFlow (${i.format.slice('netflow:'.length)}), ${n(i.events ?? 0)} flow records as events`
            : `${i.format}, ${n(i.packets)} packets, ${n(i.flows)} ${i.flows === 1 ? 'flow' : 'flows'}`;
    out.push(`  ${terminalSafe(i.path)}  ${detail}`);
  }
  out.push('');
  out.push(
    `Flows: ${n(s.flows)}  (${
      Object.entries(s.flowsByProto)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', ') || 'none'
    })`,
  );
  const states = Object.entries(s.flowsByState).sort((a, b) => b[1] - a[1]);
  if (states.length) {
    out.push(`  by state: ${states.map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
    out.push(
      '  (S0 attempt unanswered, REJ rejected, SF complete, S1 established and open, OTH no handshake seen)',
    );
  }
  out.push(`Sessions: ${n(s.http)} HTTP transactions, ${n(s.ssh)} SSH connections with banners`);
  if (s.assets)
    out.push(
      `Assets: ${n(s.assets)} host${s.assets === 1 ? '' : 's'} from Nmap XML (services, versions, OS guesses)`,
    );
  const types = Object.entries(s.eventsByType).sort((x, y) => y[1] - x[1]);
  if (types.length) out.push(`Log events by type: ${types.map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
  if (s.rules) {
    out.push('');
    out.push(`Rule alerts: ${n(s.alerts)} from ${n(s.rules.loaded)} rules (${s.rules.source})`);
    const sigs = Object.entries(s.alertsBySignature).sort((x, y) => y[1] - x[1]);
    for (const [sig, count] of sigs.slice(0, 15)) out.push(`  ${n(count).padStart(7)}  ${terminalSafe(sig)}`);
    if (sigs.length > 15) out.push(`  … ${sigs.length - 15} more signatures (see eve.json with -o DIR)`);
    if (s.rules.regexBounded) out.push(`  ${n(s.rules.regexBounded)} regex runs stopped by their time bound`);
    if (s.rules.rejected)
      out.push(
        `  ${n(s.rules.rejected)} enabled rules rejected at load: \`picket rules check\` with the same --rules/--var shows why`,
      );
  }
  if (s.findings || s.incidents) {
    out.push('');
    const kinds = Object.entries(s.findingsByKind).sort((x, y) => y[1] - x[1]);
    out.push(
      `Findings: ${n(s.findings)} (${kinds.map(([k, v]) => `${k} ${n(v)}`).join(', ')}); incidents: ${n(s.incidents)}`,
    );
    for (const i of s.topIncidents) {
      const missed = i.missedBy.length ? `; missed by ${i.missedBy.join(', ')}` : '';
      out.push(`  [${severityWord(i.severityId)}] ${terminalSafe(i.src)}: ${terminalSafe(i.title)}`);
      out.push(`      seen by ${i.sawBy.join(', ') || 'nothing'}${missed}`);
    }
    if (s.incidents > s.topIncidents.length)
      out.push(
        `  … ${n(s.incidents - s.topIncidents.length)} more (incidents.jsonl with -o DIR, or \`picket coverage\`)`,
      );
  }
  if (s.triage && (s.triage.alarms || s.triage.skipped !== 'no alerts')) {
    out.push('');
    const t = s.triage;
    if (t.skipped) out.push(`Alarms: not triaged: ${t.skipped}`);
    else {
      const by = Object.entries(t.byDisposition).sort((x, y) => y[1] - x[1]);
      out.push(`Alarms: ${n(t.alarms)} (${by.map(([k, v]) => `${k} ${n(v)}`).join(', ')})`);
      for (const a of t.top)
        out.push(
          `  [${a.priority}] ${a.disposition.padEnd(19)} ${terminalSafe(a.src)} → ${terminalSafe(a.dst)}  ${terminalSafe(a.title)}${a.count > 1 ? ` (×${n(a.count)})` : ''}`,
        );
      out.push("  `picket alarms` lists them; `picket alarm ID` tells one alarm's story step by step");
    }
  }
  if (s.coverage?.missing.length) {
    out.push(
      `Evidence this run lacks: ${s.coverage.missing.map((m) => m.sourceKind).join(', ')} (see \`picket coverage\`)`,
    );
  }
  if (s.topTalkers.length) {
    out.push('');
    out.push('Top talkers (originators by connections):');
    const w = Math.max(...s.topTalkers.map((t) => t.addr.length));
    for (const t of s.topTalkers) {
      out.push(
        `  ${t.addr.padEnd(w)}  ${n(t.flows).padStart(9)} ${t.flows === 1 ? 'flow ' : 'flows'}  ${(t.bytes / 1e3).toFixed(1).padStart(10)} kB`,
      );
    }
  }
  const r = s.reassembly;
  if (r.outOfOrder || r.retransmissions || r.overlaps || r.gaps || r.truncatedBytes) {
    out.push('');
    out.push(
      `TCP reassembly: ${n(r.outOfOrder)} out-of-order, ${n(r.retransmissions)} retransmitted, ${n(r.overlaps)} overlapping (${n(r.inconsistentOverlaps)} with different bytes), ${n(r.gaps)} gaps (${n(r.gapBytes)} bytes missing), ${n(r.truncatedBytes)} bytes over buffer bounds`,
    );
  }
  if (s.unrecognised.length || s.problems.total) {
    out.push('');
    out.push('Skipped:');
    for (const u of s.unrecognised) out.push(`  ${terminalSafe(u.path)}: ${u.reason}`);
    for (const [code, count] of Object.entries(s.problems.byCode)) out.push(`  ${n(count)} × ${code}`);
    const shown = s.problems.samples.slice(0, 5);
    for (const p of shown) out.push(`    e.g. ${terminalSafe(formatProblem(p))}`);
  }
  if (Object.keys(s.outputs).length || s.runId !== undefined) {
    out.push('');
    for (const [k, v] of Object.entries(s.outputs)) out.push(`Wrote ${k}: ${terminalSafe(v)}`);
    if (s.runId !== undefined) out.push(`Stored as run ${s.runId}.`);
  }
  return out.join('\n');
}

/** A compact table of flows, Zeek column names. */
export function formatFlowTable(flows: FlowRecord[]): string {
  const rows = flows.map((f) => [
    new Date(f.ts * 1000).toISOString().replace('T', ' ').slice(0, 23),
    f.uid,
    `${f.origH}:${f.origP}`,
    `${f.respH}:${f.respP}`,
    f.proto,
    f.service || '-',
    f.connState || '-',
    f.history || '-',
    `${f.origPkts}/${f.respPkts}`,
    `${f.origBytes}/${f.respBytes}`,
  ]);
  const head = ['ts', 'uid', 'orig', 'resp', 'proto', 'service', 'state', 'history', 'pkts o/r', 'bytes o/r'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) =>
      r
        .map((c, i) => terminalSafe(c).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function severityWord(id: number): string {
  return ['unknown', 'info', 'low', 'medium', 'high', 'critical', 'fatal'][id] ?? String(id);
}
