/**
 * `picket verify HOST --for SID [--port P]`: the seed's "scan your own asset"
 * step, made safe. Read-only probes of ONE literal address the user names
 * (never a range, never a name that DNS would resolve, never implicit) for
 * the products the rule targets; the answers are stored as an asset
 * observation (scanner 'verify') that triage's relevance step reads.
 */
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Rule } from '../../rules/ast.js';
import type { Asset } from '../../schema/asset.js';
import { DEFAULT_STORE_PATH, openStore } from '../../store/index.js';
import type { AlertGroup } from '../../triage/group.js';
import {
  type Catalogue,
  DEFAULT_CATALOGUE,
  judgeProduct,
  knowledgeFromAssets,
  loadCatalogue,
  ruleTargets,
} from '../../triage/relevance/index.js';
import type { ProbeRecord } from '../../triage/relevance/probe-record.js';
import {
  defaultVerifyLimits,
  literalAddress,
  planProbes,
  runProbes,
} from '../../triage/relevance/verify-probes.js';
import { terminalSafe } from '../../util/escape.js';
import { CliError, ExitCode } from './exit-codes.js';
import { resolveRuleset } from './ruleset.js';

/** The user's inventory lives beside the store unless --inventory names another file. */
export function inventoryPathFor(db: string): string {
  return join(dirname(resolve(db.replace(/^sqlite:/, ''))), 'inventory.yaml');
}

export interface VerifyResult {
  host: string;
  sid: number;
  msg: string;
  targets: string[];
  probes: { port: number; record: ProbeRecord }[];
  verdicts: { product: string; applicable: string; reason: string }[];
  stored: boolean;
  asset: Asset;
}

/**
 * Runs the probes and judges each target product on their answers alone.
 *
 * @example
 * const r = await verifyHost({ host: '127.0.0.1', port: 8080, rule, catalogue });
 * r.verdicts // [{ product: 'joomla', applicable: 'no', reason: '... GET /administrator/ → 404 ...' }]
 */
export async function verifyHost(o: {
  host: string;
  rule: Rule;
  catalogue: Catalogue;
  port?: number;
  timeoutMs?: number;
}): Promise<Omit<VerifyResult, 'stored'>> {
  const host = literalAddress(o.host);
  if (!host)
    throw new CliError(
      `${o.host} is not a literal IP address`,
      ExitCode.USAGE,
      'verify probes only an address you name exactly (e.g. 192.0.2.10); it never resolves names or takes ranges',
    );
  const group: AlertGroup = {
    key: 'verify',
    sid: o.rule.sid,
    msg: o.rule.msg,
    src: host,
    dst: host,
    ts: 0,
    lastSeen: 0,
    count: 0,
    alerts: [],
    sourceKinds: [],
  };
  const t = ruleTargets(group, o.rule, o.catalogue);
  const products = t.targets.flatMap((c) => o.catalogue.product(c.product) ?? []);
  const plan = planProbes(host, products, o.catalogue, o.port !== undefined ? { port: o.port } : {});
  const limits = { ...defaultVerifyLimits, ...(o.timeoutMs !== undefined && { timeoutMs: o.timeoutMs }) };
  const { records, asset } = await runProbes(plan, o.catalogue, limits);
  const k = knowledgeFromAssets(host, [asset], o.catalogue);
  const port = plan.httpPorts[0] ?? plan.sshPorts[0];
  const verdicts = t.targets.map((c) => {
    const j = judgeProduct(c.product, c.versions, port, k, o.catalogue);
    return { product: c.product, applicable: j.applicable, reason: j.reason };
  });
  return {
    host,
    sid: o.rule.sid,
    msg: o.rule.msg,
    targets: t.targets.map((c) => c.product),
    probes: records,
    verdicts,
    asset,
  };
}

