/**
 * Builds a run's SiteSources from what it reads: every event and capture
 * flow passes through, and the builder keeps, per source kind, times, counts
 * and bounded sets of what the source can see.
 */
import type { Event, SourceKind } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import { createPositionEvidence } from './position.js';
import { widePrefix } from './prefix.js';
import type { SensorPosition, SiteSource, SiteSources } from './site.js';

export interface SiteSourcesOptions {
  /** Exact addresses kept per source kind before falling back to /24 and /64 prefixes (default 4096). */
  maxAddresses?: number;
  /** Firewall destinations, ports and host:port pairs kept (default 4096 each). */
  maxLogged?: number;
  /** Host names, servers and vhosts kept per source kind (default 256). */
  maxNames?: number;
  /**
   * Where network sensors sit relative to the firewall, per source kind, when
   * the user says so; otherwise inferred from the firewall's denies (position.ts).
   */
  positions?: Partial<Record<SourceKind, SensorPosition>>;
  /** Conversations kept per sensor (and denies) for that inference (default 65,536). */
  maxTuples?: number;
}

export interface SiteSourcesBuilder {
  /** A file (or listener) the run reads for this source kind. */
  input(sourceKind: SourceKind, path: string, format: string): void;
  event(e: Event): void;
  /** A capture flow (source kind 'pcap' unless told). */
  flow(f: FlowRecord, sourceKind?: SourceKind): void;
  build(): SiteSources;
}

/** A set that keeps exact values up to a limit, then wide prefixes, then gives up and says so. */
class AddressSet {
  exact = new Set<string>();
  wide: Set<string> | undefined;
  truncated = false;
  constructor(private readonly max: number) {}
  add(addr: string): void {
    if (this.wide === undefined) {
      if (this.exact.has(addr)) return;
      if (this.exact.size < this.max) {
        this.exact.add(addr);
        return;
      }
      this.wide = new Set();
      for (const a of this.exact) this.addWide(a);
      this.exact.clear();
    }
    this.addWide(addr);
  }
  private addWide(addr: string): void {
    const p = widePrefix(addr) ?? addr;
    if (this.wide!.has(p)) return;
    if (this.wide!.size < this.max) this.wide!.add(p);
    else this.truncated = true;
  }
  list(): string[] {
    return [...(this.wide ?? this.exact)];
  }
}

function bounded<T>(set: Set<T>, value: T, max: number): boolean {
  if (set.has(value)) return true;
  if (set.size >= max) return false;
  set.add(value);
  return true;
}

interface KindState {
  kind: SourceKind;
  inputs: Map<string, string>;
  records: number;
  first: number;
  last: number;
  addresses: AddressSet;
  pairs: Set<string>;
  destinations: AddressSet;
  ports: Set<number>;
  loggedTruncated: boolean;
  logsAllowed: boolean;
  servers: Set<string>;
  hostNames: Set<string>;
  vhosts: Set<string>;
}

const NETWORK: ReadonlySet<SourceKind> = new Set(['pcap', 'netflow', 'zeek', 'eve', 'snort', 'listener']);

/**
 * @example
 * const site = createSiteSourcesBuilder();
 * site.input('sshd', 'auth.log', 'openssh');
 * for (const e of events) site.event(e);
 * await store.finishRun(runId, { ...summary, siteSources: site.build() });
 */
