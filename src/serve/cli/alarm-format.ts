/**
 * Alarms on a terminal: the list as a table, and one alarm's full story in
 * the order the seed's analyst works (connection, rule, response, relevance,
 * what to do, then the conclusion). Every string that came from traffic,
 * logs or rules passes through terminalSafe; numbers and Picket's own words
 * do not need to.
 */
import type { Alarm, EvidenceRef, MatchedBytes, Priority } from '../../schema/alarm.js';
import { terminalSafe } from '../../util/escape.js';

const PRIORITY_RANK: Record<Priority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Highest priority first, then earliest. */
export function byPriority(a: Alarm, b: Alarm): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.ts - b.ts || (a.uid < b.uid ? -1 : 1);
}

const safe = (s: string | undefined) => terminalSafe(s ?? '');

function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function hostPort(addr: string, port?: number): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * @example formatAlarmTable(alarms) // "priority  disposition  count  source → target  uid  title\n…"
 */
export function formatAlarmTable(alarms: readonly Alarm[]): string {
  const head = ['priority', 'disposition', 'count', 'source → target', 'uid', 'title'];
  const body = [...alarms]
    .sort(byPriority)
    .map((a) => [
      a.priority,
      a.disposition,
      String(a.count),
      `${safe(a.src)} → ${safe(hostPort(a.dst, a.dstPort))}`,
      a.uid,
      cut(safe(a.title), 70),
    ]);
  const lines = table([head, ...body]);
  lines.push(
    '',
    `${alarms.length} alarm${alarms.length === 1 ? '' : 's'}; the story of one: picket alarm UID`,
  );
  return lines.join('\n');
}

function time(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts * 1000).toISOString().replace('.000Z', 'Z') : String(ts);
}

function evidenceLines(refs: readonly EvidenceRef[], indent: string): string[] {
  return refs.map(
    (e) =>
      `${indent}- ${e.kind} ${safe(e.ref)}${e.sourceKind ? ` (${e.sourceKind})` : ''}${e.note ? `: ${safe(e.note)}` : ''}`,
  );
}

/**
 * Triage's excerpts are already escaped to printable ASCII (with \xNN for
 * the rest, the backslash included): those are shown as they are. Any other
 * excerpt goes through terminalSafe as a whole.
 */
const ALREADY_INERT = /^[\x20-\x7e…]*$/;

/** The excerpt with the matched span between ⟦ ⟧ and a caret line under it. */
export function markSpan(m: MatchedBytes): string[] {
  const start = Math.max(0, Math.min(m.start, m.excerpt.length));
  const end = Math.max(start, Math.min(m.end, m.excerpt.length));
  const show = ALREADY_INERT.test(m.excerpt) ? (x: string) => x : safe;
  const before = show(m.excerpt.slice(0, start));
  const span = show(m.excerpt.slice(start, end));
  const after = show(m.excerpt.slice(end));
  const label = `${safe(m.buffer)}: `;
  return [
    `${label}${before}⟦${span}⟧${after}`,
    `${' '.repeat(label.length + before.length + 1)}${'^'.repeat(Math.max(1, span.length))}`,
  ];
}

function n(x: number | undefined): string {
  return x === undefined ? '?' : x.toLocaleString('en');
}

/**
 * @example formatAlarmStory(alarm).split('\n')[0] // "Alarm A… [low] failed-attempt"
 */
