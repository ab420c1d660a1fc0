/**
 * What a rule is aimed at: products from ET metadata (`affected_product`),
 * from the words of its message, and from the catalogue's vulnerabilities it
 * points at (by CVE in references, metadata or message, by sid, or by a
 * phrase of the message), each with the affected versions when known.
 */

import type { Rule } from '../../rules/ast.js';
import type { EvidenceRef, ProductClaim } from '../../schema/alarm.js';
import type { AlertGroup } from '../group.js';
import type { Catalogue, KnownVulnerability } from './catalogue.js';
import { normaliseName } from './catalogue.js';

/** affected_product values that name no product. */
const NO_PRODUCT = new Set(['any', 'unknown', 'none', 'other', 'multiple', 'web-server-applications']);

export interface RuleTargets {
  targets: ProductClaim[];
  vulnerabilities: KnownVulnerability[];
  cves: string[];
  /** ET attack_target values (Web_Server, Networking_Equipment ...). */
  attackTarget: string[];
  evidence: EvidenceRef[];
}

/** CVE ids a rule names anywhere, as CVE-YYYY-NNNN. */
export function ruleCves(rule: Rule | undefined, msg: string): string[] {
  const out = new Set<string>();
  for (const r of rule?.references ?? [])
    if (r.system.toLowerCase() === 'cve') out.add(`CVE-${r.id.replace(/^cve[-_]?/i, '')}`.toUpperCase());
  for (const v of rule?.metadata.cve ?? [])
    out.add(
      v
        .toUpperCase()
        .replace(/_/g, '-')
        .replace(/^(?!CVE-)/, 'CVE-'),
    );
  for (const m of msg.slice(0, 1024).matchAll(/CVE[-_](\d{4})[-_](\d{4,7})/gi))
    out.add(`CVE-${m[1]}-${m[2]}`);
  return [...out].filter((c) => /^CVE-\d{4}-\d{4,7}$/.test(c));
}

/**
 * @example
 * ruleTargets(group, rule, catalogue).targets
 * // [{ product: 'joomla', source: 'msg' }, { product: 'joomla', versions: '>=1.5 <=3.4.5', source: 'catalogue' }] merged to one
 */
export function ruleTargets(group: AlertGroup, rule: Rule | undefined, catalogue: Catalogue): RuleTargets {
  const msg = rule?.msg ?? group.msg;
  const sid = rule?.sid ?? group.sid;
  const sidRef = sid !== undefined ? `sid:${sid}` : 'rule';
  const evidence: EvidenceRef[] = [];
  const byProduct = new Map<string, ProductClaim>();
  const add = (product: string, source: string, note: string) => {
    if (!byProduct.has(product)) byProduct.set(product, { product, source });
    evidence.push({ kind: 'rule', ref: sidRef, note });
  };
  for (const value of rule?.metadata.affected_product ?? []) {
    const name = normaliseName(value);
    if (!name || NO_PRODUCT.has(name)) continue;
    add(catalogue.product(value)?.id ?? name, 'metadata', `affected_product ${value}`);
  }
  for (const p of catalogue.productsInMessage(msg)) add(p.id, 'msg', `the message names ${p.name}`);
  const cves = ruleCves(rule, msg);
  const vulnerabilities = catalogue.vulnerabilitiesOf({
    cves,
    ...(sid !== undefined && { sid }),
    msg,
    products: [...byProduct.keys()],
  });
  for (const v of vulnerabilities) {
    const claim = byProduct.get(v.product) ?? { product: v.product, source: 'catalogue' };
    if (v.versions) claim.versions = v.versions.text;
    byProduct.set(v.product, claim);
    const range = v.versions ? `versions ${v.versions.text}` : 'all versions';
    evidence.push({
      kind: 'rule',
      ref: sidRef,
      note: `catalogue: ${v.id} affects ${v.product} ${range}${v.title ? ` (${v.title})` : ''}`,
    });
  }
  return {
    targets: [...byProduct.values()],
    vulnerabilities,
    cves,
    attackTarget: (rule?.metadata.attack_target ?? []).filter((v) => !NO_PRODUCT.has(normaliseName(v))),
    evidence,
  };
}
