/** Triage step 1: was the connection established, did data pass, was it blocked. */

export { type FlowFacts, flowFacts } from './flow-facts.js';
export { flowWindow, type GroupFlows, matchGroupFlows } from './flow-match.js';
export { connectionVerdict } from './verdict.js';
