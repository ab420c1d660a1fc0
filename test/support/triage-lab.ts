/**
 * The lab run (examples/lab) analysed once into a temporary store and read
 * back as plain arrays, for triage tests: alert groups, flows, HTTP
 * transactions, SSH banners, events and the starter rules. It lives in
 * test/support because it runs the pipeline and the store, which come after
 * triage in the data flow (src/ may not import them outside *.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/pipeline/analyze.js';
import type { Rule } from '../../src/rules/ast.js';
import { loadRules } from '../../src/rules/load.js';
import { openStore } from '../../src/store/index.js';
import type { MemoryEvidence } from '../../src/triage/connection/testing/memory-lookup.js';
import { type AlertGroup, groupAlerts } from '../../src/triage/group.js';
import { repoRoot } from './env.js';

export interface LabEvidence extends MemoryEvidence {
  groups: AlertGroup[];
  rules: Rule[];
}

/** Analyses examples/lab with the starter rules into a throwaway store. */
export async function labEvidence(): Promise<LabEvidence> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-relevance-'));
  try {
    const store = await openStore(join(dir, 'lab.db'), { writer: 'inline' });
    const loaded = loadRules([join(repoRoot, 'rules')]);
    await analyze({
      inputs: [join(repoRoot, 'examples', 'lab')],
      store,
      rules: { rules: loaded.rules, thresholds: loaded.thresholds, source: 'starter rules' },
      detect: false,
      outDir: dir,
    });
    await store.flush();
    const flows = await store.flows({ limit: 1_000_000 });
    const events = await store.events({ limit: 1_000_000 });
    const http = [];
    const ssh = [];
    for (const f of flows) {
      http.push(...(await store.httpFor(f.uid)));
      const b = await store.sshFor(f.uid);
      if (b) ssh.push(b);
    }
    await store.close();
    return { flows, events, http, ssh, groups: groupAlerts(events), rules: loaded.rules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
