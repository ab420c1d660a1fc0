/**
 * The product catalogue compiled once: name and alias lookup, products named
 * in a rule message, products recognised in a banner, generator tag or CPE,
 * and the vulnerabilities (with parsed version ranges) a rule points at.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type CatalogueProduct, type CatalogueVulnerability, catalogueSchema } from './catalogue-schema.js';
import { leadingVersion, parseVersionRange, type VersionRange } from './version.js';
import { type ConfigError, formatConfigErrors, parseYamlConfig } from './yaml-config.js';

/** rules/catalogue.yaml, shipped with Picket. */
export const DEFAULT_CATALOGUE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'rules',
  'catalogue.yaml',
);

export interface KnownVulnerability extends Omit<CatalogueVulnerability, 'versions'> {
  versions?: VersionRange;
}

/** A product seen in a banner, tag or CPE, with the version that followed, if any. */
export interface Recognised {
  product: CatalogueProduct;
  version?: string;
}

export interface Catalogue {
  products: readonly CatalogueProduct[];
  vulnerabilities: readonly KnownVulnerability[];
  /** The product an id, alias or ET `affected_product` value names (case, `_`, spaces and `!` ignored). */
  product(name: string): CatalogueProduct | undefined;
  /** Products whose message words occur in `msg` as whole words. */
  productsInMessage(msg: string): CatalogueProduct[];
  /** Vulnerabilities a rule points at: by CVE id, by sid, or by message phrase with its product named. */
  vulnerabilitiesOf(q: {
    cves: readonly string[];
    sid?: number;
    msg: string;
    products: readonly string[];
  }): KnownVulnerability[];
  /** Products in a Server / X-Powered-By header or an SSH software version. */
  fromBanner(text: string): Recognised[];
  fromGenerator(text: string): Recognised[];
  fromCpe(cpe: string): Recognised[];
  /** The platforms a product is or runs on (a platform is its own). */
  platformsOf(product: CatalogueProduct): readonly string[];
}

/** Longest header or banner text looked at. */
const MAX_BANNER = 512;

/** `Joomla_CMS`, `joomla cms` and `Joomla!` all become `joomla-cms` / `joomla`. */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[a-z0-9]/.test(c);
}

/**
 * The known text at `i` is a whole product token: `Apache/2.4` and `Cisco-1.25`
 * are, `Apache-Coyote` (Tomcat) and `xnginx` are not.
 */
function tokenAt(lower: string, i: number, len: number, anywhere: boolean): boolean {
  if (!anywhere && isWordChar(lower[i - 1])) return false;
  const next = lower[i + len];
  if (next === '-') return /[0-9]/.test(lower[i + len + 1] ?? '');
  return !isWordChar(next);
}

/** `phrase` occurs in `lowerText` with no letter or digit right before or after it. */
export function containsWord(lowerText: string, phrase: string): boolean {
  const p = phrase.toLowerCase();
  let i = lowerText.indexOf(p);
  while (i >= 0) {
    if (!isWordChar(lowerText[i - 1]) && !isWordChar(lowerText[i + p.length])) return true;
    i = lowerText.indexOf(p, i + 1);
  }
  return false;
}

/** The semantic checks zod cannot express alone: unique names, known references, valid ranges. */
const checkedSchema = catalogueSchema.superRefine((cat, ctx) => {
  const names = new Map<string, string>();
  cat.products.forEach((p, i) => {
    for (const [j, n] of [p.id, ...p.aliases].entries()) {
      const key = normaliseName(n);
      const owner = names.get(key);
      if (owner !== undefined && owner !== p.id)
        ctx.addIssue({
          code: 'custom',
          path: j === 0 ? ['products', i, 'id'] : ['products', i, 'aliases', j - 1],
          message: `"${n}" already names ${owner}`,
        });
      names.set(key, p.id);
    }
  });
  const ids = new Set(cat.products.map((p) => p.id));
  cat.products.forEach((p, i) => {
    p.requires.forEach((r, j) => {
      if (!ids.has(r))
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'requires', j],
          message: `unknown product ${r}`,
        });
    });
    if (p.kind === 'application' && p.platforms.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['products', i, 'platforms'],
        message: 'applications name what they require, not platforms',
      });
  });
  cat.vulnerabilities.forEach((v, i) => {
    if (!ids.has(v.product))
      ctx.addIssue({
        code: 'custom',
        path: ['vulnerabilities', i, 'product'],
        message: `unknown product ${v.product}`,
      });
    if (v.versions !== undefined) {
      const r = parseVersionRange(v.versions);
      if (typeof r === 'string')
        ctx.addIssue({ code: 'custom', path: ['vulnerabilities', i, 'versions'], message: r });
    }
  });
});

