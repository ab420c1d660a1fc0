/**
 * Zeek's ASCII (TSV) form: header directives update a per-file state
 * (separators, path, `#fields`, `#types`; a new header block mid-file replaces
 * the old one), and data lines are split and typed by it.
 */
import type { Problem } from '../../schema/problem.js';
import { type LineContext, lineProblem } from '../syslog/types.js';
import { headerlessFields, knownFieldTypes, pathFromFields, pathFromFileName } from './layouts.js';
import type { ZeekRecord, ZeekValue } from './record.js';
import {
  badValue,
  type ColumnType,
  columnType,
  decodeZeekEscapes,
  defaultMarkers,
  maskedValue,
  type TsvMarkers,
  tsvValue,
} from './values.js';

/** What a TSV file's header has said so far. */
export interface TsvState {
  markers: TsvMarkers;
  /** `#path`, else the file name's stem. */
  path?: string;
  fields?: string[];
  /** Column types, one per field (from `#types`, else by known field name). */
  types?: ColumnType[];
  /** Line of the `#fields` in effect, for problems. */
  fieldsLine?: number;
}

/** A fresh state for one file. */
export function newTsvState(file?: string): TsvState {
  const s: TsvState = { markers: defaultMarkers() };
  const p = pathFromFileName(file);
  if (p !== undefined) s.path = p;
  return s;
}

function typesByName(fields: readonly string[]): ColumnType[] {
  return fields.map((f) => columnType(knownFieldTypes.get(f) ?? 'string'));
}

const fieldNameRe = /^[A-Za-z_][\w.-]*$/;

/**
 * Applies one `#` line to the state. Returns a problem for a header that cannot
 * be used (empty `#fields`, `#types` of the wrong length), else null.
 *
 * @example tsvHeaderLine('#fields\tts\tuid', state, ctx) // null; state.fields = ['ts', 'uid']
 */
export function tsvHeaderLine(line: string, s: TsvState, ctx: LineContext): Problem | null {
  if (line.startsWith('#separator ')) {
    const sep = decodeZeekEscapes(line.slice(11).trim());
    if (sep === '')
      return lineProblem(ctx, 'zeek.bad-header', '#separator names no separator; kept the previous one');
    s.markers.separator = sep;
    return null;
  }
  const sep = s.markers.separator;
  const cut = line.indexOf(sep);
  const name = cut < 0 ? line.slice(1) : line.slice(1, cut);
  const value = cut < 0 ? '' : line.slice(cut + sep.length);
  switch (name) {
    case 'set_separator':
      if (value !== '') s.markers.setSeparator = decodeZeekEscapes(value);
      return null;
    case 'empty_field':
      s.markers.emptyField = decodeZeekEscapes(value);
      return null;
    case 'unset_field':
      s.markers.unsetField = decodeZeekEscapes(value);
      return null;
    case 'path':
      if (value !== '') s.path = value;
      return null;
    case 'fields': {
      const fields = value.split(sep);
      if (value === '' || !fields.every((f) => fieldNameRe.test(f))) {
        delete s.fields;
        delete s.types;
        return lineProblem(
          ctx,
          'zeek.bad-header',
          '#fields names no usable field list; data lines until the next #fields are skipped',
        );
      }
      s.fields = fields;
      s.types = typesByName(fields);
      s.fieldsLine = ctx.line;
      return null;
    }
    case 'types': {
      const types = value.split(sep);
      if (!s.fields) return null;
      if (types.length !== s.fields.length) {
        return lineProblem(
          ctx,
          'zeek.bad-header',
          `#types has ${types.length} entries for ${s.fields.length} fields; typing by field name instead`,
        );
      }
      s.types = types.map(columnType);
      return null;
    }
    default:
      // #open, #close and comments carry nothing a record needs.
      return null;
  }
}

/** True for a plain column-name row (the writer's `tsv=T` mode): `ts<TAB>uid<TAB>…`. */
export function isPlainHeaderRow(line: string, s: TsvState): boolean {
  if (s.fields || !line.startsWith(`ts${s.markers.separator}`)) return false;
  const cols = line.split(s.markers.separator);
  return cols.length >= 3 && cols.every((c) => fieldNameRe.test(c)) && cols.includes('uid');
}

/** Takes a plain column-name row as the field list. */
export function usePlainHeaderRow(line: string, s: TsvState, ctx: LineContext): void {
  s.fields = line.split(s.markers.separator);
  s.types = typesByName(s.fields);
  s.fieldsLine = ctx.line;
}

/**
 * One data line as a record, typed by the header in effect (or, for a
 * header-less file, by the default layout of the path its name gives).
 *
 * @example tsvDataLine('1.5\tCx1\t10.0.0.1\t5\t10.0.0.2\t80', state, ctx)
 */
export function tsvDataLine(line: string, s: TsvState, ctx: LineContext): ZeekRecord | Problem {
  const cols = line.split(s.markers.separator);
  let fields = s.fields;
  let types = s.types;
  if (!fields || !types) {
    const guess = s.path === undefined ? undefined : headerlessFields(s.path, cols.length);
    if (!guess) {
      return lineProblem(
        ctx,
        'zeek.no-header',
        s.path === undefined
          ? 'data line before any #fields header, and the file name names no Zeek log; skipped'
          : `data line before any #fields header, and ${cols.length} columns fit no known ${s.path}.log layout; skipped`,
      );
    }
    fields = guess as string[];
    types = typesByName(fields);
  }
  if (cols.length !== fields.length) {
    return lineProblem(
      ctx,
      'zeek.column-count',
      `${cols.length} columns where the #fields header${s.fieldsLine ? ` (line ${s.fieldsLine})` : ''} has ${fields.length}; skipped`,
    );
  }
  const out: Record<string, ZeekValue> = Object.create(null);
  for (let i = 0; i < cols.length; i++) {
    const v = tsvValue(cols[i]!, types[i]!, s.markers);
    if (v === undefined) continue;
    if (v === maskedValue) {
      return lineProblem(
        ctx,
        'zeek.masked-time',
        `${fields[i]} is masked (${cols[i]!.slice(0, 20)}), as Zeek's test baselines write times; the line has no usable time and is skipped`,
      );
    }
    if (v === badValue) {
      return lineProblem(
        ctx,
        'zeek.bad-value',
        `column ${i + 1} (${fields[i]}) is not a valid ${types[i]!.container ? 'set of ' : ''}${types[i]!.base}: ${JSON.stringify(cols[i]!.slice(0, 40))}; skipped`,
      );
    }
    out[fields[i]!] = v;
  }
  const ts = out.ts;
  if (typeof ts !== 'number') {
    return lineProblem(ctx, 'zeek.no-time', 'the line has no ts field with a time; skipped');
  }
  return {
    reader: 'zeek',
    format: 'zeek-tsv',
    ts,
    raw: line,
    path: s.path ?? pathFromFields((f) => fields.includes(f)),
    fields: out,
  };
}
