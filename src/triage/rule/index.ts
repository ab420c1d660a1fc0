/** Triage step 2: what the rule says and detects, and the bytes it matched. */
export { alertSource, httpSource, type PayloadSource, sshSource } from './buffers.js';
export { escapeBytes, excerptAround } from './excerpt.js';
export { messageCategory, type RuleFamily, ruleFamilies, ruleFamily } from './family.js';
export { matchedBytes, payloadSources } from './matched.js';
export { type AlertPayloads, gatherPayloads } from './payloads.js';
export { cveId, resolveReference, resolveReferences } from './references.js';
export { alarmTitle, firstCve, messageTail, toolName } from './title.js';
export { type RuleUnderstandingOptions, ruleUnderstanding } from './understanding.js';
