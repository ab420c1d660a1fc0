/**
 * `picket rules check PATH...`: loads Snort/Suricata rules and reports how
 * many Picket will honour fully, partially, or rejects (with reasons).
 */

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { rulesCheck } from '../../rules/check.js';
import { explainRule, renderExplanation } from '../../rules/explain.js';
import { loadRules } from '../../rules/load.js';
import { applyVarOverrides, applyVarsFile, defaultVars } from '../../rules/parse/variables.js';
import { DEFAULT_STORE_PATH } from '../../store/index.js';
import { CliError, ExitCode } from './exit-codes.js';
import { installRuleset, resolveRuleset } from './ruleset.js';

/**
 * Adds the `rules` command group to the program.
 * @example registerRulesCommand(program) // picket rules check rules/ --json
 */
export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description('work with Snort/Suricata rule sets');
  registerExplainAndInstall(rules);
  rules
    .command('check')
    .description(
      'load rules (files, folders, .tar.gz ET archives) and report coverage: full, partial, rejected with reasons',
    )
    .argument('<path...>', 'rule files, folders or .tar.gz archives')
    .option('--json', 'print the report as JSON')
    .option('--var <NAME=VALUE>', 'set a rule variable, e.g. HOME_NET=10.0.0.0/8 (repeatable)', collect, [])
    .option(
      '--vars-file <file>',
      'variables file: NAME=value lines, or suricata.yaml-style address-groups/port-groups',
    )
    .option('--threshold-config <file>', 'threshold.config (suppress, threshold, event_filter, rate_filter)')
    .option('--classification-config <file>', 'classification.config (default: the one beside the rules)')
    .option('--reference-config <file>', "reference.config (default: Picket's built-in systems)")
    .option('--show-rejected <n>', 'list up to n rejected rules', (v) => Number(v), 20)
    .action((paths: string[], o) => {
      let vars = defaultVars();
      try {
        if (o.varsFile) vars = applyVarsFile(vars, readFileSync(o.varsFile, 'utf8'), o.varsFile);
        vars = applyVarOverrides(vars, o.var);
      } catch (e) {
        throw new CliError((e as Error).message, ExitCode.USAGE);
      }
      let result: ReturnType<typeof loadRules>;
      try {
        result = loadRules(paths, {
          vars,
          classificationFile: o.classificationConfig,
          referenceFile: o.referenceConfig,
          thresholdFile: o.thresholdConfig,
        });
      } catch (e) {
        throw new CliError(
          (e as Error).message,
          ExitCode.NO_INPUT,
          'give rule files, folders or .tar.gz archives',
        );
      }
      const report = rulesCheck(result);
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ ...report, thresholds: result.thresholds.length, configProblems: result.configProblems, rejectedRules: result.rejected.slice(0, o.showRejected) }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(`${formatReport(report, result)}\n`);
      if (report.total === 0) throw new CliError(`no rules found in ${paths.join(', ')}`, ExitCode.NO_INPUT);
    });
}

function registerExplainAndInstall(rules: Command): void {
  rules
    .command('explain')
    .description('explain a rule in plain language: traffic, each match, thresholds, references, metadata')
    .argument('<sid>', 'signature id (gid:sid also accepted)')
    .option(
      '--rules <path>',
      'rules file, folder or .tar.gz (default: installed ruleset, else starter rules)',
      collect,
      [],
    )
    .option('--db <path>', 'store location (finds the installed ruleset)', DEFAULT_STORE_PATH)
    .option('--var <NAME=VALUE>', 'set a rule variable (repeatable)', collect, [])
    .option('--json', 'print the explanation as JSON')
    .action((sidText: string, o) => {
      const m = /^(?:(\d+):)?(\d+)$/.exec(sidText.trim());
      if (!m)
        throw new CliError(`not a signature id: ${sidText}`, ExitCode.USAGE, 'give a number such as 2002664');
      const gid = m[1] ? Number(m[1]) : undefined;
      const sid = Number(m[2]);
      const { result, source } = resolveRuleset({ rules: o.rules, var: o.var, db: o.db });
      const rule = result.rules.find((r) => r.sid === sid && (gid === undefined || r.gid === gid));
      if (!rule) {
        const rej = result.rejected.find((r) => r.sid === sid);
        throw new CliError(
          rej
            ? `rule ${sid} was rejected: ${rej.file}:${rej.line}: ${rej.reason}`
            : `no rule with sid ${sid} in ${source}`,
          ExitCode.NO_INPUT,
          rej
            ? 'fix the rule (or the variables it uses, with --var), then `picket rules check` to confirm'
            : 'name the ruleset with --rules PATH, or install one with `picket rules install ARCHIVE`',
        );
      }
      const e = explainRule(rule, { classifications: result.classifications });
      if (o.json) process.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
      else process.stdout.write(`${renderExplanation(e, { color: process.stdout.isTTY === true })}\n`);
    });
  rules
    .command('install')
    .description('keep a ruleset (file, folder or ET .tar.gz) beside the store for later runs')
    .argument('<path>', 'rules file, folder or .tar.gz archive')
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .option('--json', 'print the result as JSON')
    .action((path: string, o) => {
      const r = installRuleset(path, o.db);
      if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else
        process.stdout.write(
          `installed ${path} into ${r.dir} (${r.files} files); analyze and rules explain use it by default\n`,
        );
    });
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(2)}%`;
}

function formatReport(r: ReturnType<typeof rulesCheck>, result: ReturnType<typeof loadRules>): string {
  const lines = [
    `rules       total ${r.total}  enabled ${r.enabled}  disabled ${r.disabled}  (loaded in ${r.loadMs} ms)`,
    `all         full ${r.full}  partial ${r.partial}  rejected ${r.rejected}`,
    `enabled     full ${r.enabledFull} (${pct(r.enabledFull, r.enabled)})  partial ${r.enabledPartial}  rejected ${r.enabledRejected}`,
  ];
  if (result.thresholds.length) lines.push(`thresholds  ${result.thresholds.length} entries`);
  for (const p of result.configProblems.slice(0, 10))
    lines.push(`config      ${p.file}:${p.line}: ${p.reason}`);
  const ign = Object.entries(r.ignoredKeywords).sort((a, b) => b[1] - a[1]);
  if (ign.length) {
    lines.push('', 'not (fully) honoured keywords:');
    for (const [k, n] of ign) lines.push(`  ${String(n).padStart(6)}  ${k}`);
  }
  const rej = Object.entries(r.rejectReasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15);
  if (rej.length) {
    lines.push('', 'reject reasons:');
    for (const [k, n] of rej)
      lines.push(`  ${String(n).padStart(6)}  ${k.length > 110 ? `${k.slice(0, 110)}…` : k}`);
  }
  return lines.join('\n');
}