function describeProbe(port: number, r: ProbeRecord): string {
  const what = r.kind === 'ssh' ? `ssh :${port}` : `${r.method} :${port}${r.path}`;
  if (r.banner) return `${what} → ${r.banner}`;
  if (r.status === undefined) return `${what} → no answer (${r.error ?? 'unknown'})`;
  const parts = [`${r.status}`];
  if (r.contentType) parts.push(r.contentType.split(';')[0]!);
  if (r.bytes !== undefined) parts.push(`${r.bytes} B`);
  if (r.server) parts.push(`Server ${r.server}`);
  if (r.generator) parts.push(`generator "${r.generator}"`);
  if (r.found) parts.push(`shows ${r.found.product}${r.found.version ? ` ${r.found.version}` : ''}`);
  if (r.error) parts.push(r.error);
  return `${what} → ${parts.join(', ')}`;
}

/** @example registerVerifyCommand(program) // picket verify 10.99.0.10 --for 9900102 */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'read-only check of ONE address you name (a literal IP, never a range or name): asks for the fingerprints of what rule SID targets (HTTP GET of / and catalogue paths, HEAD for secrets, SSH version) and stores the answers for triage',
    )
    .argument('<host>', 'a literal IPv4 or IPv6 address you are responsible for')
    .requiredOption('--for <sid>', 'the rule whose targets to check for', (v) => toSid(v))
    .option('--port <port>', 'the service port (default 80 for web products, 22 for SSH)', (v) => toPort(v))
    .option(
      '--rules <path>',
      'rules to find SID in (repeatable; default: installed ruleset, else starter rules)',
      (v: string, a: string[]) => [...a, v],
      [],
    )
    .option('--catalogue <file>', 'product catalogue', DEFAULT_CATALOGUE)
    .option(
      '--timeout <ms>',
      'per-request timeout in milliseconds (at most 60000)',
      (v) => toMs(v),
      defaultVerifyLimits.timeoutMs,
    )
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .option('--no-store', 'print only; do not store the observation')
    .option('--json', 'print the result as JSON')
    .action(async (hostArg: string, o) => {
      let catalogue: Catalogue;
      try {
        catalogue = loadCatalogue(o.catalogue);
      } catch (e) {
        throw new CliError(
          (e as Error).message,
          ExitCode.USAGE,
          'fix the catalogue file (docs/triage.md, "Relevance", lists its fields)',
        );
      }
      const rules = resolveRuleset({ rules: o.rules, db: o.db }).result.rules;
      const rule = rules.find((r) => r.sid === o.for);
      if (!rule)
        throw new CliError(
          `no rule with sid ${o.for} in the loaded rules`,
          ExitCode.USAGE,
          'give the ruleset that holds it with --rules',
        );
      const r = await verifyHost({
        host: hostArg,
        rule,
        catalogue,
        ...(o.port !== undefined && { port: o.port }),
        timeoutMs: o.timeout,
      });
      let stored = false;
      if (o.store) {
        const store = await openStore(o.db);
        try {
          await store.writeAssets([r.asset]);
          await store.flush();
          stored = true;
        } finally {
          await store.close();
        }
      }
      const result: VerifyResult = { ...r, stored };
      if (o.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      const out = [`verify ${result.host} for sid ${result.sid}: ${terminalSafe(result.msg)}`];
      out.push(
        `  targets: ${result.targets.length ? result.targets.join(', ') : '(the rule names no product)'}`,
      );
      for (const p of result.probes) out.push(`  ${terminalSafe(describeProbe(p.port, p.record))}`);
      for (const v of result.verdicts)
        out.push(`  ${v.product}: ${v.applicable} — ${terminalSafe(v.reason)}`);
      out.push(
        stored ? `  stored as asset observation ${result.asset.uid} in ${o.db}` : '  not stored (--no-store)',
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}

function toSid(v: string): number {
  if (!/^\d{1,10}$/.test(v)) throw new CliError(`--for wants a signature id, got ${v}`, ExitCode.USAGE);
  return Number(v);
}

function toPort(v: string): number {
  const n = Number(v);
  if (!/^\d{1,6}$/.test(v) || n < 1 || n > 65535)
    throw new CliError(`not a port number: ${v}`, ExitCode.USAGE);
  return n;
}

function toMs(v: string): number {
  const n = Number(v);
  if (!/^\d{1,5}$/.test(v) || n < 1 || n > 60_000)
    throw new CliError(`--timeout wants 1 to 60000 ms, got ${v}`, ExitCode.USAGE);
  return n;
}
