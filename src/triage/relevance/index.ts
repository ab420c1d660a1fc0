/** Triage step 4: relevance — the rule's targets against what the asset runs. */
export {
  type Catalogue,
  DEFAULT_CATALOGUE,
  loadCatalogue,
  normaliseName,
  parseCatalogue,
} from './catalogue.js';
export type { CatalogueProduct, Fingerprint } from './catalogue-schema.js';
export type { AbsenceClaim, AssetKnowledge, PresenceClaim } from './claims.js';
export { absentByPath, foundByPath, generatorOf, pathOf } from './fingerprint.js';
export { type Inventory, loadInventory, parseInventory } from './inventory.js';
export { type Judgement, judgeProduct } from './judge.js';
export { knowledgeFromAssets } from './observe-assets.js';
export { observeTraffic } from './observe-traffic.js';
export { PROBE_SCRIPT_PREFIX, type ProbeRecord, probeKey, readProbeRecord } from './probe-record.js';
export { type RuleTargets, ruleCves, ruleTargets } from './targets.js';
export { assetKnowledge, relevanceVerdict } from './verdict.js';
export { compareVersions, parseVersionRange, versionInRange } from './version.js';
