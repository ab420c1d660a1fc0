/**
 * Typed reads from parsed JSON: IDS logs are attacker-influenced, so every
 * field is checked for its type and only own properties are read (a key named
 * `constructor` or `__proto__` is just data).
 */

/** A parsed JSON object (never an array or null). */
export type JsonObject = Record<string, unknown>;

/** Longest text kept from one JSON field; longer values are cut (the line itself is bounded upstream). */
export const maxFieldLength = 8192;

/**
 * Parses one line as a JSON object; a string saying why not otherwise.
 * @example parseJsonObject('{"a":1}') // { a: 1 }
 */
export function parseJsonObject(line: string): JsonObject | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    // SyntaxError for bad JSON, RangeError for pathological nesting: both are the line's fault.
    return e instanceof Error ? e.message : 'not JSON';
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  return v as JsonObject;
}

/** The nested object under `key`, if it is one. */
export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  if (o === undefined || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** The array under `key`, if it is one. */
export function arr(o: JsonObject | undefined, key: string): unknown[] | undefined {
  if (o === undefined || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  return Array.isArray(v) ? v : undefined;
}

/** A string field (cut to maxFieldLength); numbers and booleans are not strings. */
export function str(o: JsonObject | undefined, key: string): string | undefined {
  if (o === undefined || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  if (typeof v !== 'string') return undefined;
  return v.length > maxFieldLength ? v.slice(0, maxFieldLength) : v;
}

/** A string, or a number / boolean shown as text (fields whose type varies across versions). */
export function text(o: JsonObject | undefined, key: string): string | undefined {
  if (o === undefined || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return str(o, key);
}

/**
 * A non-negative safe integer, also from a decimal string (Suricata wrote
 * `"status":"200"` in some versions).
 */
export function int(o: JsonObject | undefined, key: string): number | undefined {
  if (o === undefined || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\d{1,15}$/.test(v)) n = Number(v);
  else return undefined;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A boolean field (also "true"/"false" text). */
export function bool(o: JsonObject | undefined, key: string): boolean | undefined {
  if (o === undefined || !Object.hasOwn(o, key)) return undefined;
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A port number 0..65535. */
export function port(o: JsonObject | undefined, key: string): number | undefined {
  const n = int(o, key);
  return n !== undefined && n <= 65535 ? n : undefined;
}
