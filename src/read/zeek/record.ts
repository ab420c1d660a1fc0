/** The raw record of the Zeek reader (TSV and JSON logs alike). */
import type { LogRecordBase } from '../syslog/types.js';

export type ZeekScalar = string | number | boolean;
/** A typed Zeek value: sets and vectors become arrays; unset fields are absent. */
export type ZeekValue = ZeekScalar | ZeekScalar[];

export interface ZeekRecord extends LogRecordBase {
  reader: 'zeek';
  format: 'zeek-tsv' | 'zeek-json';
  /** The log stream: 'conn', 'http', 'ssh', 'dns', 'notice', 'weird', any other Zeek path, or 'unknown'. */
  path: string;
  /**
   * Every field by its Zeek name ('id.orig_h', 'conn_state'), typed by the
   * `#types` header (TSV) or as JSON gave it. Null prototype: attacker-chosen
   * JSON keys such as `__proto__` are plain keys here.
   */
  fields: Record<string, ZeekValue>;
}

/** A text field, or undefined when unset or not text. */
export function zeekText(r: ZeekRecord, name: string): string | undefined {
  const v = r.fields[name];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric field (JSON numbers given as text are accepted), or undefined. */
export function zeekNumber(r: ZeekRecord, name: string): number | undefined {
  const v = r.fields[name];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v !== '' && /^[-+]?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** A boolean field (T/F in TSV, true/false in JSON), or undefined. */
export function zeekBool(r: ZeekRecord, name: string): boolean | undefined {
  const v = r.fields[name];
  if (typeof v === 'boolean') return v;
  if (v === 'T') return true;
  if (v === 'F') return false;
  return undefined;
}
