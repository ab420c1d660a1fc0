import type { Problem } from '../schema/problem.js';

/**
 * The problem for bytes a reader skipped after damage: where the damage
 * began, where the scan for the next plausible unit stopped, and whether
 * reading goes on. A "runs past the end" that is followed by good data was a
 * corrupt length, not a cut file, so its code changes to `pastEndCode`.
 */
export function skipProblem(o: {
  code: string;
  why: string;
  unit: 'record' | 'block';
  truncatedCode: string;
  pastEndCode: string;
  file: string;
  frame: number;
  badAt: number;
  at: number;
  found: boolean;
}): Problem {
  const skipped = o.at - o.badAt;
  const what = o.found
    ? `skipped ${skipped} bytes to the next plausible ${o.unit} at byte ${o.at}`
    : `no plausible ${o.unit} follows; skipped the remaining ${skipped} bytes`;
  return {
    stage: 'read',
    code: o.code === o.truncatedCode && o.found ? o.pastEndCode : o.code,
    message: `${o.why}; ${what}`,
    file: o.file,
    offset: o.badAt,
    frame: o.frame,
  };
}
