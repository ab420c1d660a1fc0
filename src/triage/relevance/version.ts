/**
 * Product versions and affected ranges, as catalogues and advisories write
 * them: `>=1.5 <=3.4.5` (all must hold), alternatives joined by `||`, bare
 * `3.4.5` for one version, and `1.5 - 3.4.5` for an inclusive span. Versions
 * compare segment by segment: numbers as numbers, `p1`-style suffixes after
 * the bare version, and alpha/beta/rc/dev before it (3.4.6-rc1 < 3.4.6).
 */

type Segment = number | string;

/** Words that mark a version as coming before its release. */
const PRE_RELEASE = /^(?:alpha|a|beta|b|rc|pre|dev|preview)$/;

/** Longest version text considered; a banner can claim anything. */
const MAX_VERSION = 64;

/** Splits `9.2p1` into [9, 2, 'p', 1]; lower-cased, separators dropped. */
export function versionSegments(version: string): Segment[] {
  const out: Segment[] = [];
  const text = version.slice(0, MAX_VERSION).toLowerCase();
  for (const m of text.matchAll(/(\d+)|([a-z]+)/g)) {
    if (m[1] !== undefined) out.push(Number(m[1].slice(0, 12)));
    else out.push(m[2]!);
  }
  return out;
}

function rank(s: Segment | undefined): number {
  if (s === undefined) return 1;
  if (typeof s === 'number') return 3;
  return PRE_RELEASE.test(s) ? 0 : 2;
}

/**
 * Negative, zero or positive as `a` is older than, equal to or newer than `b`.
 *
 * @example
 * compareVersions('3.4', '3.4.5') // < 0
 * compareVersions('9.2p1', '9.2') // > 0
 */
export function compareVersions(a: string, b: string): number {
  const x = versionSegments(a);
  const y = versionSegments(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    let p = x[i];
    let q = y[i];
    // A missing numeric segment is 0 (3.4 == 3.4.0).
    if (p === undefined && typeof q === 'number') p = 0;
    if (q === undefined && typeof p === 'number') q = 0;
    if (p === q) continue;
    const rp = rank(p);
    const rq = rank(q);
    if (rp !== rq) return rp - rq;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

export interface Comparator {
  op: '<' | '<=' | '>' | '>=' | '=';
  version: string;
}

/** A parsed range: any of the alternatives, each needing all its comparators. */
export interface VersionRange {
  text: string;
  anyOf: Comparator[][];
}

const COMPARATOR = /^(<=|>=|<|>|=)?\s*v?(\d[0-9A-Za-z._-]*)$/;

/**
 * Parses a range, or returns an error message naming the bad part.
 *
 * @example
 * parseVersionRange('>=1.5 <=3.4.5') // { text, anyOf: [[{op:'>=',version:'1.5'},{op:'<=',version:'3.4.5'}]] }
 */
export function parseVersionRange(text: string): VersionRange | string {
  const anyOf: Comparator[][] = [];
  for (const alt of text.split('||')) {
    const part = alt.trim();
    if (!part) return `empty alternative in "${text}"`;
    const span = /^v?(\d[0-9A-Za-z._]*)\s+-\s+v?(\d[0-9A-Za-z._]*)$/.exec(part);
    if (span) {
      anyOf.push([
        { op: '>=', version: span[1]! },
        { op: '<=', version: span[2]! },
      ]);
      continue;
    }
    const all: Comparator[] = [];
    for (const tok of part.replace(/(<=|>=|<|>|=)\s+/g, '$1').split(/\s+/)) {
      const m = COMPARATOR.exec(tok);
      if (!m) return `"${tok}" is not a version comparator (write e.g. ">=1.5 <=3.4.5")`;
      all.push({ op: (m[1] ?? '=') as Comparator['op'], version: m[2]! });
    }
    anyOf.push(all);
  }
  return { text, anyOf };
}

/**
 * @example
 * versionInRange('3.4.1', parseVersionRange('>=1.5 <=3.4.5') as VersionRange) // true
 */
export function versionInRange(version: string, range: VersionRange): boolean {
  return range.anyOf.some((all) =>
    all.every((c) => {
      const d = compareVersions(version, c.version);
      switch (c.op) {
        case '<':
          return d < 0;
        case '<=':
          return d <= 0;
        case '>':
          return d > 0;
        case '>=':
          return d >= 0;
        default:
          return d === 0;
      }
    }),
  );
}

/** The first version-looking token at the start of `text` (after `/`, `_`, `-`, space or `v`). */
export function leadingVersion(text: string): string | undefined {
  const m = /^[\s/_-]*v?(\d+(?:\.\d+)*(?:[a-z]+\d*)?)/i.exec(text.slice(0, MAX_VERSION));
  return m?.[1];
}
