/**
 * Reads a small YAML configuration (the catalogue, the inventory) and checks
 * it against a zod schema, reporting every problem with its line, so a user
 * who mistyped a field name is told where. Unknown fields are errors.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** Bounds on a configuration file: it is small, and may be anyone's. */
const MAX_TEXT = 4 * 1024 * 1024;

export interface ConfigError {
  /** 1-based line, when the problem has a place. */
  line?: number;
  message: string;
}

export type ConfigResult<T> =
  | { ok: true; value: T; lineAt(path: readonly (string | number)[]): number | undefined }
  | { ok: false; errors: ConfigError[] };

/**
 * @example
 * const r = parseYamlConfig(text, schema);
 * if (!r.ok) console.error(r.errors.map((e) => `inventory.yaml:${e.line}: ${e.message}`));
 */
export function parseYamlConfig<S extends z.ZodType>(text: string, schema: S): ConfigResult<z.infer<S>> {
  if (text.length > MAX_TEXT)
    return { ok: false, errors: [{ message: `longer than ${MAX_TEXT} characters` }] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : lines.linePos(offset).line;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors
        .slice(0, 20)
        .map((e) => ({ line: lineOf(e.pos[0]), message: e.message.split('\n')[0]! })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [{ message: (e as Error).message }] };
  }
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) {
    const lineAt = (path: readonly (string | number)[]) => {
      const node = doc.getIn(path, true);
      return isNode(node) ? lineOf(node.range?.[0]) : undefined;
    };
    return { ok: true, value: parsed.data, lineAt };
  }
  const errors = parsed.error.issues.slice(0, 50).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // Point at the unknown key itself when there is one, else at the deepest node that exists.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    let line: number | undefined;
    for (const k of keys) line ??= keyLine(doc, path, k, lineOf);
    for (let n = path.length; line === undefined && n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node)) line = lineOf(node.range?.[0]);
    }
    const where = path.length ? `${path.join('.')}: ` : '';
    const what = keys.length
      ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`
      : issue.message;
    return { line, message: `${where}${what}` };
  });
  return { ok: false, errors };
}

function keyLine(
  doc: ReturnType<typeof parseDocument>,
  path: (string | number)[],
  key: string,
  lineOf: (o: number | undefined) => number | undefined,
): number | undefined {
  const map = path.length ? doc.getIn(path, true) : doc.contents;
  const items = (map as { items?: { key?: unknown }[] } | null)?.items;
  for (const pair of items ?? []) {
    const k = pair.key;
    if (isNode(k) && (k as { value?: unknown }).value === key) return lineOf(k.range?.[0]);
  }
  return undefined;
}

/** `file:line: message` lines for an error report. */
export function formatConfigErrors(file: string, errors: readonly ConfigError[]): string {
  return errors.map((e) => `${file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`).join('\n');
}
