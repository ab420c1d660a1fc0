/**
 * The values of the dataset and datarep keywords:
 * `dataset:<set|isset|isnotset|unset>,<name>[, type T][, load F][, save F][, state F][, memcap N][, hashsize N]`
 * `datarep:<name>,<op>,<value>[, load F][, type T][, memcap N][, hashsize N]`
 * Errors are sentences without the keyword name (the keyword adds it).
 */

/** Data types of a set; `ip` is Suricata's name for ipv6 (which also holds IPv4). */
export type DatasetType = 'string' | 'md5' | 'sha256' | 'ipv4' | 'ipv6';

export interface DatasetFiles {
  type?: DatasetType;
  /** Loaded at start, relative to the rules file's folder. */
  load?: string;
  /** Written on save, relative to the data folder. */
  save?: string;
  /** Loaded from and saved to the data folder. */
  state?: string;
  /** Memory cap in bytes (sizes like `10mb` accepted). */
  memcap?: number;
  /** Hash size hint (Suricata's hash rows). */
  hashsize?: number;
  /** Suricata 8 JSON enrichment formats are parsed but not loaded. */
  format?: 'csv' | 'json' | 'jsonline';
}

export interface DatasetOption extends DatasetFiles {
  kind: 'dataset';
  cmd: 'set' | 'isset' | 'isnotset' | 'unset';
  name: string;
}

export interface DatarepOption extends DatasetFiles {
  kind: 'datarep';
  name: string;
  op: '>' | '<' | '==';
  /** Compared with the entry's reputation (0-65535). */
  value: number;
}

export const MAX_NAME_LENGTH = 63;
const MAX_HASHSIZE = 16_777_216;

const TYPES: Readonly<Record<string, DatasetType>> = {
  string: 'string',
  md5: 'md5',
  sha256: 'sha256',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  ip: 'ipv6',
};

/**
 * Sizes as Suricata writes them: `1234`, `10kb`, `10mb`, `1gb` (binary units).
 * @example parseSize('10mb') // 10485760
 */
export function parseSize(text: string): number | undefined {
  const m = /^(\d{1,12})\s*(kb|mb|gb|kib|mib|gib|b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const mul = unit.startsWith('k')
    ? 1024
    : unit.startsWith('m')
      ? 1024 ** 2
      : unit.startsWith('g')
        ? 1024 ** 3
        : 1;
  const n = Number(m[1]) * mul;
  return Number.isSafeInteger(n) ? n : undefined;
}

function checkName(name: string): string | undefined {
  if (name === '') return 'missing set name';
  if (name.length > MAX_NAME_LENGTH) return `set name longer than ${MAX_NAME_LENGTH} characters`;
  if (!/^[\x21-\x7e]+$/.test(name) || name.includes('"'))
    return `set name "${name.slice(0, 40)}" must be printable ASCII without spaces or quotes`;
  return undefined;
}

/** Parses the `key value` options after the leading positional fields. */
function parseFiles(items: string[], allowed: ReadonlySet<string>): DatasetFiles | { error: string } {
  const out: DatasetFiles = {};
  const seen = new Set<string>();
  for (const item of items) {
    if (item === '') continue;
    const m = /^(\S+)(?:\s+(.*))?$/s.exec(item)!;
    const key = m[1]!;
    const val = (m[2] ?? '').trim();
    if (!allowed.has(key)) return { error: `unknown option "${key.slice(0, 30)}"` };
    if (seen.has(key)) return { error: `"${key}" given twice` };
    seen.add(key);
    if (key === 'remove_key') continue;
    if (val === '') return { error: `"${key}" needs a value` };
    switch (key) {
      case 'type': {
        const t = TYPES[val];
        if (!t) return { error: `type "${val.slice(0, 20)}" is not string, md5, sha256, ipv4, ip or ipv6` };
        out.type = t;
        break;
      }
      case 'load':
      case 'save':
      case 'state':
        if (/[\0\n]/.test(val)) return { error: `bad file name for ${key}` };
        out[key] = val;
        break;
      case 'memcap': {
        const n = parseSize(val);
        if (n === undefined || n === 0)
          return { error: `memcap "${val.slice(0, 20)}" is not a size like 1048576 or 10mb` };
        out.memcap = n;
        break;
      }
      case 'hashsize': {
        const n = parseSize(val);
        if (n === undefined || n === 0 || n > MAX_HASHSIZE)
          return { error: `hashsize "${val.slice(0, 20)}" is not a number 1-${MAX_HASHSIZE}` };
        out.hashsize = n;
        break;
      }
      case 'format':
        if (val !== 'csv' && val !== 'json' && val !== 'jsonline')
          return { error: `format "${val.slice(0, 20)}" is not csv, json or jsonline` };
        out.format = val;
        break;
      // enrichment_key, value_key, array_key: JSON-only details, kept out of the option.
    }
  }
  if (out.state !== undefined && (out.load !== undefined || out.save !== undefined))
    return { error: '"state" cannot be combined with "load" or "save"' };
  return out;
}

const DATASET_KEYS = new Set([
  'type',
  'load',
  'save',
  'state',
  'memcap',
  'hashsize',
  'format',
  'enrichment_key',
  'value_key',
  'array_key',
  'remove_key',
]);
const DATAREP_KEYS = new Set(['type', 'load', 'memcap', 'hashsize']);

/**
 * @example parseDatasetOption('isset,ua-seen,type string,load ua.csv') // { kind: 'dataset', cmd: 'isset', name: 'ua-seen', type: 'string', load: 'ua.csv' }
 */
export function parseDatasetOption(value: string): DatasetOption | { error: string } {
  const items = value.split(',').map((s) => s.trim());
  const cmd = items[0] ?? '';
  if (cmd !== 'set' && cmd !== 'isset' && cmd !== 'isnotset' && cmd !== 'unset')
    return { error: `command "${cmd.slice(0, 20)}" is not set, isset, isnotset or unset` };
  const name = items[1] ?? '';
  const bad = checkName(name);
  if (bad) return { error: bad };
  const files = parseFiles(items.slice(2), DATASET_KEYS);
  if ('error' in files) return files;
  return { kind: 'dataset', cmd, name, ...files };
}

/**
 * @example parseDatarepOption('dns_string, >, 200, load dns_string.rep, type string') // { kind: 'datarep', name: 'dns_string', op: '>', value: 200, load: 'dns_string.rep', type: 'string' }
 */
export function parseDatarepOption(value: string): DatarepOption | { error: string } {
  const items = value.split(',').map((s) => s.trim());
  const name = items[0] ?? '';
  const bad = checkName(name);
  if (bad) return { error: bad };
  const op = items[1] ?? '';
  if (op !== '>' && op !== '<' && op !== '==')
    return { error: `operator "${op.slice(0, 10)}" is not >, < or ==` };
  const v = items[2] ?? '';
  if (!/^\d{1,5}$/.test(v) || Number(v) > 0xffff)
    return { error: `value "${v.slice(0, 20)}" is not a number 0-65535` };
  const files = parseFiles(items.slice(3), DATAREP_KEYS);
  if ('error' in files) return files;
  if (files.load !== undefined && files.type === undefined) return { error: '"load" needs "type" as well' };
  return { kind: 'datarep', name, op, value: Number(v), ...files };
}
