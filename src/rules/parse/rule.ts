/** Parses one rule line into a Rule, or a rejection naming the keyword and reason. */
import type { NumOrVar, PayloadMatch, Rule } from '../ast.js';
import { keyword } from '../keywords/index.js';
import { isKeywordError, type KeywordContext } from '../keywords/types.js';
import { RuleBuilder } from './builder.js';
import { parseHeader, type SpecCache } from './header.js';
import type { RuleLine } from './lines.js';
import { MAX_RULE_LENGTH } from './lines.js';
import { clip, splitRule } from './tokenize.js';
import type { RuleVars } from './variables.js';

export interface RuleContext {
  vars: RuleVars;
  cache: SpecCache;
  keywords: KeywordContext;
  file: string;
}

export interface RuleRejection {
  error: string;
  keyword?: string;
  sid?: number;
}

/**
 * @example
 * parseRule({ line: 1, text: 'alert tcp any any -> any 80 (msg:"x"; content:"GET"; sid:1;)', disabled: false }, ctx)
 */
export function parseRule(l: RuleLine, ctx: RuleContext): { rule: Rule } | RuleRejection {
  if (l.text.length > MAX_RULE_LENGTH) return { error: `rule longer than ${MAX_RULE_LENGTH} characters` };
  const split = splitRule(l.text);
  const withSid = (r: RuleRejection): RuleRejection => {
    // Only on the error path: find the sid so the rejection can name it.
    const m = /[(;]\s*sid\s*:\s*(\d{1,10})\s*;/.exec(l.text);
    return m ? { ...r, sid: Number(m[1]) } : r;
  };
  if ('error' in split) return withSid({ error: split.error });
  const header = parseHeader(split.header, ctx.vars, ctx.cache);
  if ('error' in header) return withSid({ error: header.error, keyword: 'header' });
  const b = new RuleBuilder();
  const unsupported = new Map<string, string>();
  for (const opt of split.options) {
    const kw = keyword(opt.name);
    if (!kw) return withSid({ error: `unknown keyword "${clip(opt.name)}"`, keyword: opt.name });
    if (kw.value === 'none' && opt.value !== undefined)
      return withSid({ error: `${opt.name}: takes no value, got "${clip(opt.value)}"`, keyword: opt.name });
    if (kw.value === 'required' && (opt.value === undefined || opt.value === ''))
      return withSid({ error: `${opt.name}: needs a value`, keyword: opt.name });
    const parsed = kw.parse(opt.value, ctx.keywords);
    if (isKeywordError(parsed)) return withSid({ error: parsed.error, keyword: opt.name });
    const err = kw.attach(parsed, b, opt.name);
    if (err) return withSid({ error: err, keyword: opt.name });
    if (kw.support !== 'full' && !unsupported.has(kw.name))
      unsupported.set(kw.name, kw.supportNote ?? `${kw.name} is ${kw.support}`);
  }
  const pending = b.checkPendingSticky();
  if (pending) return withSid({ error: pending, keyword: pending.split(':')[0] });
  if (b.sid === undefined) return { error: 'missing sid' };
  const varErr = checkVariables(b.matches);
  if (varErr) return { error: varErr, sid: b.sid, keyword: varErr.split(':')[0] };
  for (const [keyword, reason] of unsupported) b.ignored.push({ keyword, reason });
  const priority =
    b.priority ?? (b.classtype ? ctx.keywords.classifications.get(b.classtype)?.priority : undefined);
  const rule: Rule = {
    gid: b.gid,
    sid: b.sid,
    rev: b.rev,
    msg: b.msg,
    enabled: !l.disabled,
    header,
    ...(b.classtype !== undefined ? { classtype: b.classtype } : {}),
    ...(priority !== undefined ? { priority } : {}),
    references: b.references,
    metadata: b.metadata,
    ...(b.target ? { target: b.target } : {}),
    matches: b.matches,
    conditions: b.conditions,
    support: b.ignored.length === 0 ? 'full' : 'partial',
    ignored: b.ignored,
    file: ctx.file,
    line: l.line,
    text: l.text,
  };
  return { rule };
}

/** Every `{ var }` used must be defined by an earlier byte_extract/byte_math. */
function checkVariables(matches: PayloadMatch[]): string | undefined {
  const defined = new Set<string>();
  const use = (kw: string, v: NumOrVar | undefined) =>
    typeof v === 'object' && !defined.has(v.var)
      ? `${kw}: variable "${v.var}" is not defined by an earlier byte_extract or byte_math`
      : undefined;
  for (const m of matches) {
    let err: string | undefined;
    switch (m.kind) {
      case 'content':
        err =
          use('offset', m.offset) ??
          use('depth', m.depth) ??
          use('distance', m.distance) ??
          use('within', m.within);
        break;
      case 'byte_test':
        err = use('byte_test', m.value) ?? use('byte_test', m.offset);
        break;
      case 'byte_jump':
      case 'isdataat':
        err = use(m.kind, m.offset);
        break;
      case 'byte_math':
        err = use('byte_math', m.offset) ?? use('byte_math', m.rvalue);
        break;
    }
    if (err) return err;
    if (m.kind === 'byte_extract') defined.add(m.name);
    if (m.kind === 'byte_math') defined.add(m.result);
  }
  return undefined;
}
