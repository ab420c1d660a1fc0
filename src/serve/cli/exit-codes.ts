/** Documented exit codes of the `picket` command (README "Exit codes"). */
export const ExitCode = {
  /** Done. Skipped or malformed records, if any, are reported in the summary. */
  OK: 0,
  /** An unexpected internal error; please report it with the command line. */
  INTERNAL: 1,
  /** The command line is wrong (unknown option, missing argument). */
  USAGE: 2,
  /** No usable input: nothing given could be read as a supported format, or a named record does not exist. */
  NO_INPUT: 3,
  /** The store could not be opened or written (path, permissions, newer schema). */
  STORE: 4,
} as const;

/** An error the CLI reports as one clear line with a hint, and exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}
