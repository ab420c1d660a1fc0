import type { Command } from 'commander';
import { DEFAULT_STORE_PATH, openStore } from '../../store/index.js';
import type { EventFilter, TypeSummaryCell } from '../../store/store.js';
import { CliError, ExitCode } from './exit-codes.js';

/** Most bucket columns a terminal table shows; the JSON output has every cell. */
const MAX_COLUMNS = 8;

/**
 * `picket summary`: counts per event type and source over time for an
 * address, across every log and capture stored: the view an analyst starts
 * from when asking "what did this address do here, and who saw it".
 */
export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .description('type summary: events per type and source over time for an address, across every source')
    .option('--src <addr>', 'events coming from this address')
    .option('--dst <addr>', 'events going to this address')
    .option('--host <addr>', 'events from or to this address')
    .option('--since <time>', 'ISO 8601 time or epoch seconds', parseTime)
    .option('--until <time>', 'ISO 8601 time or epoch seconds (exclusive)', parseTime)
    .option('--bucket <span>', 'time bucket, e.g. 30s, 15m, 1h, 1d', parseSpan, 3600)
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .option('--json', 'every cell as JSON')
    .action(async (o) => {
      const filter: EventFilter = { src: o.src, dst: o.dst, host: o.host, since: o.since, until: o.until };
      let store: Awaited<ReturnType<typeof openStore>>;
      try {
        store = await openStore(o.db);
      } catch (e) {
        throw new CliError(
          `cannot open the store ${o.db}: ${(e as Error).message}`,
          ExitCode.STORE,
          'run `picket analyze` first, or give --db',
        );
      }
      try {
        const cells = await store.typeSummary(filter, o.bucket);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ filter, bucketSeconds: o.bucket, cells })}\n`);
          return;
        }
        const who = o.src ?? o.dst ?? o.host ?? 'every address';
        process.stdout.write(`${formatTypeSummary(cells, o.bucket, `Type summary for ${who}`)}\n`);
      } finally {
        await store.close();
      }
    });
}

/** Rows per (type, source), columns per bucket (the latest ones when there are many), and a total. */
export function formatTypeSummary(cells: TypeSummaryCell[], bucketSeconds: number, title: string): string {
  if (cells.length === 0) return `${title}: no events or connections stored`;
  const buckets = [...new Set(cells.map((c) => c.bucket))].sort((a, b) => a - b);
  const shown = buckets.slice(-MAX_COLUMNS);
  const rows = new Map<
    string,
    { type: string; source: string; byBucket: Map<number, number>; total: number }
  >();
  for (const c of cells) {
    const key = `${c.type}\u0000${c.sourceKind}`;
    let r = rows.get(key);
    if (!r) {
      r = { type: c.type, source: c.sourceKind, byBucket: new Map(), total: 0 };
      rows.set(key, r);
    }
    r.byBucket.set(c.bucket, c.count);
    r.total += c.count;
  }
  const label = (t: number) =>
    new Date(t * 1000)
      .toISOString()
      .replace('T', ' ')
      .slice(0, bucketSeconds < 60 ? 19 : 16);
  const head = ['type', 'source', ...shown.map(label), 'total'];
  const body = [...rows.values()]
    .sort((a, b) => b.total - a.total || a.type.localeCompare(b.type))
    .map((r) => [r.type, r.source, ...shown.map((b) => String(r.byBucket.get(b) ?? '')), String(r.total)]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const note =
    buckets.length > shown.length
      ? `\n(${buckets.length - shown.length} earlier buckets are in the totals; --json lists them)`
      : '';
  return `${title} (per ${spanText(bucketSeconds)}, UTC)\n${all.map(line).join('\n')}${note}`;
}

function parseTime(v: string): number {
  const n = Number(v);
  if (v.trim() !== '' && Number.isFinite(n)) return n;
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new CliError(
      `not a time: ${v}`,
      ExitCode.USAGE,
      'use ISO 8601 (2026-11-23T10:00Z) or epoch seconds',
    );
  return t / 1000;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function parseSpan(v: string): number {
  const m = /^(\d+)([smhd])$/.exec(v.trim());
  if (!m || Number(m[1]) === 0)
    throw new CliError(`not a time span: ${v}`, ExitCode.USAGE, 'use e.g. 30s, 15m, 1h or 1d');
  return Number(m[1]) * UNITS[m[2]!]!;
}

function spanText(s: number): string {
  for (const [u, n] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s % n === 0) return `${s / n}${u}`;
  }
  return `${s}s`;
}
