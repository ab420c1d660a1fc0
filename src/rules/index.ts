/** Public surface of the rule parser. */
export type * from './ast.js';
export { type RulesCheck, rulesCheck } from './check.js';
export { KEYWORDS, keyword } from './keywords/index.js';
export type { KeywordDescriptor, KeywordSupport } from './keywords/types.js';
export { type LoadOptions, type LoadResult, loadRules, type RuleRejected } from './load.js';
export { parseClassificationConfig } from './parse/classification.js';
export { parseReferenceConfig } from './parse/reference.js';
export { parseThresholdConfig, type ThresholdEntry } from './parse/threshold-config.js';
export { applyVarOverrides, applyVarsFile, defaultVars, type RuleVars } from './parse/variables.js';
