/**
 * One target product against what is known of the asset: yes (it runs, in
 * an affected version or one not known), no (stated or shown absent, out of
 * the affected range, or the port answers as something that cannot be it),
 * unknown otherwise. Pure: knowledge in, judgement out.
 */
import type { EvidenceRef, TriState } from '../../schema/alarm.js';
import type { Catalogue } from './catalogue.js';
import type { CatalogueProduct } from './catalogue-schema.js';
import { type AssetKnowledge, type PresenceClaim, sourceRank } from './claims.js';
import { parseVersionRange, versionInRange } from './version.js';

export interface Judgement {
  product: string;
  applicable: TriState;
  reason: string;
  evidence: EvidenceRef[];
}

function onPort<T extends { port?: number }>(claims: readonly T[], port: number | undefined): T[] {
  return claims.filter((c) => c.port === undefined || port === undefined || c.port === port);
}

function nameOf(catalogue: Catalogue, id: string): string {
  return catalogue.product(id)?.name ?? id;
}

function describe(c: PresenceClaim, catalogue: Catalogue): string {
  return `${nameOf(catalogue, c.product)}${c.version ? ` ${c.version}` : ''}`;
}

/** Best claim first: inventory, verify, nmap, passive; with a version before without. */
function byRank(a: PresenceClaim, b: PresenceClaim): number {
  return (
    sourceRank(a.source) - sourceRank(b.source) ||
    (a.version ? 0 : 1) - (b.version ? 0 : 1) ||
    (b.ts ?? 0) - (a.ts ?? 0)
  );
}

/**
 * @example
 * judgeProduct('joomla', '>=1.5 <=3.4.5', 80, knowledge, catalogue)
 * // { applicable: 'no', reason: 'GET /index.php?... → 404: every Joomla! CMS install answers this path', ... }
 */
export function judgeProduct(
  id: string,
  versions: string | undefined,
  port: number | undefined,
  k: AssetKnowledge,
  catalogue: Catalogue,
  depth = 0,
): Judgement {
  const product = catalogue.product(id);
  const name = product?.name ?? id;
  const present = onPort(k.present, port)
    .filter((c) => c.product === id)
    .sort(byRank);
  const absent = onPort(k.absent, port).filter((c) => c.product === id);
  const portText = port !== undefined ? ` on port ${port}` : '';

  if (present.length > 0) {
    const best = present[0]!;
    const evidence = present.slice(0, 5).map((c) => c.evidence);
    const conflict = absent.find((a) => a.kind === 'statement');
    const stale = conflict
      ? ` (${conflict.evidence.note ?? 'the inventory'} says otherwise: the inventory looks out of date)`
      : '';
    if (conflict) evidence.push(conflict.evidence);
    const range = versions ? parseVersionRange(versions) : undefined;
    const versioned = present.find((c) => c.version);
    if (range && typeof range !== 'string' && versioned?.version) {
      const inRange = versionInRange(versioned.version, range);
      return {
        product: id,
        applicable: inRange ? 'yes' : 'no',
        reason: `${describe(versioned, catalogue)} runs${portText} (${versioned.source}); affected versions are ${versions}: ${inRange ? 'in range' : 'not affected'}${stale}`,
        evidence,
      };
    }
    const versionNote = versions ? `; its version is unknown, affected versions are ${versions}` : '';
    return {
      product: id,
      applicable: 'yes',
      reason: `${describe(best, catalogue)} runs${portText} (${best.source})${versionNote}${stale}`,
      evidence,
    };
  }

  if (absent.length > 0) {
    const first = absent.find((a) => a.kind === 'statement') ?? absent[0]!;
    const how =
      first.kind === 'statement' ? `${first.evidence.note}` : `${first.evidence.note} (${first.source})`;
    // What does answer there, and a home page that names nothing, support the finding (never make it).
    const server = onPort(k.present, port)
      .filter((c) => c.product !== id)
      .sort(byRank)[0];
    const context = server ? `; the port answers as ${describe(server, catalogue)} (${server.source})` : '';
    const evidence = [
      ...absent.slice(0, 5).map((a) => a.evidence),
      ...(server ? [server.evidence] : []),
      ...k.notes.slice(0, 1),
    ];
    return {
      product: id,
      applicable: 'no',
      reason: `${name} is not there${portText}: ${how}${context}`,
      evidence,
    };
  }

  // An extension needs what it extends: no Joomla, no JCE.
  if (product && depth < 4) {
    for (const req of product.requires) {
      const j = judgeProduct(req, undefined, port, k, catalogue, depth + 1);
      if (j.applicable === 'no')
        return {
          product: id,
          applicable: 'no',
          reason: `${name} needs ${nameOf(catalogue, req)}; ${j.reason}`,
          evidence: j.evidence,
        };
    }
  }

  const others = onPort(k.present, port)
    .filter((c) => c.product !== id)
    .sort(byRank);
  if (product) {
    const excluded = excludedBy(product, others, catalogue);
    if (excluded)
      return {
        product: id,
        applicable: 'no',
        reason: `${name} is not what answers${portText}: it answers as ${describe(excluded, catalogue)} (${excluded.source}), which runs on ${catalogue.platformsOf(catalogue.product(excluded.product)!).join('/')}, not on ${catalogue.platformsOf(product).join('/')}`,
        evidence: [excluded.evidence],
      };
  }

  const evidence = [...others.slice(0, 3).map((c) => c.evidence), ...k.notes.slice(0, 2)];
  if (others.length === 0 && k.absent.length === 0 && k.openPorts.size === 0)
    return {
      product: id,
      applicable: 'unknown',
      reason: `nothing is known about what ${k.address} runs`,
      evidence,
    };
  const seen = others.length
    ? `${[...new Set(others.map((c) => describe(c, catalogue)))].slice(0, 3).join(', ')} answers${portText}`
    : `the host answered${portText}`;
  const why =
    product?.kind === 'application'
      ? `; whether ${name} runs inside it is not shown (no fingerprint path answered 404 and nothing named it)`
      : product?.kind === 'server' && others.length
        ? `; a ${name} behind it (as a proxy's backend) cannot be ruled out`
        : `; nothing shows whether ${name} is there`;
  return { product: id, applicable: 'unknown', reason: `${seen}${why}`, evidence };
}

/** A claim on the port that cannot coexist with `target` there: its platforms and the target's do not meet. */
function excludedBy(
  target: CatalogueProduct,
  others: readonly PresenceClaim[],
  catalogue: Catalogue,
): PresenceClaim | undefined {
  if (target.kind === 'application') {
    const platforms = catalogue.platformsOf(target);
    if (platforms.length === 0) return undefined;
  }
  const mine = new Set(catalogue.platformsOf(target));
  if (mine.size === 0) return undefined;
  for (const c of others) {
    const p = catalogue.product(c.product);
    // Applications share a server with anything; only servers and platforms say what the port is.
    if (!p || p.kind === 'application') continue;
    const theirs = catalogue.platformsOf(p);
    if (theirs.length > 0 && !theirs.some((x) => mine.has(x))) return c;
  }
  return undefined;
}
