/**
 * Zeek's JSON form (`LogAscii::use_json`): one object per line, dotted keys
 * (`id.orig_h`), `ts` as epoch seconds, epoch milliseconds (`JSON::TS_MILLIS`)
 * or an ISO 8601 string (`JSON::TS_ISO8601`). Nested objects are flattened
 * with dots, so `{"id":{"orig_h":…}}` reads the same.
 */
import type { Problem } from '../../schema/problem.js';
import { parseAddress } from '../../util/ip.js';
import { type LineContext, lineProblem } from '../syslog/types.js';
import { pathFromFields } from './layouts.js';
import type { ZeekRecord, ZeekScalar, ZeekValue } from './record.js';

const maxDepth = 4;

function flatten(into: Record<string, ZeekValue>, prefix: string, v: unknown, depth: number): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    into[prefix] = v;
  } else if (Array.isArray(v)) {
    const arr: ZeekScalar[] = [];
    for (const x of v) {
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') arr.push(x);
      else if (x !== null) arr.push(JSON.stringify(x));
    }
    into[prefix] = arr;
  } else if (typeof v === 'object') {
    if (depth >= maxDepth) {
      into[prefix] = JSON.stringify(v);
      return;
    }
    for (const k of Object.keys(v))
      flatten(into, `${prefix}.${k}`, (v as Record<string, unknown>)[k], depth + 1);
  }
}

const isoRe = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * Seconds since the epoch from an ISO 8601 time, keeping microseconds
 * (Date.parse stops at milliseconds); undefined when it is no such time.
 *
 * @example isoSeconds('2024-01-02T03:04:05.123456Z') // 1704164645.123456
 */
export function isoSeconds(s: string): number | undefined {
  const m = isoRe.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (!Number.isFinite(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) {
    return undefined;
  }
  let off = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    off = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return ms / 1000 - off + (frac ? Number(`0${frac}`) : 0);
}

/** Past this a numeric ts is taken as milliseconds (1e11 s is the year 5138). */
const millisThreshold = 1e11;

function timeOf(v: ZeekValue | undefined): number | undefined {
  if (typeof v === 'number')
    return Number.isFinite(v) ? (Math.abs(v) >= millisThreshold ? v / 1000 : v) : undefined;
  if (typeof v === 'string') return /^\d+(\.\d+)?$/.test(v) ? Number(v) : isoSeconds(v);
  return undefined;
}

function badField(ctx: LineContext, name: string, v: ZeekValue, want: string): Problem {
  return lineProblem(
    ctx,
    'zeek.bad-value',
    `${name} is not ${want}: ${JSON.stringify(v).slice(0, 60)}; skipped`,
  );
}

/**
 * One JSON line as a record, or a problem naming what is wrong.
 *
 * @example zeekJsonLine('{"ts":1.5,"uid":"C1","id.orig_h":"10.0.0.1",…}', undefined, ctx)?.fields['id.orig_h']
 */
export function zeekJsonLine(
  line: string,
  filePath: string | undefined,
  ctx: LineContext,
): ZeekRecord | Problem {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    return lineProblem(
      ctx,
      'zeek.bad-json',
      `not valid JSON (${(e as Error).message.slice(0, 80)}); skipped`,
    );
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return lineProblem(ctx, 'zeek.bad-json', 'JSON line is not an object; skipped');
  }
  const fields: Record<string, ZeekValue> = Object.create(null);
  for (const k of Object.keys(obj)) flatten(fields, k, (obj as Record<string, unknown>)[k], 1);
  const ts = timeOf(fields.ts);
  if (ts === undefined) {
    return lineProblem(
      ctx,
      'zeek.no-time',
      fields.ts === undefined
        ? 'the object has no ts; skipped'
        : `ts is neither epoch seconds nor an ISO 8601 time: ${JSON.stringify(fields.ts).slice(0, 40)}; skipped`,
    );
  }
  for (const h of ['id.orig_h', 'id.resp_h']) {
    const v = fields[h];
    if (v !== undefined && (typeof v !== 'string' || parseAddress(v) === undefined)) {
      return badField(ctx, h, v, 'an address');
    }
  }
  for (const p of ['id.orig_p', 'id.resp_p']) {
    const v = fields[p];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535)) {
      return badField(ctx, p, v, 'a port number');
    }
  }
  const named = fields._path;
  const path =
    typeof named === 'string' && named !== ''
      ? named
      : (filePath ?? pathFromFields((f) => fields[f] !== undefined));
  return { reader: 'zeek', format: 'zeek-json', ts, raw: line, path, fields };
}
