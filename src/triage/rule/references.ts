/**
 * A rule's references as links an analyst can open: CVEs to their NVD page,
 * bugtraq ids to the SecurityFocus BID page, `url` references as https, and
 * every other system through reference.config (the one loaded with the
 * rules, else Picket's defaults). Only http(s) links are ever produced.
 */
import type { Reference } from '../../rules/ast.js';
import { DEFAULT_REFERENCE_SYSTEMS } from '../../rules/parse/reference.js';
import type { RuleReference } from '../../schema/alarm.js';

const DEFAULTS: ReadonlyMap<string, string> = new Map(DEFAULT_REFERENCE_SYSTEMS);

/** References kept per rule (ET rules rarely carry more than five). */
export const MAX_REFERENCES = 20;

/** An http(s) URL that parses, else undefined (no javascript:, no spaces or quotes). */
function webLink(text: string): string | undefined {
  if (text.length > 2048 || /[\s"'<>\\`\u0000-\u001f\u007f-\u009f]/.test(text)) return undefined;
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `CVE-2015-8562` from `2015-8562`, `CVE-2015-8562` or ET metadata's `CVE_2015_8562`.
 *
 * @example cveId('CVE_2015_8562') // 'CVE-2015-8562'
 */
export function cveId(text: string): string | undefined {
  const m = /^(?:cve[-_ ]?)?(\d{4})[-_](\d{4,7})$/i.exec(text.trim());
  return m ? `CVE-${m[1]}-${m[2]}` : undefined;
}

/**
 * One reference resolved. `systems` is reference.config (system → URL prefix).
 *
 * @example
 * resolveReference({ system: 'bugtraq', id: '79195' }).url // 'https://www.securityfocus.com/bid/79195'
 */
export function resolveReference(
  r: Reference,
  systems: ReadonlyMap<string, string> = DEFAULTS,
): RuleReference {
  const type = r.system.toLowerCase();
  const value = r.id.trim();
  const out: RuleReference = { type, value };
  let url: string | undefined;
  if (type === 'cve') {
    const id = cveId(value);
    if (id !== undefined) url = `https://nvd.nist.gov/vuln/detail/${id}`;
  } else if (type === 'bugtraq') {
    if (/^\d{1,9}$/.test(value)) url = `https://www.securityfocus.com/bid/${value}`;
  } else if (type === 'url') {
    if (/^https?:\/\//i.test(value)) url = webLink(value);
    else if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) url = webLink(`https://${value}`);
  } else {
    const prefix = systems.get(type) ?? DEFAULTS.get(type);
    if (prefix !== undefined) url = webLink(prefix + value);
    if (url === undefined && r.url !== undefined) url = webLink(r.url);
  }
  if (url !== undefined) out.url = url;
  return out;
}

/**
 * The rule's references, plus CVEs only its ET metadata names, each once.
 *
 * @example resolveReferences(rule.references, rule.metadata).map((r) => r.url)
 */
export function resolveReferences(
  refs: readonly Reference[],
  metadata: Readonly<Record<string, readonly string[]>> = {},
  systems?: ReadonlyMap<string, string>,
): RuleReference[] {
  const out: RuleReference[] = [];
  const seen = new Set<string>();
  const add = (r: RuleReference) => {
    const key = r.type === 'cve' ? `cve:${cveId(r.value) ?? r.value}` : `${r.type}:${r.value}`;
    if (seen.has(key) || out.length >= MAX_REFERENCES) return;
    seen.add(key);
    out.push(r);
  };
  for (const r of refs) add(resolveReference(r, systems));
  for (const v of metadata.cve ?? []) {
    const id = cveId(v);
    if (id !== undefined) add(resolveReference({ system: 'cve', id }, systems));
  }
  return out;
}
