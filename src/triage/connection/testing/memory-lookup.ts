/**
 * A TriageLookup over plain arrays, for tests: it answers exactly as the
 * store-backed one is meant to (time windows with `until` exclusive, limits,
 * either side of a flow), so the steps run on real recorded evidence without
 * a database.
 */
import type { Rule } from '../../../rules/ast.js';
import type { Asset } from '../../../schema/asset.js';
import type { Event } from '../../../schema/event.js';
import type { FlowRecord } from '../../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../../schema/session.js';
import type { TriageLookup } from '../../lookup.js';

export interface MemoryEvidence {
  flows?: readonly FlowRecord[];
  http?: readonly HttpTransaction[];
  ssh?: readonly SshBanner[];
  events?: readonly Event[];
  assets?: readonly Asset[];
  rules?: readonly Rule[];
}

const DEFAULT_LIMIT = 1000;

/**
 * @example
 * const lookup = memoryLookup({ flows, http, events });
 * await lookup.flows({ a: '10.0.0.1', b: '10.0.0.2', since: 0, until: 2e9 });
 */
export function memoryLookup(data: MemoryEvidence): TriageLookup {
  const flows = [...(data.flows ?? [])].sort((x, y) => x.ts - y.ts || (x.uid < y.uid ? -1 : 1));
  const events = [...(data.events ?? [])].sort((x, y) => x.ts - y.ts || (x.uid < y.uid ? -1 : 1));
  const httpByUid = new Map<string, HttpTransaction[]>();
  for (const t of data.http ?? []) {
    const list = httpByUid.get(t.uid) ?? [];
    list.push(t);
    httpByUid.set(t.uid, list);
  }
  for (const list of httpByUid.values()) list.sort((x, y) => x.transDepth - y.transDepth);
  const sshByUid = new Map((data.ssh ?? []).map((b) => [b.uid, b]));
  return {
    async flows(q) {
      const out: FlowRecord[] = [];
      const limit = q.limit ?? DEFAULT_LIMIT;
      for (const f of flows) {
        if (out.length >= limit) break;
        if (f.ts < q.since || f.ts >= q.until) continue;
        const pair = (f.origH === q.a && f.respH === q.b) || (f.origH === q.b && f.respH === q.a);
        if (!pair) continue;
        if (q.port !== undefined && f.respP !== q.port && f.origP !== q.port) continue;
        out.push(f);
      }
      return out;
    },
    async http(uid) {
      return [...(httpByUid.get(uid) ?? [])];
    },
    async ssh(uid) {
      return sshByUid.get(uid);
    },
    async events(q) {
      const out: Event[] = [];
      const limit = q.limit ?? DEFAULT_LIMIT;
      for (const e of events) {
        if (out.length >= limit) break;
        if (e.ts < q.since || e.ts >= q.until) continue;
        if (q.src !== undefined && e.src !== q.src) continue;
        if (q.dst !== undefined && e.dst !== q.dst) continue;
        if (q.host !== undefined && e.src !== q.host && e.dst !== q.host) continue;
        if (q.types !== undefined && !q.types.includes(e.type)) continue;
        if (q.sourceKinds !== undefined && !q.sourceKinds.includes(e.source.kind)) continue;
        out.push(e);
      }
      return out;
    },
    async assets(addr) {
      return (data.assets ?? []).filter((a) => a.address === addr);
    },
    rule(sid, gid) {
      return (data.rules ?? []).find((r) => r.sid === sid && (gid === undefined || (r.gid ?? 1) === gid));
    },
  };
}
