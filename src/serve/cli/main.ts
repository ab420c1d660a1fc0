#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { loadScannerLists } from '../../detect/reputation/index.js';
import { exportSession } from '../../flow/export/index.js';
import { analyze } from '../../pipeline/analyze.js';
import { DEFAULT_STORE_PATH, openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { loadCatalogue, loadInventory } from '../../triage/relevance/index.js';
import { registerAlarmsCommand } from './alarms-command.js';
import { registerCoverageCommand } from './coverage-command.js';
import { loadDetectConfig } from './detect-config.js';
import { CliError, ExitCode } from './exit-codes.js';
import { formatAnalyzeSummary, formatFlowTable } from './format.js';
import { registerListenCommand } from './listen-command.js';
import { terminalProgress } from './progress.js';
import { writeRunReport } from './report-output.js';
import { registerRulesCommand } from './rules-command.js';
import { resolveRuleset } from './ruleset.js';
import { loadInstalledScanners, registerScannersCommand } from './scanners-command.js';
import { registerSummaryCommand } from './summary-command.js';
import { registerVerifyCommand } from './verify-command.js';

const program = new Command()
  .name('picket')
  .description('Detects network reconnaissance and scanning, and triages IDS alerts with the evidence.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) });

const dbOption = () =>
  new Option('--db <path>', `store location (SQLite file, or sqlite:PATH)`).default(DEFAULT_STORE_PATH);

program
  .command('analyze')
  .description(
    'read captures (pcap, pcapng) and logs (firewall, sshd, web, syslog), files or folders, recognised by content; build flows, sessions and events, store them, print a summary',
  )
  .argument('<input...>', 'files or folders')
  .option('-o, --out <dir>', 'write flows.jsonl and events.jsonl into this folder')
  .addOption(dbOption())
  .option('--no-store', 'do not write to the store')
  .addOption(
    new Option('--format <format>', 'events.jsonl as Picket events, OCSF or Elastic Common Schema JSON')
      .choices(['picket', 'ocsf', 'ecs'])
      .default('picket'),
  )
  .option('--json', 'print the summary as JSON')
  .option('-q, --quiet', 'no progress line')
  .option('--max-flows <n>', 'flow-table bound before least-recently-active eviction', toInt, 1_000_000)
  .option(
    '--rules <path>',
    'Snort/Suricata rules to run on captures: file, folder or ET .tar.gz (repeatable; default: the installed ruleset, else the starter rules)',
    collect,
    [],
  )
  .option('--no-rules', 'run no rules')
  .option('--var <NAME=VALUE>', 'set a rule variable, e.g. HOME_NET=[10.0.0.0/8] (repeatable)', collect, [])
  .option('--vars-file <file>', 'rule variables file (NAME=value lines or suricata.yaml vars)')
  .option('--threshold-config <file>', 'threshold.config: suppress, threshold, event_filter, rate_filter')
  .option('--no-detect', 'run no behavioural detectors (no findings or incidents)')
  .option(
    '--detect-config <file>',
    'detector thresholds and windows (YAML or JSON: detector name → settings)',
  )
  .option('--no-triage', 'do not triage the alerts into alarms')
  .option(
    '--inventory <file>',
    'asset inventory YAML (what runs where) for relevance (default: inventory.yaml beside the store, when present)',
  )
  .option(
    '--scanners <dir>',
    'research-scanner lists (default: those installed with `picket scanners install`); their sweeps read as background',
  )
  .action(async (inputs: string[], o) => {
    const argv = process.argv;
    if (argv.includes('--no-rules') && argv.some((a) => a === '--rules' || a.startsWith('--rules=')))
      throw new CliError('--rules and --no-rules contradict each other', ExitCode.USAGE, 'give one of them');
    const ruleset =
      o.rules === false
        ? undefined
        : resolveRuleset({
            rules: Array.isArray(o.rules) ? o.rules : [],
            var: o.var,
            varsFile: o.varsFile,
            thresholdConfig: o.thresholdConfig,
            db: o.db,
          });
    const store = o.store ? await openStoreOrExplain(o.db) : undefined;
    const progress = o.quiet || o.json ? undefined : terminalProgress();
    try {
      const summary = await analyze({
        inputs,
        store,
        outDir: o.out,
        maxFlows: o.maxFlows,
        eventFormat: o.format,
        ...(ruleset
          ? {
              rules: {
                rules: ruleset.result.rules,
                thresholds: ruleset.result.thresholds,
                source: ruleset.source,
                rejected: ruleset.result.rejected.filter((r) => !r.disabled).length,
                references: ruleset.result.references,
                classifications: ruleset.result.classifications,
              },
            }
          : {}),
        detect:
          o.detect === false
            ? false
            : {
                config: o.detectConfig ? loadDetectConfig(o.detectConfig) : undefined,
                scannerLabel: scannerLookup(o.scanners, o.db),
              },
        triage: o.triage === false ? false : { inventory: inventoryFor(o.inventory, o.db) },
        command: ['analyze', ...process.argv.slice(3)].join(' '),
        onProgress: progress?.update,
      });
      progress?.done();
      if (o.out && summary.inputs.length)
        summary.outputs.report = await writeRunReport(
          o.out,
          summary,
          store,
          ['analyze', ...process.argv.slice(3)].join(' '),
        );
      if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${formatAnalyzeSummary(summary)}\n`);
      if (summary.inputs.length === 0) {
        throw new CliError(
          `nothing readable in ${inputs.join(', ')}`,
          ExitCode.NO_INPUT,
          'give captures (pcap, pcapng) or logs (firewall, sshd, web server, syslog), or folders of them; formats are recognised by content, not by name',
        );
      }
    } finally {
      progress?.done();
      await store?.close();
    }
  });

program
  .command('session')
  .description('write the packets of one connection (by flow uid) to a pcap file: the session PCAP')
  .argument('<uid>', 'flow uid, as in flows.jsonl or `picket flows`')
  .requiredOption('-o, --output <file>', 'pcap file to write')
  .addOption(dbOption())
  .option('--json', 'print the result as JSON')
  .action(async (uid: string, o) => {
    const store = await openStoreOrExplain(o.db);
    try {
      const flow = await store.flow(uid);
      if (!flow)
        throw new CliError(
          `no flow with uid ${uid} in ${o.db}`,
          ExitCode.NO_INPUT,
          'list flows with `picket flows`',
        );
      if (!flow.source) throw new CliError(`flow ${uid} has no source capture recorded`, ExitCode.NO_INPUT);
      const written = exportSession({ source: flow.source, flow }, o.output);
      const result = { uid, source: flow.source, output: o.output, packets: written };
      if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else
        process.stdout.write(
          `Wrote ${written} packets of ${uid} (${flow.origH}:${flow.origP} → ${flow.respH}:${flow.respP}/${flow.proto}) to ${o.output}\n`,
        );
      if (written === 0) {
        throw new CliError(
          `no packets of ${uid} found in ${flow.source}`,
          ExitCode.NO_INPUT,
          'has the capture file changed or moved since it was analyzed?',
        );
      }
    } finally {
      await store.close();
    }
  });

program
  .command('flows')
  .description('list stored flows')
  .option('--src <addr>', 'originator address')
  .option('--dst <addr>', 'responder address')
  .option('--port <n>', 'responder port', toInt)
  .option('--state <conn_state>', 'Zeek conn_state, e.g. S0, REJ, SF')
  .option('--limit <n>', 'at most this many', toInt, 50)
  .addOption(dbOption())
  .option('--json', 'JSON lines with Zeek field names')
  .action(async (o) => {
    const store = await openStoreOrExplain(o.db);
    try {
      const flows = await store.flows({
        src: o.src,
        dst: o.dst,
        port: o.port,
        connState: o.state,
        limit: o.limit,
      });
      if (o.json) {
        const { toZeekJson } = await import('../../flow/index.js');
        for (const f of flows) process.stdout.write(`${JSON.stringify(toZeekJson(f))}\n`);
      } else process.stdout.write(`${flows.length ? formatFlowTable(flows) : 'no flows match'}\n`);
    } finally {
      await store.close();
    }
  });

registerCoverageCommand(program);
registerAlarmsCommand(program);
registerVerifyCommand(program);
registerScannersCommand(program);
registerSummaryCommand(program);
registerListenCommand(program);
registerRulesCommand(program);

function toInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`not a whole number: ${v}`, ExitCode.USAGE);
  return n;
}

async function openStoreOrExplain(spec: string): Promise<Store> {
  try {
    return await openStore(spec);
  } catch (e) {
    throw new CliError(
      `cannot open the store ${spec}: ${(e as Error).message}`,
      ExitCode.STORE,
      'use --db PATH for another location, or --no-store',
    );
  }
}

async function main() {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
      return;
    }
    if (e instanceof CliError) {
      process.stderr.write(`picket: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
      process.exitCode = e.code;
      return;
    }
    process.stderr.write(`picket: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = ExitCode.INTERNAL;
  }
}

await main();

function collect(v: string, acc: string[] | boolean): string[] {
  // `--no-rules` sets false; a later `--rules X` wins.
  return [...(Array.isArray(acc) ? acc : []), v];
}

/** The research-scanner lookup for analyze: --scanners DIR, else the installed lists, else none. */
function scannerLookup(dir: string | undefined, db: string) {
  if (dir !== undefined) {
    if (!existsSync(dir))
      throw new CliError(
        `no scanner lists at ${dir}`,
        ExitCode.NO_INPUT,
        'give a folder of lists, or install them with `picket scanners install DIR`',
      );
    return loadScannerLists(dir).lookup;
  }
  return loadInstalledScanners(db)?.lookup;
}

/** The asset inventory for relevance: --inventory FILE (must exist), else inventory.yaml beside the store if present. */
function inventoryFor(file: string | undefined, db: string) {
  const path = file ?? join(dirname(resolve(db.replace(/^sqlite:/, ''))), 'inventory.yaml');
  if (file !== undefined && !existsSync(file))
    throw new CliError(
      `no inventory at ${file}`,
      ExitCode.NO_INPUT,
      'docs/triage.md shows the inventory format',
    );
  try {
    return loadInventory(path, loadCatalogue(), { optional: file === undefined });
  } catch (e) {
    throw new CliError(
      (e as Error).message,
      ExitCode.USAGE,
      'fix the lines named above; docs/triage.md shows the format',
    );
  }
}
