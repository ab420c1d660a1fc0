/**
 * Where a network sensor sits relative to the firewall, inferred from the
 * run itself: a sensor that holds packets the firewall log says it denied
 * sees traffic before the firewall; a sensor that saw a denied source's
 * other traffic but none of its denied packets sits behind it.
 */
import type { SourceKind } from '../../schema/event.js';
import type { SensorPosition } from './site.js';

export interface PositionEvidence {
  /** A packet the firewall log denied. */
  denied(src: string, dst: string, port: number | undefined): void;
  /** A conversation a network sensor saw. */
  seen(kind: SourceKind, src: string, dst: string, port: number | undefined): void;
  infer(kind: SourceKind): { position: SensorPosition; basis: string };
}

const key = (src: string, dst: string, port: number | undefined) => `${src}>${dst}:${port ?? '-'}`;

/**
 * @example
 * const ev = createPositionEvidence();
 * ev.denied('10.99.1.66', '10.99.0.23', 22); ev.seen('pcap', '10.99.1.66', '10.99.0.11', 22);
 * ev.infer('pcap').position // 'behind-firewall'
 */
export function createPositionEvidence(maxTuples = 65_536): PositionEvidence {
  const denied = new Set<string>();
  const deniedSources = new Set<string>();
  let deniedCut = false;
  const sensors = new Map<SourceKind, { tuples: Set<string>; sources: Set<string>; cut: boolean }>();

  return {
    denied(src, dst, port) {
      if (denied.size >= maxTuples) {
        deniedCut = true;
        return;
      }
      denied.add(key(src, dst, port));
      deniedSources.add(src);
    },
    seen(kind, src, dst, port) {
      let s = sensors.get(kind);
      if (!s) {
        s = { tuples: new Set(), sources: new Set(), cut: false };
        sensors.set(kind, s);
      }
      if (s.tuples.size >= maxTuples) s.cut = true;
      else s.tuples.add(key(src, dst, port));
      if (s.sources.size < maxTuples) s.sources.add(src);
    },
    infer(kind) {
      const s = sensors.get(kind);
      if (!s || denied.size === 0)
        return { position: 'unknown', basis: 'no firewall denies to compare with' };
      let inBoth = 0;
      for (const d of denied) if (s.tuples.has(d)) inBoth++;
      if (inBoth > 0)
        return {
          position: 'outside-firewall',
          basis: `it holds ${inBoth} of the ${denied.size} conversations the firewall log denied`,
        };
      const shared = [...deniedSources].filter((src) => s.sources.has(src));
      if (shared.length > 0 && !s.cut && !deniedCut)
        return {
          position: 'behind-firewall',
          basis: `it saw other traffic of ${shared.slice(0, 3).join(', ')} but none of the ${denied.size} conversations the firewall log denied`,
        };
      return { position: 'unknown', basis: 'no source both denied by the firewall and seen by this sensor' };
    },
  };
}
