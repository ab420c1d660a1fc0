/**
 * `--detect-config FILE`: per-detector thresholds and windows as YAML or JSON,
 * e.g. `sweep: { minHosts: 50 }`. Unknown detectors and fields are errors
 * (checked when the detectors compile it), never silently ignored.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { detectConfigErrors } from '../../pipeline/detect-run.js';
import { CliError, ExitCode } from './exit-codes.js';

/**
 * @example
 * loadDetectConfig('detect.yaml') // { sweep: { minHosts: 50 } }
 */
export function loadDetectConfig(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read ${path}: ${(e as Error).message}`,
      ExitCode.USAGE,
      'check the --detect-config path',
    );
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new CliError(
      `${path}: not valid YAML or JSON: ${(e as Error).message}`,
      ExitCode.USAGE,
      'write one mapping per detector, e.g. "sweep:" then "  minHosts: 50" (docs/detectors/ lists the fields)',
    );
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new CliError(`${path}: expected a mapping of detector names to settings`, ExitCode.USAGE);
  const errors = detectConfigErrors(doc as Record<string, unknown>);
  if (errors.length)
    throw new CliError(
      `${path}: ${errors.join('; ')}`,
      ExitCode.USAGE,
      'fix or remove these settings; docs/detectors/ lists every detector, its fields and defaults',
    );
  return doc as Record<string, unknown>;
}
