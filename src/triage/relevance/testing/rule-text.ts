/** For tests: a whole rule (header and options) parsed as a ruleset file would be, with default vars. */
import type { Rule } from '../../../rules/ast.js';
import { newSpecCache } from '../../../rules/parse/header.js';
import { defaultReferenceSystems } from '../../../rules/parse/reference.js';
import { parseRule } from '../../../rules/parse/rule.js';
import { defaultVars } from '../../../rules/parse/variables.js';

/**
 * @example ruleText('alert ssh any any -> any 22 (msg:"x"; sid:1;)').header.protocol // 'ssh'
 */
export function ruleText(text: string): Rule {
  const r = parseRule(
    { line: 1, text, disabled: false },
    {
      vars: defaultVars(),
      cache: newSpecCache(),
      keywords: { classifications: new Map(), references: defaultReferenceSystems() },
      file: 'test.rules',
    },
  );
  if (!('rule' in r)) throw new Error(`rejected: ${r.error} — for: ${text}`);
  return r.rule;
}
