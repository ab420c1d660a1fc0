import type Database from 'better-sqlite3';
import type { EventFilter, FlowFilter } from '../store.js';

/** One WHERE term per filter field; the order is fixed so equal filter shapes give equal SQL. */
const terms: readonly [keyof FlowFilter, string, number][] = [
  ['src', 'orig_h = ?', 1],
  ['dst', 'resp_h = ?', 1],
  ['host', '(orig_h = ? OR resp_h = ?)', 2],
  ['port', 'resp_p = ?', 1],
  ['proto', 'proto = ?', 1],
  ['since', 'ts >= ?', 1],
  ['until', 'ts < ?', 1],
  ['connState', 'conn_state = ?', 1],
];

const eventTerms: readonly [keyof EventFilter, string, number][] = [
  ['src', 'src = ?', 1],
  ['dst', 'dst = ?', 1],
  ['host', '(src = ? OR dst = ?)', 2],
  ['type', 'type = ?', 1],
  ['sourceKind', 'source_kind = ?', 1],
  ['since', 'ts >= ?', 1],
  ['until', 'ts < ?', 1],
];

/** The WHERE clause (with leading space, or '') and its parameters for an event filter. */
export function eventWhere(q: EventFilter | undefined): { shape: string; sql: string; params: unknown[] } {
  return where(eventTerms, q);
}

/** The WHERE clause (with leading space, or '') and its parameters for a flow filter. */
export function flowWhere(q: FlowFilter | undefined): { shape: string; sql: string; params: unknown[] } {
  return where(terms, q);
}

function where<F>(
  termList: readonly [keyof F, string, number][],
  q: F | undefined,
): { shape: string; sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  let shape = '';
  for (const [field, sql, uses] of termList) {
    const v = q?.[field];
    if (v === undefined) continue;
    shape += `${String(field)},`;
    parts.push(sql);
    for (let i = 0; i < uses; i++) params.push(v);
  }
  return { shape, sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * Prepares each distinct query shape once and reuses it: the filters an
 * analyst combines are few, so the cache stays small (it is bounded anyway).
 */
export function statementCache(db: Database.Database, max = 256) {
  const cache = new Map<string, Database.Statement>();
  return (key: string, sql: () => string): Database.Statement => {
    let st = cache.get(key);
    if (!st) {
      if (cache.size >= max) cache.clear();
      st = db.prepare(sql());
      cache.set(key, st);
    }
    return st;
  };
}
