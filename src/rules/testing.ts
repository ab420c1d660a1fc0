/** Test helpers: parse a rule from just its options, with default vars. */
import type { Rule } from './ast.js';
import type { KeywordContext } from './keywords/types.js';
import { parseClassificationConfig } from './parse/classification.js';
import { newSpecCache } from './parse/header.js';
import { defaultReferenceSystems } from './parse/reference.js';
import { parseRule, type RuleRejection } from './parse/rule.js';
import { defaultVars } from './parse/variables.js';

export const testKeywordContext: KeywordContext = {
  classifications: parseClassificationConfig(
    'config classification: attempted-recon,Attempted Information Leak,2\n',
  ).classes,
  references: defaultReferenceSystems(),
};

/** Parses `alert <proto> any any -> any any (<options> sid:1;)`. */
export function ruleFromOptions(options: string, proto = 'tcp'): Rule | RuleRejection {
  const text = `alert ${proto} any any -> any any (${options}${/sid\s*:/.test(options) ? '' : ' sid:1;'})`;
  const r = parseRule(
    { line: 1, text, disabled: false },
    {
      vars: defaultVars(),
      cache: newSpecCache(),
      keywords: { classifications: new Map(), references: defaultReferenceSystems() },
      file: 'test',
    },
  );
  return 'rule' in r ? r.rule : r;
}

/** The rejection text, or throws when the rule parsed. */
export function rejection(options: string, proto = 'tcp'): string {
  const r = ruleFromOptions(options, proto);
  if (!('error' in r)) throw new Error(`expected a rejection for: ${options}`);
  return r.error;
}

/** The parsed rule, or throws with the reason. */
export function accepted(options: string, proto = 'tcp'): Rule {
  const r = ruleFromOptions(options, proto);
  if ('error' in r) throw new Error(`rejected: ${r.error} — for: ${options}`);
  return r;
}
