/**
 * Flag scans: TCP probes whose flags no connection would send (NULL, bare
 * FIN, Xmas) or that map a firewall rather than open a connection (ACK,
 * Maimon's FIN+ACK). Against RFC 793 stacks a closed port answers RST and an
 * open one stays silent, so the outcomes read: rejected = closed,
 * unanswered = open or filtered. Works on capture flows (the OR of the
 * originator's flags) and on firewall logs (the flags each line names).
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact, FlagClass } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { createDistinctCounter, type DistinctCounter } from '../core/distinct.js';
import { pushCapped } from '../core/finding-util.js';
import { buildScanFinding, describePorts, severityFor } from '../port-scan/finding.js';
import { PortSet } from '../port-scan/port-set.js';
import { createScanTable } from '../port-scan/scan-table.js';
import { addToTally, mostlyFailing, reportedOutcomes, Tally, tallyBytes } from '../port-scan/tally.js';
import type { FlagScanConfig } from './config.js';

type ScanFlagClass = Extract<FlagClass, 'null' | 'fin' | 'xmas' | 'ack' | 'maimon'>;

const strictClasses: readonly FlagClass[] = ['null', 'fin', 'xmas'];
const looseClasses: readonly FlagClass[] = ['ack', 'maimon'];

const classNames: Record<ScanFlagClass, string> = {
  null: 'NULL (no flags)',
  fin: 'FIN (FIN alone)',
  xmas: 'Xmas (FIN, PSH and URG)',
  ack: 'ACK (ACK alone)',
  maimon: 'Maimon (FIN and ACK)',
};

class FlagState extends Tally {
  readonly hosts: DistinctCounter = createDistinctCounter({ exactLimit: 1024 });
  readonly ports: DistinctCounter = new PortSet();
  /** Targets that stayed silent: open or filtered ports. */
  silent: string[] = [];
  bytes = 0;
}

const SILENT_CAP = 32;
const SILENT_ENTRY_BYTES = 56;

/** The flag class a contact probes with, or undefined when it is no flag probe. */
export function scanFlagClass(c: Contact): ScanFlagClass | undefined {
  if (c.proto !== 'tcp' || c.errorReply || c.established || !c.flagClass) return undefined;
  if (strictClasses.includes(c.flagClass)) return c.flagClass as ScanFlagClass;
  if (!looseClasses.includes(c.flagClass)) return undefined;
  // A lone ACK or FIN-ACK from a service port to a client port is the tail of a session the
  // flow table (or log) saw only the end of, not a probe.
  if (c.srcPort >= 0 && c.srcPort < 1024 && c.dstPort >= 1024) return undefined;
  return c.flagClass as ScanFlagClass;
}

interface SourceState {
  classes: Map<ScanFlagClass, FlagState>;
  /** NULL, FIN and Xmas probes together: one of each is as telling as two of one. */
  strictProbes: number;
  bytes: number;
}

const SOURCE_BASE_BYTES = 120;

function createFlagState(): FlagState {
  const s = new FlagState();
  s.bytes = tallyBytes(s) + s.hosts.bytes + s.ports.bytes;
  return s;
}

/**
 * @example
 * const inst = createFlagScan(flagScanConfigSchema.parse({}), ctx);
 */
export function createFlagScan(cfg: FlagScanConfig, ctx: DetectorContext): DetectorInstance {
  let findings = 0;
  const table = createScanTable<SourceState>({
    idleSeconds: cfg.idleSeconds,
    maxSpanSeconds: cfg.maxSpanSeconds,
    budgetBytes: ctx.budgetBytes,
    make: () => ({ classes: new Map(), strictProbes: 0, bytes: SOURCE_BASE_BYTES }),
    sizeOf: (src) => src.bytes,
    onClose: (src, st) => {
      for (const [cls, s] of st.classes) {
        const f = flagScanFinding(src, cls, s, st.strictProbes, cfg, ctx);
        if (f) {
          findings++;
          ctx.emit(f);
        }
      }
    },
  });
  return {
    contact(c: Contact) {
      const cls = scanFlagClass(c);
      if (!cls) return;
      const st = table.get(c.src, c.ts);
      let s = st.classes.get(cls);
      if (!s) {
        s = createFlagState();
        st.classes.set(cls, s);
        st.bytes += s.bytes;
      }
      if (strictClasses.includes(cls)) st.strictProbes++;
      const target = `${c.dst}:${c.dstPort}`;
      const before = s.hosts.bytes + s.ports.bytes + s.silent.length * SILENT_ENTRY_BYTES;
      st.bytes += addToTally(s, c);
      s.hosts.add(c.dst);
      if (c.dstPort >= 0) s.ports.add(c.dstPort);
      if (c.outcome === 'unanswered') pushCapped(s.silent, target, SILENT_CAP);
      st.bytes += s.hosts.bytes + s.ports.bytes + s.silent.length * SILENT_ENTRY_BYTES - before;
      table.touched(c.src);
    },
    advance: (now) => table.advance(now),
    finish: () => table.finish(),
    stats: () => table.stats(findings),
  };
}

/** The finding one source's probes of one flag class make, or undefined below the thresholds. */
export function flagScanFinding(
  src: string,
  cls: ScanFlagClass,
  s: FlagState,
  strictProbes: number,
  cfg: FlagScanConfig,
  ctx: DetectorContext,
): Finding | undefined {
  const outcomes = reportedOutcomes(s);
  const strict = strictClasses.includes(cls);
  const portCount = s.ports.count();
  if (
    strict
      ? strictProbes < cfg.minProbes
      : portCount < cfg.minPortsAckMaimon || !mostlyFailing(outcomes, cfg.failingShare)
  )
    return undefined;
  const hostCount = s.hosts.count();
  const ports = s.ports.sample() as number[];
  const closed = outcomes.rejected;
  const silent = outcomes.unanswered;
  const reading =
    cls === 'ack'
      ? 'an RST means the port is unfiltered, silence that a firewall dropped it'
      : `closed ports answer RST (${closed}), open or filtered ones stay silent (${silent}${s.silent.length ? `: ${s.silent.slice(0, 8).join(', ')}` : ''})`;
  const f = buildScanFinding({
    kind: 'flag-scan',
    detector: 'flag-scan',
    ctx,
    src,
    tally: s,
    hosts: { sample: s.hosts.sample() as string[], count: hostCount, estimated: s.hosts.estimated },
    ports: { sample: ports, count: portCount, estimated: false },
    proto: 'tcp',
    discriminator: cls,
    what: `${src} sent ${s.contacts} TCP ${classNames[cls]} probe${s.contacts === 1 ? '' : 's'} to ${portCount} port${portCount === 1 ? '' : 's'} (${describePorts(ports, portCount)}) on ${hostCount} host${hostCount === 1 ? '' : 's'}`,
    why: `${strict ? `flag scan: ${strictProbes} NULL, FIN or Xmas probes from this source, flags no TCP connection sends (threshold ${cfg.minProbes})` : `flag scan: ${portCount} distinct ports (threshold ${cfg.minPortsAckMaimon}) with mostly failed probes`}; ${reading}`,
    attrs: { flagClass: cls, closed, openOrFiltered: silent },
  });
  // Crafted flags show intent to evade or map a firewall: at least low.
  f.severityId = Math.max(2, severityFor(outcomes));
  return f;
}
