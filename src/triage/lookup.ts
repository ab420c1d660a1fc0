/**
 * What triage may ask about the recorded evidence. Triage comes before the
 * store in the data flow, so it names the questions here and the pipeline
 * answers them from the store (or from memory in tests). Every answer is
 * bounded by `limit`.
 */

import type { Rule } from '../rules/ast.js';
import type { Alarm } from '../schema/alarm.js';
import type { Asset } from '../schema/asset.js';
import type { Event, EventType, SourceKind } from '../schema/event.js';
import type { FlowRecord } from '../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../schema/session.js';

/** Times are epoch seconds; `until` exclusive. */
export interface TimeWindow {
  since: number;
  until: number;
}

export interface TriageLookup {
  /** Capture (or Zeek) connection records between the two hosts in the window (either may be the originator). */
  flows(q: TimeWindow & { a: string; b: string; port?: number; limit?: number }): Promise<FlowRecord[]>;
  /** The HTTP transactions of one connection, in order. */
  http(flowUid: string): Promise<HttpTransaction[]>;
  /** The SSH banners of one connection. */
  ssh(flowUid: string): Promise<SshBanner | undefined>;
  /** Normalized events naming `src` (and `dst` when given) in the window, of these types and source kinds. */
  events(
    q: TimeWindow & {
      src?: string;
      dst?: string;
      host?: string;
      types?: EventType[];
      sourceKinds?: SourceKind[];
      limit?: number;
    },
  ): Promise<Event[]>;
  /** Asset observations of an address (Nmap imports, passive observations, the user's inventory). */
  assets(addr: string): Promise<Asset[]>;
  /** The rule text of a signature, when a loaded ruleset has it. */
  rule(sid: number, gid?: number): Rule | undefined;
}

/** What the steps of triage produce for one group of alerts, before disposition. */
export type AlarmSteps = Pick<Alarm, 'connection' | 'rule' | 'response' | 'relevance'>;
