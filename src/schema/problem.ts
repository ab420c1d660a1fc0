/** The stage of the one-way flow in which a per-record problem was found. */
export type Stage = 'read' | 'decode' | 'flow' | 'session' | 'detect' | 'store' | 'pipeline';

/**
 * A per-record problem: a value, never thrown (house rule 3). It names where
 * (file and byte offset, or line) and why, so a user can look at the input.
 */
export interface Problem {
  stage: Stage;
  /** Stable machine code, e.g. `pcap.truncated-record`. */
  code: string;
  /** Human sentence saying what is wrong and, where useful, what happens next. */
  message: string;
  file?: string;
  /** Byte offset in the file where the bad record starts. */
  offset?: number;
  /** 1-based line, for text inputs. */
  line?: number;
  /** 0-based frame index, for captures. */
  frame?: number;
}

/**
 * Counts problems by code and keeps the first few of each in full, so a flood
 * of bad records costs bounded memory but nothing goes uncounted.
 */
export interface ProblemLog {
  readonly counts: Map<string, number>;
  readonly samples: Problem[];
  add(p: Problem): void;
  total(): number;
}
