/**
 * The part of a detector that only forwards to its state table: advancing
 * time, draining at the end, and reporting the table's figures with the
 * detector's own count of findings.
 */
import type { DetectorInstance } from './detector.js';
import type { StateTable } from './state-table.js';

/**
 * @example
 * let findings = 0;
 * return { auth(a) { ... }, ...tableLifecycle(table, () => findings) };
 */
export function tableLifecycle<S>(
  table: StateTable<S>,
  findings: () => number,
): Pick<DetectorInstance, 'advance' | 'finish' | 'stats'> {
  return {
    advance(now) {
      table.advance(now);
    },
    finish() {
      table.drain();
    },
    stats() {
      const st = table.stats();
      return {
        held: st.held,
        bytes: st.bytes,
        peakBytes: st.peakBytes,
        evicted: st.evicted,
        findings: findings(),
      };
    },
  };
}
