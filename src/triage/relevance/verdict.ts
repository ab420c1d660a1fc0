/**
 * Triage step 4: does the target run what the attack is aimed at? The rule's
 * targets (metadata, message, catalogue) against the asset's knowledge (the
 * user's inventory, `picket verify` probes, Nmap imports, recorded traffic).
 * A rule that names no product is judged by the service it aims at ("an SSH
 * server"), read from its protocol, buffers, port and words.
 */

import type { Rule } from '../../rules/ast.js';
import type { EvidenceRef, ProductClaim, RelevanceVerdict, TriState } from '../../schema/alarm.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';
import type { Catalogue } from './catalogue.js';
import { type AssetKnowledge, emptyKnowledge, mergeKnowledge } from './claims.js';
import type { Inventory } from './inventory.js';
import { type Judgement, judgeProduct } from './judge.js';
import { judgeService } from './judge-service.js';
import { knowledgeFromAssets } from './observe-assets.js';
import { observeTraffic } from './observe-traffic.js';
import { ruleService, type ServiceTarget } from './rule-service.js';
import { ruleTargets } from './targets.js';

/** How far around the alerts recorded traffic is read for passive evidence. */
const BEFORE = 30 * 86400;
const AFTER = 86400;
const MAX_EVIDENCE = 20;

/** Everything known about one address: inventory first, then verify and Nmap, then traffic. */
export async function assetKnowledge(
  address: string,
  lookup: TriageLookup,
  catalogue: Catalogue,
  inventory: Inventory | undefined,
  traffic: { peers: readonly string[]; since: number; until: number },
): Promise<AssetKnowledge> {
  const k = inventory ? inventory.knowledgeOf(address) : emptyKnowledge(address);
  mergeKnowledge(k, knowledgeFromAssets(address, await lookup.assets(address), catalogue));
  mergeKnowledge(k, await observeTraffic(address, lookup, catalogue, traffic));
  return k;
}

function combine(js: readonly Judgement[]): TriState {
  if (js.some((j) => j.applicable === 'yes')) return 'yes';
  if (js.length > 0 && js.every((j) => j.applicable === 'no')) return 'no';
  return 'unknown';
}

/**
 * @example
 * const v = await relevanceVerdict(group, lookup.rule(group.sid!), lookup, catalogue, inventory);
 * v.applicable // 'no'
 * v.reason     // 'Joomla! CMS is not there on port 80: GET /index.php?option=com_jce... → 404 ...'
 */
export async function relevanceVerdict(
  group: AlertGroup,
  rule: Rule | undefined,
  lookup: TriageLookup,
  catalogue: Catalogue,
  inventory: Inventory | undefined,
): Promise<RelevanceVerdict> {
  const t = ruleTargets(group, rule, catalogue);
  const port = group.dstPort;
  const k = await assetKnowledge(group.dst, lookup, catalogue, inventory, {
    peers: [group.src],
    since: group.ts - BEFORE,
    until: group.lastSeen + AFTER,
  });
  const asset = assetClaims(k);
  if (t.targets.length === 0) {
    // No product: judge the service the rule aims at, when the rule shows one (never when a product applies).
    const aimed = ruleService(group, rule);
    if (aimed) return serviceVerdict(group, aimed, k, asset, catalogue, t.evidence);
    const what = t.attackTarget.length ? ` (aimed at ${t.attackTarget.join(', ')} in general)` : '';
    return {
      applicable: 'unknown',
      targets: [],
      asset,
      reason: `The rule names no product${what}, so whether ${group.dst} is exposed to it cannot be judged by product.`,
      evidence: t.evidence.slice(0, MAX_EVIDENCE),
    };
  }
  // Judge the most specific targets: JCE rather than the Joomla it extends.
  const required = new Set(t.targets.flatMap((c) => catalogue.product(c.product)?.requires ?? []));
  const leaves = t.targets.filter((c) => !required.has(c.product));
  const judged = leaves.map((c) => judgeProduct(c.product, c.versions, port, k, catalogue));
  const applicable = combine(judged);
  const decisive = judged.filter((j) => j.applicable === applicable);
  const shown = (decisive.length ? decisive : judged).slice(0, 3);
  const names = leaves.map((c) => catalogue.product(c.product)?.name ?? c.product).join(', ');
  const lead =
    applicable === 'yes'
      ? `Applicable: ${group.dst} runs what the rule targets (${names})`
      : applicable === 'no'
        ? `Not applicable: ${group.dst} does not run what the rule targets (${names})`
        : `Unknown whether ${group.dst} runs what the rule targets (${names})`;
  const evidence = dedupe([...shown.flatMap((j) => j.evidence), ...t.evidence]).slice(0, MAX_EVIDENCE);
  return {
    applicable,
    targets: t.targets,
    asset,
    reason: `${lead}: ${shown.map((j) => j.reason).join('; ')}.`,
    evidence,
  };
}

/** The verdict for a rule that names no product but aims at a service ("an SSH server"). */
function serviceVerdict(
  group: AlertGroup,
  aimed: ServiceTarget,
  k: AssetKnowledge,
  asset: ProductClaim[],
  catalogue: Catalogue,
  ruleEvidence: readonly EvidenceRef[],
): RelevanceVerdict {
  const def = aimed.service;
  const port = group.dstPort ?? aimed.rulePort;
  const j = judgeService(def, port, k, catalogue);
  const why = `the rule names no product but aims at ${def.name} (${aimed.how})`;
  const reason =
    j.applicable === 'yes'
      ? `Applicable: ${why}, and ${group.dst} runs one: ${j.reason}.`
      : j.applicable === 'no'
        ? `Not applicable: ${why}, and ${group.dst} offers none: ${j.reason}.`
        : `Unknown whether ${group.dst} offers what the rule aims at: ${why}; ${j.reason}.`;
  const target: ProductClaim = { product: def.product, source: 'service' };
  if (port !== undefined) target.port = port;
  return {
    applicable: j.applicable,
    targets: [target],
    asset,
    reason,
    evidence: dedupe([...j.evidence, ...aimed.evidence, ...ruleEvidence]).slice(0, MAX_EVIDENCE),
  };
}

/** The asset's products for display: one line per product, port and source, best first. */
function assetClaims(k: AssetKnowledge): ProductClaim[] {
  const out = new Map<string, ProductClaim>();
  for (const c of k.present) {
    const key = `${c.product}|${c.port ?? ''}|${c.source}`;
    const had = out.get(key);
    if (had && (had.version || !c.version)) continue;
    const claim: ProductClaim = { product: c.product, source: c.source };
    if (c.version) claim.version = c.version;
    if (c.port !== undefined) claim.port = c.port;
    out.set(key, claim);
  }
  return [...out.values()].slice(0, 20);
}

function dedupe(refs: readonly EvidenceRef[]): EvidenceRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind}|${r.ref}|${r.note ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
