import type { Problem, ProblemLog } from '../schema/problem.js';

/**
 * A ProblemLog that keeps every count but only the first `samplesPerCode`
 * problems of each code, so a file full of garbage costs bounded memory.
 *
 * @example
 * const log = createProblemLog();
 * log.add({ stage: 'read', code: 'pcap.truncated-record', message: '...', file, offset });
 */
export function createProblemLog(samplesPerCode = 20): ProblemLog {
  const counts = new Map<string, number>();
  const samples: Problem[] = [];
  return {
    counts,
    samples,
    add(p: Problem) {
      const n = (counts.get(p.code) ?? 0) + 1;
      counts.set(p.code, n);
      if (n <= samplesPerCode) samples.push(p);
    },
    total() {
      let t = 0;
      for (const n of counts.values()) t += n;
      return t;
    },
  };
}

/** One line for a terminal: `file:offset 1234: message [code]`. */
export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.line !== undefined) where += `:${p.line}`;
  else if (p.offset !== undefined) where += ` at byte ${p.offset}`;
  if (p.frame !== undefined) where += ` (frame ${p.frame + 1})`;
  return `${where ? `${where}: ` : ''}${p.message} [${p.code}]`;
}
