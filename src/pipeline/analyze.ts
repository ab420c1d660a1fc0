import { join } from 'node:path';
import { type AppSessionOptions, createAppSession } from '../decode/app/session.js';
import { createDecoder, type DecodeStats } from '../decode/index.js';
import { createReassemblyStats } from '../decode/reassembly.js';
import { createFlowTable, toZeekJson } from '../flow/index.js';
import { toEcs, toOcsf } from '../normalize/export.js';
import { openCapture } from '../read/index.js';
import type { Rule } from '../rules/ast.js';
import type { Alert } from '../rules/engine/alert.js';
import { createDetectEngine, type DetectEngine } from '../rules/engine/engine.js';
import { createRuleGate } from '../rules/engine/rule-gate.js';
import { createEveWriter, type EveWriter } from '../rules/output/eve.js';
import type { ThresholdEntry } from '../rules/parse/threshold-config.js';
import type { Event } from '../schema/event.js';
import type { FlowRecord } from '../schema/flow.js';
import { IpProto } from '../schema/packet.js';
import type { Problem } from '../schema/problem.js';
import type { HttpTransaction, ReassemblyStats, SshBanner } from '../schema/session.js';
import type { Store } from '../store/store.js';
import { createProblemLog } from '../util/problems.js';
import { alertEvent } from './alert-events.js';
import { type AnalysisDetectionOptions, createAnalysisDetection } from './analyze-detect.js';
import { writeDetection } from './analyze-detect-output.js';
import { analyzeLog } from './analyze-log.js';
import { analyzeNetflow } from './analyze-netflow.js';
import { analyzeNfcapd } from './analyze-nfcapd.js';
import { analyzeNfdumpCsv } from './analyze-nfdump.js';
import { analyzeNmapXml } from './analyze-nmap.js';
import { createAlertCollector } from './analyze-triage.js';
import { runTriage } from './analyze-triage-run.js';
import type { AnalyzeOptions, AnalyzeSummary, EventFormat } from './analyze-types.js';
import { createEventSink } from './event-sink.js';
import { fingerprintFile } from './fingerprint.js';
import { resolveInputs, type Unrecognised } from './inputs.js';
import { createJsonlWriter, type JsonlWriter } from './jsonl-writer.js';

export type {
  AnalyzeOptions,
  AnalyzeProgress,
  AnalyzeSummary,
  EventFormat,
  InputSummary,
} from './analyze-types.js';

const eventMappers: Record<EventFormat, ((e: Event) => unknown) | undefined> = {
  picket: undefined,
  ocsf: toOcsf,
  ecs: toEcs,
};

const BATCH = 10_000;
const PROGRESS_EVERY = 1 << 16;

