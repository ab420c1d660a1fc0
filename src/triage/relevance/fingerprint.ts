/**
 * Reading what a web answer says about the products behind it, by the
 * catalogue: a generator meta tag, a fingerprint path that showed a product
 * (and its version), or a path every install answers that answered 404/410
 * (evidence of absence). Bodies are attacker-controlled: bounded, matched as
 * text, never evaluated.
 */
import type { Catalogue, Recognised } from './catalogue.js';
import type { CatalogueProduct } from './catalogue-schema.js';
import { leadingVersion } from './version.js';

/** Body bytes looked at. */
const MAX_BODY = 64 * 1024;
/** Meta tags looked at per page. */
const MAX_META = 200;

/** The request path without query or fragment, without a trailing slash (except `/`). */
export function pathOf(uri: string): string {
  let p = uri.slice(0, 2048);
  const cut = p.search(/[?#]/);
  if (cut >= 0) p = p.slice(0, cut);
  // An absolute-form request (GET http://host/path) names the path after the authority.
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(p);
  if (abs) p = p.slice(abs[0].length) || '/';
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p.toLowerCase();
}

/**
 * The content of `<meta name="generator" content="...">`, attributes in any order.
 *
 * @example
 * generatorOf('<meta name="generator" content="Joomla! - Open Source Content Management" />') // 'Joomla! - Open Source Content Management'
 */
export function generatorOf(body: string): string | undefined {
  const text = body.slice(0, MAX_BODY);
  let n = 0;
  for (const m of text.matchAll(/<meta\s([^>]{0,1000})>/gi)) {
    if (++n > MAX_META) break;
    const attrs = m[1]!;
    if (!/\bname\s*=\s*["']?generator\b/i.test(attrs)) continue;
    const c = /\bcontent\s*=\s*(?:"([^"]{0,300})"|'([^']{0,300})'|([^\s"'>]{1,300}))/i.exec(attrs);
    const value = c?.[1] ?? c?.[2] ?? c?.[3];
    if (value !== undefined) return value.trim();
  }
  return undefined;
}

/** Products whose "every install answers this" path answered 404 or 410. */
export function absentByPath(catalogue: Catalogue, uri: string, status: number): CatalogueProduct[] {
  if (status !== 404 && status !== 410) return [];
  const p = pathOf(uri);
  return catalogue.products.filter((prod) => prod.fingerprints.some((f) => f.always && pathOf(f.path) === p));
}

/** A product a fingerprint path showed (2xx and its marker text in the body), with the version after `versionAfter`. */
export function foundByPath(catalogue: Catalogue, uri: string, status: number, body: string): Recognised[] {
  if (status < 200 || status > 299) return [];
  const p = pathOf(uri);
  const lower = body.slice(0, MAX_BODY).toLowerCase();
  const out: Recognised[] = [];
  for (const product of catalogue.products) {
    for (const f of product.fingerprints) {
      if (pathOf(f.path) !== p || f.present === undefined) continue;
      if (!lower.includes(f.present.toLowerCase())) continue;
      let version: string | undefined;
      if (f.versionAfter !== undefined) {
        const at = lower.indexOf(f.versionAfter.toLowerCase());
        if (at >= 0)
          version = leadingVersion(body.slice(at + f.versionAfter.length, at + f.versionAfter.length + 64));
      }
      out.push(version === undefined ? { product } : { product, version });
      break;
    }
  }
  return out;
}
