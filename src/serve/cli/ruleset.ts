/**
 * Which rules a command runs: the paths given with --rules, else the ruleset
 * installed in the store folder (`picket rules install`), else Picket's own
 * starter rules shipped with the package.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadResult, loadRules } from '../../rules/load.js';
import { compileAddress } from '../../rules/parse/addresses.js';
import { compilePort } from '../../rules/parse/ports.js';
import { applyVarOverrides, applyVarsFile, defaultVars, type RuleVars } from '../../rules/parse/variables.js';
import { CliError, ExitCode } from './exit-codes.js';

/** The package's own rules folder (rules/ at the repository or package root). */
export const STARTER_RULES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'rules');

/** Where `rules install` keeps a ruleset: beside the store's database. */
export function installedRulesDir(db: string): string {
  return join(dirname(resolve(db.replace(/^sqlite:/, ''))), 'rules');
}

export interface RulesetOptions {
  rules?: string[];
  var?: string[];
  varsFile?: string;
  thresholdConfig?: string;
  db: string;
}

export interface Ruleset {
  result: LoadResult;
  /** What was loaded, for the summary: the paths, 'installed ruleset' or 'starter rules'. */
  source: string;
}

export function ruleVars(o: { var?: string[]; varsFile?: string }): RuleVars {
  let vars = defaultVars();
  try {
    if (o.varsFile) vars = applyVarsFile(vars, readFileSync(o.varsFile, 'utf8'), o.varsFile);
    vars = applyVarOverrides(vars, o.var ?? []);
    // Every variable must compile, or each rule using it would be rejected one by one.
    for (const [name] of vars.addresses) {
      const r = compileAddress(`$${name}`, vars);
      if ('error' in r) throw new Error(`variable ${name}: ${r.error}`);
    }
    for (const [name] of vars.ports) {
      const r = compilePort(`$${name}`, vars);
      if ('error' in r) throw new Error(`variable ${name}: ${r.error}`);
    }
  } catch (e) {
    throw new CliError(
      (e as Error).message,
      ExitCode.USAGE,
      'variables look like HOME_NET=[10.0.0.0/8,192.168.0.0/16]',
    );
  }
  return vars;
}

/**
 * @example resolveRuleset({ db: '.picket/picket.db' }).source // 'starter rules'
 */
export function resolveRuleset(o: RulesetOptions): Ruleset {
  const vars = ruleVars(o);
  let paths = o.rules ?? [];
  let source = paths.join(', ');
  if (paths.length === 0) {
    const installed = installedRulesDir(o.db);
    if (existsSync(installed) && readdirSync(installed).length > 0) {
      paths = [installed];
      source = `installed ruleset (${installed})`;
    } else {
      paths = [STARTER_RULES];
      source = 'starter rules';
    }
  }
  for (const p of paths) {
    if (!existsSync(p))
      throw new CliError(
        `rules not found: ${p}`,
        ExitCode.NO_INPUT,
        'give a rules file, a folder, or an ET .tar.gz archive',
      );
  }
  const result = loadRules(paths, {
    vars,
    ...(o.thresholdConfig ? { thresholdFile: o.thresholdConfig } : {}),
  });
  return { result, source };
}

/** Copies a ruleset (file, folder or archive) into the store folder, replacing the one there. */
export function installRuleset(from: string, db: string): { dir: string; files: number } {
  if (!existsSync(from))
    throw new CliError(`not found: ${from}`, ExitCode.NO_INPUT, 'give a rules file, folder or .tar.gz');
  const probe = loadRules([from]);
  if (probe.rules.length === 0)
    throw new CliError(
      `no rules in ${from}`,
      ExitCode.NO_INPUT,
      'give a rules file, folder or ET .tar.gz archive',
    );
  const dir = installedRulesDir(db);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (statSync(from).isDirectory()) cpSync(from, dir, { recursive: true });
  else cpSync(from, join(dir, basename(from)));
  return { dir, files: readdirSync(dir, { recursive: true }).length };
}
