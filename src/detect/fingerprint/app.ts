/**
 * The application fingerprinter: names tools per source from what they say
 * (HTTP User-Agents, SSH client banners, IDS signature messages), whether it
 * arrives as normalized events (web logs, EVE, Zeek, rule alerts) or as the
 * capture's own HTTP transactions and SSH banners. Memory is bounded: past
 * the budget, new sources are counted and dropped, known ones still count.
 */
import type { Event } from '../../schema/event.js';
import type { ToolMatch } from '../../schema/finding.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { toolFromAlertMsg, toolFromSshBanner, toolFromUserAgent } from './app-tables.js';
import type { ToolSighting } from './types.js';

export interface AppFingerprinterOptions {
  /** Bytes the sightings may hold (default 8 MiB). */
  budgetBytes?: number;
}

export interface AppFingerprinterStats {
  /** Inputs looked at, and those that named a tool. */
  seen: number;
  matched: number;
  sources: number;
  bytes: number;
  /** Matches from new sources dropped because the budget was reached. */
  dropped: number;
}

export interface AppFingerprinter {
  event(e: Event): void;
  http(tx: HttpTransaction): void;
  ssh(b: SshBanner): void;
  /** Source address → tools seen from it, with counts. */
  tools(): Map<string, ToolSighting[]>;
  stats(): AppFingerprinterStats;
}

/** Bytes charged per sighting (object, arrays, evidence text) and per source key. */
const SIGHTING_BYTES = 1024;
const SOURCE_BYTES = 200;

interface Where {
  ts: number;
  src: string;
  dst?: string | undefined;
  dstPort?: number | undefined;
  uid: string;
  file?: string | undefined;
  proto: string;
}

/**
 * @example
 * const app = createAppFingerprinter({ budgetBytes: 1 << 20 });
 * for (const e of events) app.event(e);
 * app.tools().get('10.99.1.68') // [{ name: 'jce-bot', count: 1, ... }, { name: 'nessus', ... }]
 */
export function createAppFingerprinter(opts: AppFingerprinterOptions = {}): AppFingerprinter {
  const budget = opts.budgetBytes ?? 8 * 1024 * 1024;
  const results = new Map<string, ToolSighting[]>();
  let bytes = 0;
  let seen = 0;
  let matched = 0;
  let dropped = 0;

  const record = (m: ToolMatch | undefined, w: Where) => {
    if (!m) return;
    matched++;
    let list = results.get(w.src);
    const same = list?.find((s) => s.name === m.name && s.variant === m.variant);
    if (same) {
      same.count++;
      if (w.ts < same.ts) same.ts = w.ts;
      if (w.ts > same.lastSeen) same.lastSeen = w.ts;
      if (w.dst !== undefined && same.hosts.length < 32 && !same.hosts.includes(w.dst)) {
        same.hosts.push(w.dst);
        same.hostCount++;
      }
      if (w.dstPort !== undefined && same.ports.length < 64 && !same.ports.includes(w.dstPort)) {
        same.ports.push(w.dstPort);
        same.portCount++;
      }
      if (same.uids.length < 20 && !same.uids.includes(w.uid)) same.uids.push(w.uid);
      if (w.file !== undefined && same.files.length < 8 && !same.files.includes(w.file))
        same.files.push(w.file);
      return;
    }
    const cost = SIGHTING_BYTES + (list ? 0 : SOURCE_BYTES + w.src.length * 2);
    if (bytes + cost > budget) {
      dropped++;
      return;
    }
    bytes += cost;
    if (!list) {
      list = [];
      results.set(w.src, list);
    }
    list.push({
      ...m,
      count: 1,
      ts: w.ts,
      lastSeen: w.ts,
      hosts: w.dst !== undefined ? [w.dst] : [],
      hostCount: w.dst !== undefined ? 1 : 0,
      ports: w.dstPort !== undefined ? [w.dstPort] : [],
      portCount: w.dstPort !== undefined ? 1 : 0,
      proto: w.proto,
      uids: [w.uid],
      files: w.file !== undefined ? [w.file] : [],
    });
  };

  return {
    event(e) {
      seen++;
      const w: Where = {
        ts: e.ts,
        src: e.src,
        dst: e.dst,
        dstPort: e.dstPort,
        uid: e.uid,
        file: e.source.file,
        proto: 'tcp',
      };
      if (e.type === 'ids-alert') {
        const sig = e.attrs?.signature;
        record(toolFromAlertMsg(typeof sig === 'string' ? sig : e.message), { ...w, proto: e.proto ?? 'ip' });
        return;
      }
      const ua = e.http?.userAgent;
      if (ua !== undefined) record(toolFromUserAgent(ua), { ...w, proto: 'http' });
      const client = e.attrs?.clientSoftware ?? e.attrs?.sshClient;
      if (typeof client === 'string') record(toolFromSshBanner(client), { ...w, proto: 'ssh' });
    },
    http(tx) {
      seen++;
      record(toolFromUserAgent(tx.userAgent), {
        ts: tx.ts,
        src: tx.origH,
        dst: tx.respH,
        dstPort: tx.respP,
        uid: tx.uid,
        proto: 'http',
      });
    },
    ssh(b) {
      seen++;
      record(toolFromSshBanner(b.client), {
        ts: b.ts,
        src: b.origH,
        dst: b.respH,
        dstPort: b.respP,
        uid: b.uid,
        proto: 'ssh',
      });
    },
    tools: () => results,
    stats: () => ({ seen, matched, sources: results.size, bytes, dropped }),
  };
}