export function createSiteSourcesBuilder(opts: SiteSourcesOptions = {}): SiteSourcesBuilder {
  const maxAddresses = opts.maxAddresses ?? 4096;
  const maxLogged = opts.maxLogged ?? 4096;
  const maxNames = opts.maxNames ?? 256;
  const kinds = new Map<SourceKind, KindState>();
  const position = createPositionEvidence(opts.maxTuples);

  function stateOf(kind: SourceKind): KindState {
    let s = kinds.get(kind);
    if (!s) {
      s = {
        kind,
        inputs: new Map(),
        records: 0,
        first: Number.POSITIVE_INFINITY,
        last: Number.NEGATIVE_INFINITY,
        addresses: new AddressSet(maxAddresses),
        pairs: new Set(),
        destinations: new AddressSet(maxLogged),
        ports: new Set(),
        loggedTruncated: false,
        logsAllowed: false,
        servers: new Set(),
        hostNames: new Set(),
        vhosts: new Set(),
      };
      kinds.set(kind, s);
    }
    return s;
  }

  function seen(s: KindState, ts: number): void {
    s.records++;
    if (Number.isFinite(ts)) {
      if (ts < s.first) s.first = ts;
      if (ts > s.last) s.last = ts;
    }
  }

  function firewall(s: KindState, e: Event): void {
    if (e.type === 'firewall-allow') s.logsAllowed = true;
    if (e.dst === undefined) return;
    s.destinations.add(e.dst);
    if (e.dstPort !== undefined) {
      if (!bounded(s.ports, e.dstPort, maxLogged)) s.loggedTruncated = true;
      if (!bounded(s.pairs, `${e.dst}:${e.dstPort}`, maxLogged)) s.loggedTruncated = true;
    }
  }

  return {
    input(kind, path, format) {
      const s = stateOf(kind);
      if (s.inputs.size < maxNames) s.inputs.set(path, format);
    },
    event(e) {
      const s = stateOf(e.source.kind);
      seen(s, e.ts);
      if (e.source.file !== undefined && !s.inputs.has(e.source.file) && s.inputs.size < maxNames)
        s.inputs.set(e.source.file, e.source.format);
      if (e.source.host !== undefined) bounded(s.hostNames, e.source.host, maxNames);
      if (NETWORK.has(s.kind)) {
        s.addresses.add(e.src);
        if (e.dst !== undefined) {
          s.addresses.add(e.dst);
          position.seen(s.kind, e.src, e.dst, e.dstPort);
        }
      }
      if (s.kind === 'firewall') {
        firewall(s, e);
        if (e.type === 'firewall-deny' && e.dst !== undefined) position.denied(e.src, e.dst, e.dstPort);
      }
      if (s.kind === 'sshd' && e.type === 'ssh-listen') bounded(s.servers, e.src, maxNames);
      if (s.kind === 'weblog' && e.http?.host) bounded(s.vhosts, e.http.host, maxNames);
    },
    flow(f, kind = 'pcap') {
      const s = stateOf(kind);
      seen(s, f.ts);
      if (f.source !== undefined && !s.inputs.has(f.source) && s.inputs.size < maxNames)
        s.inputs.set(f.source, kind);
      s.addresses.add(f.origH);
      s.addresses.add(f.respH);
      position.seen(kind, f.origH, f.respH, f.proto === 'icmp' ? undefined : f.respP);
    },
    build() {
      const sources: SiteSource[] = [];
      for (const s of kinds.values()) {
        const out: SiteSource = {
          sourceKind: s.kind,
          inputs: [...s.inputs].map(([path, format]) => ({ path, format })),
          records: s.records,
        };
        if (s.records > 0 && Number.isFinite(s.first)) out.span = { first: s.first, last: s.last };
        if (NETWORK.has(s.kind)) {
          out.addresses = s.addresses.list();
          if (s.addresses.truncated) out.addressesTruncated = true;
          const told = opts.positions?.[s.kind];
          const inferred = told ? { position: told, basis: 'configured' } : position.infer(s.kind);
          out.position = inferred.position;
          out.positionBasis = inferred.basis;
        }
        if (s.kind === 'firewall') {
          out.loggedPairs = [...s.pairs];
          out.loggedDestinations = s.destinations.list();
          out.loggedPorts = [...s.ports].sort((a, b) => a - b);
          out.logsAllowed = s.logsAllowed;
          if (s.loggedTruncated || s.destinations.truncated) out.loggedTruncated = true;
        }
        if (s.kind === 'sshd') out.servers = [...s.servers];
        if (s.kind === 'weblog') out.vhosts = [...s.vhosts];
        if (s.hostNames.size) out.hostNames = [...s.hostNames];
        sources.push(out);
      }
      return { sources: sources.sort((a, b) => a.sourceKind.localeCompare(b.sourceKind)) };
    },
  };
}
