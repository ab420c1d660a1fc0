/**
 * What a source's probes add up to, decided in one place so the sweep,
 * port-scan and UDP-scan detectors never report the same probes twice:
 *
 * - a port is SWEPT when enough distinct hosts got it;
 * - a host is SCANNED when it got enough distinct ports, not all of them swept ones;
 * - the source made a BLOCK scan when more ports were swept than a sweep
 *   may have (sweepMaxPorts), when more hosts were scanned than a port scan
 *   may have (portScanMaxHosts), or when neither view crosses but the source
 *   reached many hosts AND many ports with mostly failed probes (a scan
 *   spread thin over random host:port pairs).
 * A block scan is one finding and suppresses the sweeps and port scans it is
 * made of; otherwise each swept port set is one sweep and each scanned host
 * one port scan.
 */
import type { HostTally, PortTally, ProbeView } from './probe-view.js';
import type { ScanShapeConfig } from './scan-config.js';
import { mostlyFailing, reportedOutcomes } from './tally.js';

export interface ScanShape {
  sweptPorts: PortTally[];
  scannedHosts: HostTally[];
  /** Why this is a block scan, or '' when it is not one. */
  block: string;
}

export interface ShapeOptions {
  /** Count only the "failing" thresholds (UDP: answered datagrams are mostly ordinary traffic). */
  requireFailing?: boolean;
}

/** True when one port's host count crosses a sweep threshold. */
export function isSweptPort(pt: PortTally, cfg: ScanShapeConfig, opts: ShapeOptions = {}): boolean {
  const hosts = pt.hosts.count();
  const failing = mostlyFailing(reportedOutcomes(pt), cfg.failingShare);
  if (failing && hosts >= Math.min(cfg.sweepMinHostsFailing, cfg.sweepMinHosts)) return true;
  return !opts.requireFailing && hosts >= cfg.sweepMinHosts;
}

/**
 * True when one host's port count crosses a port-scan threshold. A host
 * that got nothing but the swept ports (the few ports of a multi-port
 * sweep) was swept, not port-scanned.
 */
export function isScannedHost(
  ht: HostTally,
  cfg: ScanShapeConfig,
  opts: ShapeOptions = {},
  swept: readonly number[] = [],
): boolean {
  const ports = ht.ports.count();
  if (swept.length && sweptPortsOf(ht, swept) === ports) return false;
  const failing = mostlyFailing(reportedOutcomes(ht), cfg.failingShare);
  if (failing && ports >= Math.min(cfg.portScanMinPortsFailing, cfg.portScanMinPorts)) return true;
  return !opts.requireFailing && ports >= cfg.portScanMinPorts;
}

/**
 * @example
 * const s = scanShape(view, cfg);
 * if (s.block) report block scan; else for (const pt of s.sweptPorts) …
 */
export function scanShape(v: ProbeView, cfg: ScanShapeConfig, opts: ShapeOptions = {}): ScanShape {
  const sweptPorts: PortTally[] = [];
  for (const pt of v.byPort.values()) if (isSweptPort(pt, cfg, opts)) sweptPorts.push(pt);
  const swept = sweptPorts.length <= cfg.sweepMaxPorts ? sweptPorts.map((p) => p.port) : [];
  const scannedHosts: HostTally[] = [];
  for (const ht of v.byHost.values()) if (isScannedHost(ht, cfg, opts, swept)) scannedHosts.push(ht);
  let block = '';
  if (sweptPorts.length > cfg.sweepMaxPorts)
    block = `${sweptPorts.length} ports each swept across hosts (a sweep has at most ${cfg.sweepMaxPorts})`;
  else if (scannedHosts.length > cfg.portScanMaxHosts)
    block = `${scannedHosts.length} hosts each port-scanned (a port scan covers at most ${cfg.portScanMaxHosts})`;
  else if (
    sweptPorts.length === 0 &&
    scannedHosts.length === 0 &&
    v.hosts.count() >= cfg.sweepMinHosts &&
    v.ports.count() >= cfg.portScanMinPorts &&
    mostlyFailing(reportedOutcomes(v.all), cfg.failingShare)
  )
    block = `${v.hosts.count()} hosts and ${v.ports.count()} ports with mostly failed probes, spread too thin for any one port or host to cross`;
  return { sweptPorts, scannedHosts, block };
}

/** How many of the swept ports this host got (its port sample is exact up to 64 ports; past that assume all). */
function sweptPortsOf(ht: HostTally, swept: readonly number[]): number {
  if (swept.length === 0) return 0;
  const sample = ht.ports.sample();
  if (ht.ports.count() > sample.length) return swept.length;
  let n = 0;
  for (const p of swept) if (sample.includes(p)) n++;
  return n;
}
