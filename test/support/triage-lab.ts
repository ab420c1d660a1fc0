/**
 * The lab run (examples/lab) analysed once into a temporary store and read
 * back as plain arrays, for triage tests: alert groups, flows, HTTP
 * transactions, SSH banners, events and the starter rules; on request also
 * the run's alerts as Suricata writes them (its eve.json read back as an
 * input). It lives in
 * test/support because it runs the pipeline and the store, which come after
 * triage in the data flow (src/ may not import them outside *.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/pipeline/analyze.js';
import type { Rule } from '../../src/rules/ast.js';
import { loadRules } from '../../src/rules/load.js';
import type { Event } from '../../src/schema/event.js';
import type { FlowRecord } from '../../src/schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../src/schema/session.js';
import { openStore } from '../../src/store/index.js';
import type { MemoryEvidence } from '../../src/triage/connection/testing/memory-lookup.js';
import { type AlertGroup, groupAlerts } from '../../src/triage/group.js';
import { repoRoot } from './env.js';

export interface LabEvidence extends MemoryEvidence {
  flows: FlowRecord[];
  events: Event[];
  http: HttpTransaction[];
  ssh: SshBanner[];
  groups: AlertGroup[];
  rules: Rule[];
  /** The ids-alert events read back from the run's eve.json; empty unless asked for. */
  eveAlerts: Event[];
}

/**
 * Analyses examples/lab with the starter rules into a throwaway store.
 * @example const { groups, flows, eveAlerts } = await labEvidence({ eveAlerts: true });
 */
export async function labEvidence(options: { eveAlerts?: boolean } = {}): Promise<LabEvidence> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-triage-lab-'));
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
    const http: HttpTransaction[] = [];
    const ssh: SshBanner[] = [];
    for (const f of flows) {
      http.push(...(await store.httpFor(f.uid)));
      const b = await store.sshFor(f.uid);
      if (b) ssh.push(b);
    }
    await store.close();
    const eveAlerts = options.eveAlerts ? await readEveAlerts(dir) : [];
    return { flows, events, http, ssh, groups: groupAlerts(events), rules: loaded.rules, eveAlerts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same alerts as Suricata would write them: the run's eve.json analysed as an input. */
async function readEveAlerts(dir: string): Promise<Event[]> {
  const store = await openStore(join(dir, 'eve.db'), { writer: 'inline' });
  await analyze({ inputs: [join(dir, 'eve.json')], store, detect: false });
  await store.flush();
  const alerts = (await store.events({ limit: 100_000 })).filter((e) => e.type === 'ids-alert');
  await store.close();
  return alerts;
}

/**
 * The group of rule `sid` in `groups`; fails the test, listing the sids
 * there are, when the lab raised none.
 * @example const g = groupWithSid(lab.groups, 9900201);
 */
export function groupWithSid(groups: readonly AlertGroup[], sid: number): AlertGroup {
  const g = groups.find((x) => x.sid === sid);
  assert.ok(g, `the lab raises sid ${sid}; got ${groups.map((x) => x.sid).join(', ')}`);
  return g;
}
