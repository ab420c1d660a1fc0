/**
 * Triage's questions answered from the store: the pipeline is the only place
 * that joins the two, so triage itself never imports the store.
 */
import type { Rule } from '../rules/ast.js';
import type { Event } from '../schema/event.js';
import type { FlowRecord } from '../schema/flow.js';
import type { Store } from '../store/store.js';
import type { TriageLookup } from '../triage/lookup.js';

const DEFAULT_LIMIT = 1000;

/**
 * @example
 * const lookup = storeLookup(store, rules);
 * await lookup.flows({ a: '10.99.1.68', b: '10.99.0.10', since, until });
 */
export function storeLookup(store: Store, rules: readonly Rule[] = []): TriageLookup {
  const bySid = new Map<string, Rule>();
  for (const r of rules) if (r.sid !== undefined) bySid.set(`${r.gid ?? 1}:${r.sid}`, r);
  return {
    async flows(q) {
      const limit = q.limit ?? DEFAULT_LIMIT;
      const window = { since: q.since, until: q.until, limit };
      const [ab, ba] = await Promise.all([
        store.flows({ ...window, src: q.a, dst: q.b }),
        store.flows({ ...window, src: q.b, dst: q.a }),
      ]);
      const all: FlowRecord[] = [...ab, ...ba].filter(
        (f) => q.port === undefined || f.respP === q.port || f.origP === q.port,
      );
      all.sort((x, y) => x.ts - y.ts || (x.uid < y.uid ? -1 : 1));
      return all.slice(0, limit);
    },
    http: (uid) => store.httpFor(uid),
    ssh: (uid) => store.sshFor(uid),
    async events(q) {
      const limit = q.limit ?? DEFAULT_LIMIT;
      const base = { since: q.since, until: q.until, src: q.src, dst: q.dst, host: q.host, limit };
      // The store filters one type at a time; a few types make a few indexed queries.
      const types = q.types?.length ? q.types : [undefined];
      const lists = await Promise.all(
        types.map((type) => store.events({ ...base, ...(type ? { type } : {}) })),
      );
      const out: Event[] = [];
      for (const list of lists)
        for (const e of list) if (!q.sourceKinds || q.sourceKinds.includes(e.source.kind)) out.push(e);
      out.sort((x, y) => x.ts - y.ts || (x.uid < y.uid ? -1 : 1));
      return out.slice(0, limit);
    },
    assets: (addr) => store.assets(addr),
    rule: (sid, gid) =>
      bySid.get(`${gid ?? 1}:${sid}`) ?? (gid === undefined ? undefined : bySid.get(`1:${sid}`)),
  };
}