/**
 * The default job: read every capture, decode, build Zeek-style flows with
 * HTTP and SSH sessions, store them and summarise.
 *
 * @example
 * const summary = await analyze({ inputs: ['examples/lab'], store, outDir: 'out' });
 */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeSummary> {
  const started = performance.now();
  const { inputs, unrecognised } = resolveInputs(opts.inputs);
  const problems = createProblemLog();
  // Built first: an unusable detector configuration fails before a run is recorded.
  const detection =
    opts.detect === false ? undefined : createAnalysisDetection({ problems, ...(opts.detect ?? {}) });
  const store = opts.store;
  const runId = store
    ? await store.beginRun({
        command: opts.command ?? 'analyze',
        inputs: inputs.map((i) => ({
          path: i.path,
          size: i.size,
          fingerprint: fingerprintFile(i.path, i.size),
        })),
      })
    : undefined;

  const flowsOut: JsonlWriter | undefined = opts.outDir
    ? createJsonlWriter(join(opts.outDir, 'flows.jsonl'))
    : undefined;
  const eventsOut: JsonlWriter | undefined = opts.outDir
    ? createJsonlWriter(join(opts.outDir, 'events.jsonl'), eventMappers[opts.eventFormat ?? 'picket'])
    : undefined;
  const summary: AnalyzeSummary = {
    inputs: [],
    unrecognised,
    packets: 0,
    bytes: 0,
    flows: 0,
    flowsByState: {},
    flowsByProto: {},
    topTalkers: [],
    http: 0,
    ssh: 0,
    events: 0,
    eventsByType: {},
    assets: 0,
    alerts: 0,
    alertsBySignature: {},
    findings: 0,
    findingsByKind: {},
    incidents: 0,
    topIncidents: [],
    decode: [],
    reassembly: createReassemblyStats(),
    problems: { total: 0, byCode: {}, samples: [] },
    outputs: {},
    elapsedMs: 0,
  };
  const talkers = new Map<string, { flows: number; bytes: number }>();
  const eveOut: EveWriter | undefined =
    opts.outDir && opts.rules ? createEveWriter(join(opts.outDir, 'eve.json')) : undefined;
  if (opts.rules)
    summary.rules = {
      source: opts.rules.source,
      loaded: opts.rules.rules.length,
      rejected: opts.rules.rejected ?? 0,
      regexBounded: 0,
      flowsEvicted: 0,
    };

  let pendingFlows: FlowRecord[] = [];
  let pendingHttp: HttpTransaction[] = [];
  let pendingSsh: SshBanner[] = [];
  const flushPending = async () => {
    if (!store) return;
    if (pendingFlows.length) await store.writeFlows(pendingFlows);
    if (pendingHttp.length) await store.writeHttp(pendingHttp);
    if (pendingSsh.length) await store.writeSsh(pendingSsh);
    pendingFlows = [];
    pendingHttp = [];
    pendingSsh = [];
  };

  const alertsForTriage = opts.triage === false ? undefined : createAlertCollector();
  const events = createEventSink({
    store,
    eventsOut,
    onEvent: (e) => {
      detection?.event(e);
      alertsForTriage?.add(e);
      summary.events++;
      summary.eventsByType[e.type] = (summary.eventsByType[e.type] ?? 0) + 1;
    },
  });

  try {
    for (let fi = 0; fi < inputs.length; fi++) {
      const input = inputs[fi]!;
      if (input.kind === 'nmap-xml') {
        const r = await analyzeNmapXml(input.path, { problems, store });
        summary.assets += r.assets;
        summary.inputs.push({
          path: input.path,
          format: r.format,
          bytes: input.size,
          packets: 0,
          flows: 0,
          assets: r.assets,
        });
        continue;
      }
      if (input.kind === 'nfcapd') {
        const r = await analyzeNfcapd(input.path, { problems, sink: events });
        await events.flush();
        const { format, lines, events: n } = r;
        summary.inputs.push({
          path: input.path,
          format,
          bytes: input.size,
          packets: 0,
          flows: 0,
          lines,
          events: n,
        });
        continue;
      }
      if (input.kind === 'nfdump-csv' || input.kind === 'log') {
        const r =
          input.kind === 'log'
            ? await analyzeLog(input, {
                problems,
                sink: events,
                onProgress: (bytesRead, size) =>
                  opts.onProgress?.({
                    file: input.path,
                    fileIndex: fi,
                    fileCount: inputs.length,
                    bytesRead,
                    size,
                    packets: 0,
                    flows: 0,
                  }),
              })
            : await analyzeNfdumpCsv(input.path, { problems, sink: events });
        await events.flush();
        summary.inputs.push({ path: input.path, bytes: input.size, packets: 0, flows: 0, ...r });
        continue;
      }
      if (input.kind === 'netflow-capture' || input.kind === 'netflow-payload') {
        // Export datagrams become NetFlow events; a capture with other traffic too is then read as traffic.
        const r = await analyzeNetflow(input, { problems, sink: events });
        summary.inputs.push({
          path: input.path,
          format: r.format,
          bytes: input.size,
          packets: r.packets,
          flows: 0,
          events: r.events,
        });
        if (r.otherFrames === 0) continue;
      }
      const reader = openCapture(input.path, problems);
      if (!reader) continue;
      detection?.input('pcap', input.path, reader.format);
      const decoder = createDecoder(problems, { file: input.path });
      let fileFlows = 0;
      const detect: DetectEngine | undefined = opts.rules
        ? createDetectEngine({
            rules: opts.rules.rules,
            gate: createRuleGate(opts.rules.thresholds ?? []),
            problems,
            file: input.path,
            onAlert: (a: Alert) => {
              summary.alerts++;
              const key = `${a.rule.sid} ${a.rule.msg}`;
              summary.alertsBySignature[key] = (summary.alertsBySignature[key] ?? 0) + 1;
              eveOut?.write(a);
              events.add(alertEvent(a));
            },
          })
        : undefined;
      // One options object for every session of this file: a session must cost nothing until it sees payload.
      const sessionOpts: AppSessionOptions = {
        problems,
        file: input.path,
        stats: summary.reassembly,
        onHttp: (tx) => {
          detection?.http(tx);
          summary.http++;
          if (store) pendingHttp.push(tx);
        },
        onSsh: (b) => {
          detection?.ssh(b);
          summary.ssh++;
          if (store) pendingSsh.push(b);
        },
      };
      const table = createFlowTable({
        source: input.path,
        maxFlows: opts.maxFlows,
        // Sessions parse TCP and UDP only; other protocols need no observer.
        observe: (proto) =>
          proto === IpProto.TCP || proto === IpProto.UDP ? createAppSession(sessionOpts) : undefined,
        onFlow: (flow) => {
          detection?.flow(flow);
          fileFlows++;
          countFlow(summary, talkers, flow);
          flowsOut?.write(toZeekJson(flow));
          if (store) pendingFlows.push(flow);
        },
      });
      let packets = 0;
      const progress = () =>
        opts.onProgress?.({
          file: input.path,
          fileIndex: fi,
          fileCount: inputs.length,
          bytesRead: reader.bytesRead,
          size: reader.size,
          packets,
          flows: fileFlows,
        });
      try {
        for (let frame = reader.next(); frame; frame = reader.next()) {
          packets++;
          summary.bytes += frame.origLen;
          const p = decoder.decode(frame);
          table.packet(p);
          detect?.packet(p);
          detection?.packet(p);
          if ((packets & (PROGRESS_EVERY - 1)) === 0) {
            progress();
            if (pendingFlows.length >= BATCH) await flushPending();
          }
        }
        table.flush();
        detect?.finish();
      } finally {
        reader.close();
      }
      if (detect && summary.rules) {
        summary.rules.regexBounded += detect.stats.regexBounded;
        summary.rules.flowsEvicted += detect.stats.flowsEvicted;
      }
      await events.flush();
      progress();
      await flushPending();
      summary.packets += packets;
      summary.decode.push(decoder.stats);
      summary.inputs.push({
        path: input.path,
        format: reader.format,
        bytes: input.size,
        packets,
        flows: fileFlows,
      });
    }
  } finally {
    flowsOut?.close();
    eventsOut?.close();
    eveOut?.close();
  }
  const detected = detection
    ? await writeDetection(detection.finish(), { summary, store, runId, outDir: opts.outDir })
    : undefined;
  if (alertsForTriage) {
    const t = await runTriage({
      collector: alertsForTriage,
      store,
      runId,
      outDir: opts.outDir,
      rules: opts.rules?.rules,
      referenceSystems: opts.rules?.references,
      classifications: opts.rules?.classifications,
      inventory: opts.triage ? opts.triage.inventory : undefined,
      incidents: detected?.incidents,
    });
    summary.triage = t.summary;
    if (opts.outDir && t.alarms.length) summary.outputs.alarms = join(opts.outDir, 'alarms.jsonl');
  }
  if (opts.outDir) {
    summary.outputs.flows = join(opts.outDir, 'flows.jsonl');
    summary.outputs.events = join(opts.outDir, 'events.jsonl');
    if (opts.rules) summary.outputs.eve = join(opts.outDir, 'eve.json');
  }

  summary.topTalkers = [...talkers.entries()]
    .map(([addr, t]) => ({ addr, ...t }))
    .sort((a, b) => b.flows - a.flows || b.bytes - a.bytes || a.addr.localeCompare(b.addr))
    .slice(0, 10);
  summary.problems = {
    total: problems.total(),
    byCode: Object.fromEntries([...problems.counts.entries()].sort()),
    samples: problems.samples.slice(0, 50),
  };
  summary.elapsedMs = Math.round(performance.now() - started);
  if (store && runId !== undefined) {
    await store.writeProblems(runId, problems.counts, problems.samples);
    await store.finishRun(runId, {
      packets: summary.packets,
      flows: summary.flows,
      http: summary.http,
      ssh: summary.ssh,
      events: summary.events,
      assets: summary.assets,
      problems: summary.problems.total,
      findings: summary.findings,
      incidents: summary.incidents,
      alarms: summary.triage?.alarms ?? 0,
      elapsedMs: summary.elapsedMs,
      ...(detected ? { siteSources: detected.site } : {}),
    });
    summary.runId = runId;
  }
  return summary;
}

function countFlow(
  summary: AnalyzeSummary,
  talkers: Map<string, { flows: number; bytes: number }>,
  flow: FlowRecord,
) {
  summary.flows++;
  const state = flow.connState || '-';
  summary.flowsByState[state] = (summary.flowsByState[state] ?? 0) + 1;
  summary.flowsByProto[flow.proto] = (summary.flowsByProto[flow.proto] ?? 0) + 1;
  let t = talkers.get(flow.origH);
  if (!t) {
    t = { flows: 0, bytes: 0 };
    talkers.set(flow.origH, t);
  }
  t.flows++;
  t.bytes += flow.origIpBytes + flow.respIpBytes;
}
