/**
 * The datasets a ruleset uses, shared by name across rules, as Suricata's
 * dataset and datarep keywords see them. Sets are declared by the first
 * rule that names them (with its type and files), loaded once, bounded by
 * their memcap, and checked by the engine with the inspected buffer.
 * Bad file lines and full sets are problems (values), never exceptions.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import type { ProblemLog } from '../../schema/problem.js';
import { formatDatasetEntry, MAX_LINE, parseDatasetLine } from './file-format.js';
import { readLines } from './lines.js';
import type { DatarepOption, DatasetOption, DatasetType } from './options.js';
import { ByteSetTable } from './table.js';

export const DEFAULT_MEMCAP = 256 * 1024 * 1024;
const DEFAULT_HASHSIZE = 4096;

export interface DatasetStoreOptions {
  /** Folder of the rules file: `load` files are read relative to it (absolute paths allowed, as in Suricata). */
  ruleDir: string;
  /** Folder for `state` and `save` files; without it state is kept in memory only and nothing is written. */
  dataDir?: string;
  problems?: ProblemLog;
  /** Memory cap for sets that do not name one. */
  defaultMemcap?: number;
}

export interface DatasetStats {
  name: string;
  type: DatasetType;
  entries: number;
  memoryUsed: number;
  memcap: number;
  /** Adds refused because the set was full (loading and at run time). */
  refused: number;
  /** File lines that could not be read as the set's type. */
  badLines: number;
  /** Why the set never matches, when it is unusable (missing file, JSON format ...). */
  unusable?: string;
}

export type DatasetCommand = DatasetOption | DatarepOption;

export interface DatasetStore {
  /**
   * Declares (or finds) the set a rule option names, loading its file the
   * first time. An error value when the set cannot be used as written; the
   * rule's dataset then never matches.
   */
  declare(cmd: DatasetCommand): { ok: true } | { error: string };
  /**
   * Runs the option against the buffer: isset/isnotset look up, set matches
   * when the value was newly added, unset when it was removed, datarep when
   * the value is present and its reputation passes the comparison.
   */
  check(cmd: DatasetCommand, bytes: Uint8Array): boolean;
  stats(): DatasetStats[];
  /** Writes every set with `save` or `state` into the data folder; returns how many were written. */
  save(): number;
}

interface DatasetSet {
  name: string;
  type: DatasetType;
  table: ByteSetTable;
  load?: string;
  save?: string;
  state?: string;
  badLines: number;
  unusable?: string;
  warnedFull: boolean;
  hasValues: boolean;
}

/** A `state`/`save` name must stay inside the data folder, as Suricata requires by default. */
function dataPath(dataDir: string, file: string): string | undefined {
  if (isAbsolute(file)) return undefined;
  if (normalize(file).split(/[\\/]/).includes('..')) return undefined;
  return join(dataDir, file);
}

/**
 * @example
 * const store = createDatasetStore({ ruleDir: '/etc/picket/rules', problems });
 * store.check(ruleOption, new TextEncoder().encode('example.com')) // true the first time for `set`
 */
