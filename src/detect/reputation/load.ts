/**
 * Research-scanner lists (Censys, Shodan, Shadowserver ...) read from a
 * folder the user installed: every *.txt (or .list/.lst/.cidr/.netset/.ipset)
 * below it, one address or CIDR per line, IPv4 or IPv6, '#' comments.
 * Formats read: OpenFilters internet-scanners (cidr/<org>_v4.txt, one file
 * per organisation), wdes security (<org>.txt), maltrail mass_scanner.txt
 * and mass_scanner_cidr.txt (mixed, "# host.name" per line). Bad lines are
 * problems with file and line, counted; the rest still loads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ScannerLabel } from '../../schema/finding.js';
import type { ProblemLog } from '../../schema/problem.js';
import { parseAddress } from '../../util/ip.js';
import { createProblemLog } from '../../util/problems.js';
import { type AddressRange, isV4Mapped, parseRange } from './cidr.js';
import { organisationOfComment, organisationOfFile } from './organisations.js';
import { buildRangeIndex, type IndexedEntry } from './range-index.js';

const LIST_FILE = /\.(txt|list|lst|cidr|netset|ipset)$/i;
/** Longer lines are not list lines (and cost nothing to skip). */
const MAX_LINE = 1024;
const UNATTRIBUTED = 'unattributed';

export interface ScannerListInfo {
  /** Path relative to the folder loaded. */
  file: string;
  entries: number;
  /** The file's organisation, or 'various (per-line comments)' for mixed lists. */
  organisation: string;
  /** Lines that were neither entries, comments nor blank. */
  badLines: number;
}

export interface ScannerLists {
  /** The innermost (most specific) entry naming the address, or undefined. */
  lookup(addr: string): ScannerLabel | undefined;
  /** The same over raw address bytes (4 or 16), for hot paths. */
  lookupBytes(b: Uint8Array, len: number): ScannerLabel | undefined;
  /** Every entry naming the address, most specific first: for `picket scanners check`. */
  lookupAll(addr: string): (ScannerLabel & { entry: string })[];
  lists: ScannerListInfo[];
  /** Total entries and the flattened segments searched. */
  entries: number;
  segments: number;
  problems: ProblemLog;
}

export interface LoadScannerListsOptions {
  problems?: ProblemLog;
  /** Entries accepted before the rest are refused with a problem (default 10 million). */
  maxEntries?: number;
}

type RawEntry = AddressRange & {
  label: number;
  text: string;
};

/**
 * @example
 * const lists = loadScannerLists('/var/lib/picket/scanners');
 * lists.lookup('162.142.125.10') // { organisation: 'Censys', list: 'openfilters-internet-scanners/cidr/censys_v4.txt' }
 */
export function loadScannerLists(dir: string, opts: LoadScannerListsOptions = {}): ScannerLists {
  const problems = opts.problems ?? createProblemLog();
  const maxEntries = opts.maxEntries ?? 10_000_000;
  const labels: ScannerLabel[] = [];
  const labelIds = new Map<string, number>();
  const labelOf = (organisation: string, list: string) => {
    const k = `${organisation}\u0000${list}`;
    let id = labelIds.get(k);
    if (id === undefined) {
      id = labels.length;
      labels.push({ organisation, list });
      labelIds.set(k, id);
    }
    return id;
  };
  const raw: RawEntry[] = [];
  const lists: ScannerListInfo[] = [];
  for (const path of listFiles(dir)) {
    const file = relative(dir, path).split(sep).join('/') || path;
    const fileOrg = organisationOfFile(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      problems.add({
        stage: 'read',
        code: 'scanners.unreadable',
        message: `cannot read: ${(e as Error).message}`,
        file,
      });
      continue;
    }
    const info: ScannerListInfo = {
      file,
      entries: 0,
      organisation: fileOrg ?? 'various (per-line comments)',
      badLines: 0,
    };
    lists.push(info);
    let lineNo = 0;
    for (const line of text.split('\n')) {
      lineNo++;
      const hash = line.indexOf('#');
      const body = (hash < 0 ? line : line.slice(0, hash)).trim();
      if (body === '') continue;
      const range = body.length <= MAX_LINE && !/\s/.test(body) ? parseRange(body) : undefined;
      if (!range) {
        info.badLines++;
        problems.add({
          stage: 'read',
          code: 'scanners.bad-line',
          message: `not an address or CIDR: ${JSON.stringify(body.slice(0, 80))}`,
          file,
          line: lineNo,
        });
        continue;
      }
      if (raw.length >= maxEntries) {
        problems.add({
          stage: 'read',
          code: 'scanners.too-many',
          message: `more than ${maxEntries} entries; the rest of the file is skipped`,
          file,
          line: lineNo,
        });
        break;
      }
      const org =
        fileOrg ?? (hash >= 0 ? organisationOfComment(line.slice(hash + 1)) : undefined) ?? UNATTRIBUTED;
      raw.push({ ...range, label: labelOf(org, file), text: body });
      info.entries++;
    }
  }
  // Two indexes: an unattributed entry (a maltrail line without a comment)
  // must not hide the organisation of a wider entry that names one.
  const toIndexed = (keep: (r: RawEntry) => boolean): IndexedEntry[] =>
    raw.flatMap((r, i) => (keep(r) ? [{ ...r, rank: i } as IndexedEntry] : []));
  const isUnattributed = (r: RawEntry) => labels[r.label]!.organisation === UNATTRIBUTED;
  const named = buildRangeIndex(toIndexed((r) => !isUnattributed(r)));
  const unnamed = buildRangeIndex(toIndexed(isUnattributed));
  const find = (b: Uint8Array, len: number, index: ReturnType<typeof buildRangeIndex>): number => {
    if (len === 4) return index.find4(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0);
    if (len === 16 && isV4Mapped(b))
      return index.find4(((b[12]! << 24) | (b[13]! << 16) | (b[14]! << 8) | b[15]!) >>> 0);
    if (len === 16) return index.find6(b);
    return -1;
  };
  const lookupBytes = (b: Uint8Array, len: number): ScannerLabel | undefined => {
    let id = find(b, len, named);
    if (id < 0) id = find(b, len, unnamed);
    return id < 0 ? undefined : labels[id];
  };
  return {
    lookup(addr) {
      const b = typeof addr === 'string' ? parseAddress(addr.trim()) : undefined;
      return b ? lookupBytes(b, b.length) : undefined;
    },
    lookupBytes,
    lookupAll(addr) {
      const r = parseRange(addr.trim());
      if (!r || r.prefix !== (r.family === 4 ? 32 : 128)) return [];
      return raw
        .filter((e) => e.family === r.family && e.start <= r.start && r.start <= e.end)
        .sort((a, b) => b.prefix - a.prefix)
        .map((e) => ({ ...labels[e.label]!, entry: e.text }));
    },
    lists,
    entries: raw.length,
    segments: named.segments + unnamed.segments,
    problems,
  };
}

/** Every list file below `dir` (or `dir` itself when it is a file), sorted for a stable order. */
function listFiles(dir: string): string[] {
  const st = statSync(dir);
  if (st.isFile()) return [dir];
  const out: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (LIST_FILE.test(name) && statSync(path).isFile()) out.push(path);
  }
  return out.sort();
}
