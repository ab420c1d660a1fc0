/** Triage step 5: recommendations tied to the verdicts, with ready snippets. */
export { type BlockTarget, blockSnippets } from './block.js';
export { patchSnippets, versionedTargets } from './patch.js';
export { dropRuleText, isUpstreamRule, preventionSnippets } from './prevention.js';
export { type ActionInput, recommendActions } from './recommend.js';
export { blockDuration, plainWords, snippetAddress, snippetPort, snippetSid } from './safe.js';
export { type SshTarget, sshSnippets } from './ssh.js';
export { suppressLine } from './suppress.js';
export {
  excerptBytes,
  patternsFromMatched,
  patternsFromRule,
  regexBytes,
  type WafPattern,
  wafRuleId,
  wafSnippet,
} from './waf.js';
