/**
 * The detection stage of `analyze`: every flow, packet, session and event of
 * the run passes through here; at the end it returns the findings (from the
 * detectors and the tool fingerprints), the incidents that join them per
 * source, and what the run's sources could see (for coverage).
 */

import { createArpContacts } from '../detect/core/from-arp.js';
import { authFromEvent, contactFromEvent } from '../detect/core/from-event.js';
import { contactFromFlow } from '../detect/core/from-flow.js';
import { createNetflowPairer, isUnidirectionalFlow } from '../detect/core/netflow-pair.js';
import { attachTools } from '../detect/fingerprint/attach.js';
import {
  type AppFingerprinter,
  createAppFingerprinter,
  createPacketFingerprinter,
  type ToolSighting,
  toolFindings,
} from '../detect/fingerprint/index.js';
import { buildIncidents, createAddressSummaries } from '../detect/incident/index.js';
import type { Event, SourceKind } from '../schema/event.js';
import type { Finding, Incident, ScannerLabel } from '../schema/finding.js';
import type { FlowRecord } from '../schema/flow.js';
import type { DecodedPacket } from '../schema/packet.js';
import type { ProblemLog } from '../schema/problem.js';
import type { HttpTransaction, SshBanner } from '../schema/session.js';
import {
  createSiteSourcesBuilder,
  type SiteCoverage,
  siteCoverage,
  withCoverage,
} from '../triage/coverage/index.js';
import type { SiteSources } from '../triage/coverage/site.js';
import { createDetectorRun, type DetectorRun } from './detect-run.js';

export interface AnalysisDetectionOptions {
  problems: ProblemLog;
  /** Bytes for all detector state (default 256 MiB). */
  budgetBytes?: number;
  /** Per detector name, its configuration. */
  config?: Readonly<Record<string, unknown>>;
  scannerLabel?(addr: string): ScannerLabel | undefined;
}

export interface AnalysisDetectionResult {
  findings: Finding[];
  incidents: Incident[];
  site: SiteSources;
  siteCoverage: SiteCoverage;
  stats: Record<string, unknown>;
}

export interface AnalysisDetection {
  input(sourceKind: SourceKind, path: string, format: string): void;
  flow(f: FlowRecord): void;
  packet(p: DecodedPacket): void;
  http(tx: HttpTransaction): void;
  ssh(b: SshBanner): void;
  event(e: Event): void;
  finish(): AnalysisDetectionResult;
}

/** Seconds a NetFlow record waits for its reverse record; exporters flush active flows every 60 s or so. */
const NETFLOW_HOLD_SECONDS = 120;
const NETFLOW_MAX_HELD = 200_000;
const ARP_HOLD_SECONDS = 5;

/**
 * @example
 * const det = createAnalysisDetection({ problems });
 * det.flow(flow); det.event(e);
 * const { findings, incidents } = det.finish();
 */
export function createAnalysisDetection(opts: AnalysisDetectionOptions): AnalysisDetection {
  const run: DetectorRun = createDetectorRun({
    problems: opts.problems,
    budgetBytes: opts.budgetBytes,
    config: opts.config,
    scannerLabel: opts.scannerLabel,
  });
  const pairer = createNetflowPairer({
    holdSeconds: NETFLOW_HOLD_SECONDS,
    maxHeld: NETFLOW_MAX_HELD,
    onContact: (c) => run.contact(c),
  });
  const arp = createArpContacts({ holdSeconds: ARP_HOLD_SECONDS, onContact: (c) => run.contact(c) });
  const packets = createPacketFingerprinter();
  const apps = new Map<SourceKind, AppFingerprinter>();
  const app = (kind: SourceKind) => {
    let a = apps.get(kind);
    if (!a) {
      a = createAppFingerprinter();
      apps.set(kind, a);
    }
    return a;
  };
  const addresses = createAddressSummaries();
  const site = createSiteSourcesBuilder();
  let pairedSince = 0;

  return {
    input: (kind, path, format) => site.input(kind, path, format),
    flow(f) {
      const c = contactFromFlow(f);
      run.contact(c);
      site.flow(f);
      if (!c.errorReply) addresses.connection(c.src, c.dst, c.ts, c.outcome === 'rejected', 'pcap');
    },
    packet(p) {
      packets.packet(p);
      arp.packet(p);
    },
    http: (tx) => app('pcap').http(tx),
    ssh: (b) => app('pcap').ssh(b),
    event(e) {
      site.event(e);
      addresses.event(e);
      app(e.source.kind).event(e);
      if (isUnidirectionalFlow(e)) {
        pairer.add(e);
        if (++pairedSince >= 4096) {
          pairedSince = 0;
          pairer.advance(e.ts);
        }
        return;
      }
      const c = contactFromEvent(e);
      if (c) run.contact(c);
      const a = authFromEvent(e);
      if (a) run.auth(a);
    },
    finish() {
      pairer.finish();
      arp.finish();
      packets.finish();
      const detected = run.finish();
      const toolsByKind = new Map<SourceKind, Map<string, ToolSighting[]>>([['pcap', packets.tools()]]);
      for (const [kind, a] of apps) mergeInto(toolsByKind, kind, a.tools());
      attachTools(detected, toolsByKind);
      const findings = [...detected];
      for (const [kind, tools] of toolsByKind)
        findings.push(...toolFindings(tools, kind, { scannerLabel: opts.scannerLabel }));
      findings.sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));

      const allTools = new Map<string, ToolSighting[]>();
      for (const tools of toolsByKind.values())
        for (const [src, list] of tools) allTools.set(src, [...(allTools.get(src) ?? []), ...list]);
      const siteSources = site.build();
      const incidents = withCoverage(
        buildIncidents({
          findings,
          addresses: addresses.summaries(),
          tools: allTools,
          scannerLabel: opts.scannerLabel,
        }),
        findings,
        siteSources,
      );
      return {
        findings,
        incidents,
        site: siteSources,
        siteCoverage: siteCoverage(siteSources),
        stats: {
          detectors: run.stats(),
          netflowPairing: pairer.stats(),
          arp: arp.stats(),
          packetFingerprints: packets.stats(),
          addresses: addresses.stats(),
        },
      };
    },
  };
}

function mergeInto(
  into: Map<SourceKind, Map<string, ToolSighting[]>>,
  kind: SourceKind,
  tools: Map<string, ToolSighting[]>,
): void {
  const have = into.get(kind);
  if (!have) {
    into.set(kind, tools);
    return;
  }
  for (const [src, list] of tools) have.set(src, [...(have.get(src) ?? []), ...list]);
}