export function formatAlarmStory(a: Alarm): string {
  const out: string[] = [];
  const c = a.connection;
  const r = a.rule;
  const s = a.response;
  const v = a.relevance;
  out.push(`Alarm ${a.uid}  [${a.priority}] ${a.disposition}`);
  out.push(safe(a.title));
  out.push(
    `${safe(a.src)} → ${safe(hostPort(a.dst, a.dstPort))}${a.proto ? `/${safe(a.proto)}` : ''}, ` +
      `${a.count} alert${a.count === 1 ? '' : 's'} (${a.alertSources.join(', ') || 'unknown source'}), ` +
      `${time(a.ts)} … ${time(a.lastSeen)}${a.incident ? `, incident ${safe(a.incident)}` : ''}`,
  );

  out.push('', '1. The connection');
  out.push(`   established ${c.established}, data exchanged ${c.dataExchanged}, blocked ${c.blocked}`);
  if (c.packetsToServer !== undefined || c.packetsToClient !== undefined)
    out.push(
      `   ${n(c.packetsToServer)} packets (${n(c.bytesToServer)} B) to the server, ${n(c.packetsToClient)} packets (${n(c.bytesToClient)} B) back`,
    );
  out.push(`   ${safe(c.summary)}`);
  out.push(...evidenceLines(c.evidence, '   '));

  out.push('', '2. The rule');
  const ids = [r.sid !== undefined ? `sid ${r.sid}` : '', r.rev !== undefined ? `rev ${r.rev}` : '']
    .filter(Boolean)
    .join(' ');
  out.push(
    `   ${ids ? `${ids}: ` : ''}${safe(r.msg)} (${safe(r.family)}${r.classtype ? `, ${safe(r.classtype)}` : ''})`,
  );
  if (r.explanation) for (const line of r.explanation.split('\n')) out.push(`   ${safe(line)}`);
  if (r.matched.length) {
    out.push('   matched:');
    for (const m of r.matched) out.push(...markSpan(m).map((l) => `     ${l}`));
  }
  if (r.references.length) {
    out.push('   references:');
    for (const ref of r.references)
      out.push(`     - ${safe(ref.type)} ${safe(ref.value)}${ref.url ? `: ${safe(ref.url)}` : ''}`);
  }
  out.push(...evidenceLines(r.evidence, '   '));

  out.push('', '3. The response');
  const h = s.http;
  const loginPart = s.loginSucceeded !== undefined ? `, login succeeded ${s.loginSucceeded}` : '';
  out.push(
    `   answered ${s.answered}, attempt failed ${s.attemptFailed}${loginPart} (read from: ${safe(s.basis)})`,
  );
  if (h) {
    const parts = [
      h.status !== undefined ? `status ${h.status}` : '',
      h.server ? `server ${safe(h.server)}` : '',
      h.contentType ? safe(h.contentType) : '',
      h.bodyBytes !== undefined ? `${n(h.bodyBytes)} bytes` : '',
    ].filter(Boolean);
    if (parts.length) out.push(`   ${parts.join(', ')}`);
  }
  out.push(`   ${safe(s.meaning)}`);
  out.push(...evidenceLines(s.evidence, '   '));

  out.push('', '4. Relevance');
  out.push(`   applicable ${v.applicable}`);
  const claims = (list: Alarm['relevance']['targets']) =>
    list
      .map(
        (p) =>
          `${safe(p.product)}${p.version ? ` ${safe(p.version)}` : ''}${p.versions ? ` ${safe(p.versions)}` : ''} (${safe(p.source)})`,
      )
      .join(', ') || 'nothing known';
  out.push(`   the rule targets: ${claims(v.targets)}`);
  out.push(`   the target runs: ${claims(v.asset)}`);
  out.push(`   ${safe(v.reason)}`);
  out.push(...evidenceLines(v.evidence, '   '));

  out.push('', '5. What to do');
  if (a.actions.length === 0) out.push('   (no recommendation recorded)');
  for (const act of a.actions) {
    out.push(`   - ${act.kind}: ${safe(act.reason)}`);
    for (const sn of act.snippets) {
      out.push(`     [${safe(sn.format)}]`);
      // A snippet is many lines; each line is escaped on its own so its layout survives.
      for (const line of sn.text.split('\n')) out.push(`       ${safe(line)}`);
    }
  }

  out.push('', `Conclusion: ${safe(a.conclusion)}`);
  return out.join('\n');
}
