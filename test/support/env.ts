/**
 * Where tests find outside things: the shared reference data (../shared/data)
 * and system tools (tshark, nmap...). On a user's fresh clone these may be
 * absent and the tests that need them skip, saying why; CI sets
 * PICKET_REQUIRE_DATA=1 and PICKET_REQUIRE_TOOLS=1 so that absence fails instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
export const sharedDataDir = process.env.PICKET_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

const requireData = process.env.PICKET_REQUIRE_DATA === '1';
const requireTools = process.env.PICKET_REQUIRE_TOOLS === '1';
const requireRoot = process.env.PICKET_REQUIRE_ROOT === '1';

/**
 * Path to a file or folder in the shared data, or a skip reason. With
 * PICKET_REQUIRE_DATA=1 a missing path throws, so CI fails instead of skipping.
 */
export function sharedData(rel: string): { path: string; skip: false } | { path: string; skip: string } {
  const path = join(sharedDataDir, rel);
  if (existsSync(path)) return { path, skip: false };
  const reason = `shared data not found at ${path} (tests that compare against reference data need ../shared/data)`;
  if (requireData) throw new Error(`${reason}; PICKET_REQUIRE_DATA=1 makes this an error`);
  return { path, skip: reason };
}

const toolCache = new Map<string, boolean>();
function hasTool(name: string): boolean {
  let ok = toolCache.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    toolCache.set(name, ok);
  }
  return ok;
}

/** Skip reason when a system tool is missing, else false. Throws under PICKET_REQUIRE_TOOLS=1. */
export function needTools(...names: string[]): string | false {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return false;
  const reason = `needs ${missing.join(', ')} (install with apt-get; .ci/run does)`;
  if (requireTools) throw new Error(`${reason}; PICKET_REQUIRE_TOOLS=1 makes this an error`);
  return reason;
}

/** Skip reason when not root (network namespaces need it), else false. */
export function needRoot(): string | false {
  if (process.getuid?.() === 0) return false;
  const reason = 'needs root to create network namespaces';
  if (requireRoot) throw new Error(`${reason}; PICKET_REQUIRE_ROOT=1 makes this an error`);
  return reason;
}
