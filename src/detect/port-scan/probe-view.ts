/**
 * One source's (or one group's) probes seen two ways at once: per target
 * port (how many hosts got it: the sweep view) and per target host (how many
 * ports it got: the vertical view), plus totals. Per-port and per-host
 * tallies are kept for the first `trackPorts`/`trackHosts` seen; the rest
 * count in the totals only, so one view's memory is bounded whatever the
 * source does.
 */
import type { Contact } from '../core/contact.js';
import type { DistinctCounter } from '../core/distinct.js';
import { LazyCounter, PortSet } from './port-set.js';
import { addToCounts, addToTally, Counts, createTally, Tally, tallyBytes, UID_CAP } from './tally.js';

/** Host counters: exact up to 256 hosts (a /24), then a 1 KiB sketch (3.3% error). */
const HOST_COUNTER = { exactLimit: 256, sampleLimit: 32, precision: 10 };

/** Per-port record: counts and the first evidence uids; answered targets live in the view's totals. */
export class PortTally extends Counts {
  readonly hosts: DistinctCounter = new LazyCounter(HOST_COUNTER);
  /** UDP probes without payload (pings rather than service questions). */
  empty = 0;
  uids: string[] = [];
  constructor(readonly port: number) {
    super();
  }
}

export class HostTally extends Tally {
  readonly ports: DistinctCounter = new PortSet();
  constructor(readonly host: string) {
    super();
  }
}

export interface ProbeView {
  all: Tally;
  hosts: DistinctCounter;
  ports: DistinctCounter;
  byPort: Map<number, PortTally>;
  byHost: Map<string, HostTally>;
  /** Protocols seen ('tcp', 'udp' ...), usually one. */
  protos: string[];
  /** Approximate heap bytes, kept up to date by `addProbe`. */
  bytes: number;
}

const VIEW_BASE_BYTES = 400;
const PORT_TALLY_BYTES = 200;
const UID_BYTES = 56;
/** Evidence uids kept per port (a sweep finding merges its ports' lists up to 20). */
const PORT_UID_CAP = UID_CAP;
const MAP_SLOT_BYTES = 64;

/** @example const v = createProbeView(); addProbe(v, contact, 64, 64); v.byPort.get(22)?.hosts.count() */
export function createProbeView(): ProbeView {
  const v: ProbeView = {
    all: createTally(),
    hosts: new LazyCounter({ exactLimit: 1024, sampleLimit: 32, precision: 10 }),
    ports: new PortSet(),
    byPort: new Map(),
    byHost: new Map(),
    protos: [],
    bytes: 0,
  };
  v.bytes = VIEW_BASE_BYTES + tallyBytes(v.all) + v.hosts.bytes + v.ports.bytes;
  return v;
}

/** Adds one probe to every part of the view and keeps `bytes` current. */
export function addProbe(v: ProbeView, c: Contact, trackPorts: number, trackHosts: number): void {
  let grow = addToTally(v.all, c);
  grow += counted(v.hosts, c.dst) + counted(v.ports, c.dstPort);
  if (!v.protos.includes(c.proto)) v.protos.push(c.proto);

  let pt = v.byPort.get(c.dstPort);
  if (!pt && v.byPort.size < trackPorts) {
    pt = new PortTally(c.dstPort);
    v.byPort.set(c.dstPort, pt);
    grow += MAP_SLOT_BYTES + PORT_TALLY_BYTES + pt.hosts.bytes;
  }
  if (pt) {
    addToCounts(pt, c);
    if (pt.uids.length < PORT_UID_CAP) {
      pt.uids.push(c.uid);
      grow += UID_BYTES;
    }
    grow += counted(pt.hosts, c.dst);
    if (c.proto === 'udp' && c.origBytes === 0) pt.empty++;
  }

  let ht = v.byHost.get(c.dst);
  if (!ht && v.byHost.size < trackHosts) {
    ht = new HostTally(c.dst);
    v.byHost.set(c.dst, ht);
    grow += MAP_SLOT_BYTES + c.dst.length * 2 + tallyBytes(ht) + ht.ports.bytes;
  }
  if (ht) grow += addToTally(ht, c) + counted(ht.ports, c.dstPort);
  v.bytes += grow;
}

/**
 * An ICMP error from `c.dst` about one of this source's probes: a rejection
 * of that host's probes (and of the port's, when only one port is tracked).
 * It may arrive before the probe it answers (flows are emitted in the order
 * they end), so it creates the host's record when there is room.
 */
export function addErrorReply(v: ProbeView, c: Contact, trackHosts: number): void {
  const n = errorCount(c);
  v.all.errorReplies += n;
  let ht = v.byHost.get(c.dst);
  if (!ht && v.byHost.size < trackHosts) {
    ht = new HostTally(c.dst);
    v.byHost.set(c.dst, ht);
    v.bytes += MAP_SLOT_BYTES + c.dst.length * 2 + tallyBytes(ht) + ht.ports.bytes;
  }
  if (ht) ht.errorReplies += n;
  if (v.byPort.size === 1) for (const pt of v.byPort.values()) pt.errorReplies += n;
}

/**
 * How many ICMP errors one error contact stands for: a flow table folds the
 * errors one host sends another into one ICMP flow, whose packets are the
 * errors (the error sender is that flow's originator).
 */
export function errorCount(c: Contact): number {
  return Math.max(c.origPkts, 1);
}

/** Adds a value and returns how many bytes the counter grew by. */
function counted(counter: DistinctCounter, value: string | number): number {
  const before = counter.bytes;
  counter.add(value);
  return counter.bytes - before;
}
