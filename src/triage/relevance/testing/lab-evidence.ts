/**
 * For tests only: the lab run as plain arrays. The implementation is in
 * test/support/triage-lab.ts (it runs the pipeline and the store, which
 * triage code may not import); this path is kept for tests that import it here.
 */
export { type LabEvidence, labEvidence } from '../../../../test/support/triage-lab.js';
