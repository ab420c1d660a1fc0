/**
 * Loads rule files, folders and `.tar.gz` ET release archives into Rules.
 * One bad rule never stops the others: each is reported with file, line,
 * sid and reason. A duplicate gid:sid keeps the first and reports the later.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Rule } from './ast.js';
import { type Classification, parseClassificationConfig } from './parse/classification.js';
import { newSpecCache } from './parse/header.js';
import { splitRuleLines } from './parse/lines.js';
import { defaultReferenceSystems, parseReferenceConfig } from './parse/reference.js';
import { parseRule, type RuleContext } from './parse/rule.js';
import { readTar } from './parse/tar.js';
import { parseThresholdConfig, type ThresholdEntry } from './parse/threshold-config.js';
import { defaultVars, type RuleVars } from './parse/variables.js';

export interface LoadOptions {
  vars?: RuleVars;
  classificationFile?: string;
  referenceFile?: string;
  thresholdFile?: string;
}

export interface RuleRejected {
  file: string;
  line: number;
  sid?: number;
  keyword?: string;
  reason: string;
  /** True when the rule was commented out in the file. */
  disabled: boolean;
}

export interface LoadResult {
  rules: Rule[];
  rejected: RuleRejected[];
  classifications: Map<string, Classification>;
  references: Map<string, string>;
  thresholds: ThresholdEntry[];
  /** Problems in the config files (classification, reference, threshold). */
  configProblems: Array<{ file: string; line: number; reason: string }>;
  stats: { files: number; lines: number };
  loadMs: number;
}

/**
 * @example
 * const r = loadRules(['/etc/picket/rules'], { thresholdFile: 'threshold.config' });
 * r.rules.length; r.rejected[0]?.reason
 */
export function loadRules(paths: string[], opts: LoadOptions = {}): LoadResult {
  const t0 = performance.now();
  const sources = collectSources(paths);
  const configProblems: LoadResult['configProblems'] = [];
  let classifications = new Map<string, Classification>();
  const classFile =
    opts.classificationFile ?? sources.find((s) => s.name.endsWith('classification.config'))?.name;
  const classText = opts.classificationFile
    ? readFileSync(opts.classificationFile, 'latin1')
    : sources.find((s) => s.name.endsWith('classification.config'))?.text();
  if (classText !== undefined) {
    const c = parseClassificationConfig(classText);
    classifications = c.classes;
    for (const p of c.problems) configProblems.push({ file: classFile ?? '', ...p });
  }
  const references = defaultReferenceSystems();
  const refText = opts.referenceFile
    ? readFileSync(opts.referenceFile, 'latin1')
    : sources.find((s) => s.name.endsWith('reference.config'))?.text();
  if (refText !== undefined) {
    const r = parseReferenceConfig(refText);
    for (const [k, v] of r.systems) references.set(k, v);
    for (const p of r.problems) configProblems.push({ file: opts.referenceFile ?? 'reference.config', ...p });
  }
  let thresholds: ThresholdEntry[] = [];
  if (opts.thresholdFile) {
    const t = parseThresholdConfig(readFileSync(opts.thresholdFile, 'latin1'));
    thresholds = t.entries;
    for (const p of t.problems) configProblems.push({ file: opts.thresholdFile, ...p });
  }
  const vars = opts.vars ?? defaultVars();
  const cache = newSpecCache();
  const rules: Rule[] = [];
  const rejected: RuleRejected[] = [];
  const seen = new Map<string, Rule>();
  let lines = 0;
  let files = 0;
  for (const src of sources) {
    if (!src.name.endsWith('.rules')) continue;
    files++;
    const text = src.text();
    const ctx: RuleContext = { vars, cache, keywords: { classifications, references }, file: src.name };
    for (const l of splitRuleLines(text)) {
      lines++;
      const r = parseRule(l, ctx);
      if ('error' in r) {
        rejected.push({
          file: src.name,
          line: l.line,
          ...(r.sid !== undefined ? { sid: r.sid } : {}),
          ...(r.keyword ? { keyword: r.keyword } : {}),
          reason: r.error,
          disabled: l.disabled,
        });
        continue;
      }
      const key = `${r.rule.gid}:${r.rule.sid}`;
      const prev = seen.get(key);
      if (prev) {
        rejected.push({
          file: src.name,
          line: l.line,
          sid: r.rule.sid,
          reason: `duplicate sid ${key} (first at ${prev.file}:${prev.line})`,
          disabled: l.disabled,
        });
        continue;
      }
      seen.set(key, r.rule);
      rules.push(r.rule);
    }
  }
  return {
    rules,
    rejected,
    classifications,
    references,
    thresholds,
    configProblems,
    stats: { files, lines },
    loadMs: performance.now() - t0,
  };
}

interface Source {
  name: string;
  text(): string;
}

/** Expands files, folders (sorted, one level of `.rules`/config files) and .tar.gz archives. */
function collectSources(paths: string[]): Source[] {
  const out: Source[] = [];
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const full = join(p, name);
        if (statSync(full).isFile() && /\.(rules|config)$/.test(name)) out.push(fileSource(full));
        else if (statSync(full).isDirectory() && name === 'rules') out.push(...collectSources([full]));
      }
    } else if (/\.(tar\.gz|tgz)$/.test(p)) {
      const buf = gunzipSync(readFileSync(p));
      for (const e of readTar(buf)) {
        if (!/\.(rules|config)$/.test(e.name)) continue;
        const data = e.data;
        out.push({ name: `${p}!${e.name}`, text: () => Buffer.from(data).toString('latin1') });
      }
    } else out.push(fileSource(p));
  }
  return out;
}

function fileSource(path: string): Source {
  return { name: path, text: () => readFileSync(path, 'latin1') };
}