export type CatalogueResult = { ok: true; catalogue: Catalogue } | { ok: false; errors: ConfigError[] };

/**
 * Parses and compiles catalogue YAML; errors carry line numbers.
 *
 * @example
 * const r = parseCatalogue(readFileSync('rules/catalogue.yaml', 'utf8'));
 * if (r.ok) r.catalogue.product('Joomla_CMS')?.id // 'joomla'
 */
export function parseCatalogue(text: string): CatalogueResult {
  const r = parseYamlConfig(text, checkedSchema);
  if (!r.ok) return r;
  return { ok: true, catalogue: compileCatalogue(r.value) };
}

/**
 * Reads a catalogue file; an unusable one is a configuration error and throws with `file:line` messages.
 *
 * @example
 * const catalogue = loadCatalogue(); // rules/catalogue.yaml
 */
export function loadCatalogue(path = DEFAULT_CATALOGUE): Catalogue {
  const r = parseCatalogue(readFileSync(path, 'utf8'));
  if (!r.ok) throw new Error(`invalid product catalogue:\n${formatConfigErrors(path, r.errors)}`);
  return r.catalogue;
}

function compileCatalogue(file: z.infer<typeof catalogueSchema>): Catalogue {
  const byName = new Map<string, CatalogueProduct>();
  for (const p of file.products) for (const n of [p.id, ...p.aliases]) byName.set(normaliseName(n), p);
  const byId = new Map(file.products.map((p) => [p.id, p]));
  const vulnerabilities: KnownVulnerability[] = file.vulnerabilities.map((v) => {
    const { versions, ...rest } = v;
    return versions === undefined ? rest : { ...rest, versions: parseVersionRange(versions) as VersionRange };
  });
  const bannerPrefixes = file.products.flatMap((p) => p.banners.map((b) => ({ p, text: b.toLowerCase() })));
  const generatorTexts = file.products.flatMap((p) =>
    p.generators.map((g) => ({ p, text: g.toLowerCase() })),
  );

  /** Finds each known text at a word start; the version is what directly follows it. */
  function scan(
    text: string,
    entries: { p: CatalogueProduct; text: string }[],
    anywhere: boolean,
  ): Recognised[] {
    const raw = text.slice(0, MAX_BANNER);
    const lower = raw.toLowerCase();
    const out: Recognised[] = [];
    for (const e of entries) {
      let i = lower.indexOf(e.text);
      while (i >= 0 && !tokenAt(lower, i, e.text.length, anywhere)) i = lower.indexOf(e.text, i + 1);
      if (i < 0 || out.some((r) => r.product === e.p)) continue;
      const version = leadingVersion(raw.slice(i + e.text.length));
      out.push(version === undefined ? { product: e.p } : { product: e.p, version });
    }
    return out;
  }

  return {
    products: file.products,
    vulnerabilities,
    product: (name) => byName.get(normaliseName(name)),
    productsInMessage(msg) {
      const lower = msg.slice(0, 1024).toLowerCase();
      return file.products.filter((p) => p.msg.some((w) => containsWord(lower, w)));
    },
    vulnerabilitiesOf(q) {
      const cves = new Set(q.cves.map((c) => c.toUpperCase()));
      const lower = q.msg.slice(0, 1024).toLowerCase();
      return vulnerabilities.filter(
        (v) =>
          cves.has(v.id.toUpperCase()) ||
          (q.sid !== undefined && v.sids.includes(q.sid)) ||
          (q.products.includes(v.product) && v.msg.some((w) => containsWord(lower, w))),
      );
    },
    fromBanner: (text) => scan(text, bannerPrefixes, false),
    fromGenerator: (text) => scan(text, generatorTexts, true),
    fromCpe(cpe) {
      const lower = cpe.toLowerCase();
      const out: Recognised[] = [];
      for (const p of file.products) {
        const prefix = p.cpe.find((c) => lower.startsWith(c.toLowerCase()));
        if (!prefix) continue;
        // cpe:/a:vendor:product:VERSION — the version is the next field.
        const rest = lower.slice(prefix.length);
        const version = rest.startsWith(':') ? rest.slice(1).split(':')[0] : undefined;
        out.push(version ? { product: p, version } : { product: p });
      }
      return out;
    },
    platformsOf(p) {
      if (p.kind === 'platform') return p.platforms.length ? p.platforms : [p.id];
      if (p.kind === 'server') return p.platforms;
      // An application runs wherever what it requires runs; unknown when it requires nothing named.
      return [...new Set(p.requires.flatMap((r) => byId.get(r)?.platforms ?? []))];
    },
  };
}