export function createDatasetStore(opts: DatasetStoreOptions): DatasetStore {
  const sets = new Map<string, DatasetSet>();
  const resolved = new WeakMap<DatasetCommand, DatasetSet | { error: string }>();
  const ipv6Key = new Uint8Array(16);

  const problem = (code: string, message: string, file?: string, line?: number) =>
    opts.problems?.add({
      stage: 'read',
      code,
      message,
      ...(file !== undefined ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
    });

  function loadFile(set: DatasetSet, path: string, mustExist: boolean): string | undefined {
    if (!existsSync(path)) {
      if (!mustExist) return undefined;
      problem('dataset.missing-file', `dataset ${set.name}: file not found; the set never matches`, path);
      return `file ${path} not found`;
    }
    let refused = 0;
    let firstRefused = 0;
    try {
      readLines(
        path,
        MAX_LINE,
        (text, line) => {
          const t = text.trim();
          if (t === '' || t.startsWith('#')) return;
          const e = parseDatasetLine(set.type, t);
          if ('error' in e) {
            set.badLines++;
            problem('dataset.bad-line', `dataset ${set.name}: ${e.error}; line skipped`, path, line);
            return;
          }
          if (e.value !== 0) set.hasValues = true;
          if (set.table.add(e.key, e.value) < 0 && refused++ === 0) firstRefused = line;
        },
        (line) => {
          set.badLines++;
          problem(
            'dataset.bad-line',
            `dataset ${set.name}: line longer than ${MAX_LINE} bytes; skipped`,
            path,
            line,
          );
        },
      );
    } catch (err) {
      problem(
        'dataset.unreadable',
        `dataset ${set.name}: ${(err as Error).message}; the set never matches`,
        path,
      );
      return `file ${path} unreadable`;
    }
    if (refused > 0) {
      set.warnedFull = true;
      problem(
        'dataset.full',
        `dataset ${set.name}: ${refused} entries from line ${firstRefused} on did not fit memcap ${set.table.memcap}`,
        path,
        firstRefused,
      );
    }
    return undefined;
  }

  function create(cmd: DatasetCommand, key: string): DatasetSet | { error: string } {
    if (!cmd.type)
      return { error: `dataset ${cmd.name} is not defined: the first rule naming it must give its type` };
    const set: DatasetSet = {
      name: cmd.name,
      type: cmd.type,
      table: new ByteSetTable(
        cmd.memcap ?? opts.defaultMemcap ?? DEFAULT_MEMCAP,
        cmd.hashsize ?? DEFAULT_HASHSIZE,
      ),
      badLines: 0,
      warnedFull: false,
      hasValues: false,
      ...(cmd.load !== undefined ? { load: cmd.load } : {}),
      ...('save' in cmd && cmd.save !== undefined ? { save: cmd.save } : {}),
      ...('state' in cmd && cmd.state !== undefined ? { state: cmd.state } : {}),
    };
    sets.set(key, set);
    if (cmd.format === 'json' || cmd.format === 'jsonline')
      set.unusable = `${cmd.format} datasets are not loaded`;
    else if (set.load !== undefined) {
      set.unusable = loadFile(set, isAbsolute(set.load) ? set.load : join(opts.ruleDir, set.load), true);
    } else if (set.state !== undefined && opts.dataDir !== undefined) {
      const p = dataPath(opts.dataDir, set.state);
      if (!p) set.unusable = `state file ${set.state} is outside the data folder`;
      else set.unusable = loadFile(set, p, false);
    }
    if (set.save !== undefined && opts.dataDir !== undefined && !dataPath(opts.dataDir, set.save))
      set.unusable = `save file ${set.save} is outside the data folder`;
    if (set.unusable !== undefined) problem('dataset.unusable', `dataset ${set.name}: ${set.unusable}`);
    return set;
  }

  function resolve(cmd: DatasetCommand): DatasetSet | { error: string } {
    let r = resolved.get(cmd);
    if (r) return r;
    const key = cmd.name.toLowerCase();
    const existing = sets.get(key);
    if (!existing) r = create(cmd, key);
    else if (cmd.type && cmd.type !== existing.type)
      r = { error: `dataset ${cmd.name} already exists with type ${existing.type}, not ${cmd.type}` };
    else if (cmd.load !== undefined && cmd.load !== existing.load)
      r = { error: `dataset ${cmd.name} already loads ${existing.load ?? 'no file'}, not ${cmd.load}` };
    else if ('state' in cmd && cmd.state !== undefined && cmd.state !== existing.state)
      r = { error: `dataset ${cmd.name} already has state ${existing.state ?? 'none'}, not ${cmd.state}` };
    else r = existing;
    if ('error' in r) problem(existing ? 'dataset.conflict' : 'dataset.undefined', r.error);
    resolved.set(cmd, r);
    return r;
  }

  /** The lookup key for the buffer, or undefined when its length does not fit the set's type. */
  function keyFor(type: DatasetType, bytes: Uint8Array, adding: boolean): Uint8Array | undefined {
    switch (type) {
      case 'string':
        return bytes;
      case 'md5':
        return bytes.length === 16 ? bytes : undefined;
      case 'sha256':
        return bytes.length === 32 ? bytes : undefined;
      case 'ipv4':
        if (bytes.length === 4) return bytes;
        return adding && bytes.length > 4 ? bytes.subarray(0, 4) : undefined;
      case 'ipv6':
        if (bytes.length === 16) return bytes;
        if (bytes.length !== 4) return undefined;
        ipv6Key.fill(0);
        ipv6Key.set(bytes);
        return ipv6Key;
    }
  }

  return {
    declare(cmd) {
      const s = resolve(cmd);
      if ('error' in s) return s;
      return s.unusable !== undefined ? { error: `dataset ${s.name}: ${s.unusable}` } : { ok: true };
    },

    check(cmd, bytes) {
      if (bytes.length === 0) return false;
      const s = resolve(cmd);
      if ('error' in s || s.unusable !== undefined) return false;
      const adding = cmd.kind === 'dataset' && cmd.cmd === 'set';
      const key = keyFor(s.type, bytes, adding);
      if (cmd.kind === 'datarep') {
        if (!key) return false;
        const v = s.table.value(key);
        if (v < 0) return false;
        return cmd.op === '>' ? v > cmd.value : cmd.op === '<' ? v < cmd.value : v === cmd.value;
      }
      switch (cmd.cmd) {
        case 'isset':
          return key !== undefined && s.table.has(key);
        case 'isnotset':
          // As in Suricata, a value that cannot be looked up is "not set".
          return key === undefined || !s.table.has(key);
        case 'unset':
          return key !== undefined && s.table.remove(key);
        case 'set': {
          if (!key) return false;
          const r = s.table.add(key, 0);
          if (r < 0 && !s.warnedFull) {
            s.warnedFull = true;
            problem(
              'dataset.full',
              `dataset ${s.name}: memcap ${s.table.memcap} reached; new values are not added (counted)`,
            );
          }
          return r === 1;
        }
      }
    },

    stats() {
      return [...sets.values()].map((s) => ({
        name: s.name,
        type: s.type,
        entries: s.table.size,
        memoryUsed: s.table.memoryUsed,
        memcap: s.table.memcap,
        refused: s.table.refused,
        badLines: s.badLines,
        ...(s.unusable !== undefined ? { unusable: s.unusable } : {}),
      }));
    },

    save() {
      if (opts.dataDir === undefined) return 0;
      let written = 0;
      for (const s of sets.values()) {
        const file = s.save ?? s.state;
        if (file === undefined || s.unusable !== undefined) continue;
        const path = dataPath(opts.dataDir, file);
        if (!path) continue;
        const lines: string[] = [];
        s.table.forEach((key, value) => {
          lines.push(formatDatasetEntry(s.type, key, value, s.hasValues));
        });
        try {
          writeFileSync(`${path}.tmp`, lines.length ? `${lines.join('\n')}\n` : '');
          renameSync(`${path}.tmp`, path);
          written++;
        } catch (err) {
          problem('dataset.unwritable', `dataset ${s.name}: ${(err as Error).message}`, path);
        }
      }
      return written;
    },
  };
}
