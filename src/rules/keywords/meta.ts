/** Rule metadata keywords: msg, sid, rev, gid, classtype, priority, reference, metadata, target. */
import type { Reference } from '../ast.js';
import { clip, unescapeRuleText, unquote } from '../parse/tokenize.js';
import { type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger } from './values.js';

function meta<T>(
  name: string,
  description: string,
  parse: KeywordDescriptor<T>['parse'],
  attach: KeywordDescriptor<T>['attach'],
): KeywordDescriptor<T> {
  return { name, description, support: 'full', affectsMatch: false, value: 'required', parse, attach };
}

function once(name: string, rule: { seen: Set<string> }): string | undefined {
  if (rule.seen.has(name)) return `${name}: given twice`;
  rule.seen.add(name);
  return undefined;
}

export const msg = meta<string>(
  'msg',
  'The alert message.',
  (v) => {
    const u = unquote((v ?? '').trim());
    if ('error' in u) return kwError('msg', u.error);
    return unescapeRuleText(u.text);
  },
  (o, rule) => {
    const err = once('msg', rule);
    if (!err) rule.msg = o;
    return err;
  },
);

function intMeta(name: 'sid' | 'rev' | 'gid' | 'priority', description: string, min: number, max: number) {
  return meta<number>(
    name,
    description,
    (v) => parseInteger(name, v, min, max),
    (o, rule) => {
      const err = once(name, rule);
      if (!err) rule[name] = o;
      return err;
    },
  );
}

export const sid = intMeta('sid', 'The signature id.', 1, 0xffffffff);
export const rev = intMeta('rev', 'The signature revision.', 0, 0xffffffff);
export const gid = intMeta('gid', 'The generator id (1 for text rules).', 0, 0xffffffff);
export const priority = intMeta(
  'priority',
  'Alert priority (1 highest); overrides the classtype priority.',
  1,
  255,
);

export const classtype = meta<string>(
  'classtype',
  'The alert class (classification.config), which also gives a default priority.',
  (v, ctx) => {
    const t = (v ?? '').trim();
    if (!/^[A-Za-z0-9_-]+$/.test(t)) return kwError('classtype', `bad class name "${clip(t)}"`);
    if (ctx.classifications.size > 0 && !ctx.classifications.has(t))
      return kwError('classtype', `unknown class "${t}" (not in classification.config)`);
    return t;
  },
  (o, rule) => {
    const err = once('classtype', rule);
    if (!err) rule.classtype = o;
    return err;
  },
);

export const reference = meta<Reference>(
  'reference',
  'An external reference (system,id), e.g. cve,2014-0160 or url,example.com/advisory.',
  (v, ctx) => {
    const t = (v ?? '').trim();
    const comma = t.indexOf(',');
    if (comma <= 0 || comma === t.length - 1)
      return kwError('reference', `expected system,id, got "${clip(t)}"`);
    const system = t.slice(0, comma).trim().toLowerCase();
    const id = t.slice(comma + 1).trim();
    const prefix = ctx.references.get(system);
    return prefix !== undefined ? { system, id, url: prefix + id } : { system, id };
  },
  (o, rule) => {
    rule.references.push(o);
    return undefined;
  },
);

export const metadata = meta<Array<[string, string]>>(
  'metadata',
  'Free key/value annotations (created_at, signature_severity ...).',
  (v) => {
    const pairs: Array<[string, string]> = [];
    for (const item of commaList(v)) {
      if (item === '') continue;
      const sp = item.indexOf(' ');
      pairs.push(sp < 0 ? [item, ''] : [item.slice(0, sp), item.slice(sp + 1).trim()]);
    }
    return pairs;
  },
  (o, rule) => {
    for (const [k, val] of o) {
      rule.metadata[k] ??= [];
      rule.metadata[k].push(val);
    }
    return undefined;
  },
);

export const target = meta<'src_ip' | 'dest_ip'>(
  'target',
  'Which side of the alert is the target (src_ip or dest_ip).',
  (v) => {
    const t = (v ?? '').trim();
    if (t !== 'src_ip' && t !== 'dest_ip')
      return kwError('target', `expected src_ip or dest_ip, got "${clip(t)}"`);
    return t;
  },
  (o, rule) => {
    const err = once('target', rule);
    if (!err) rule.target = o;
    return err;
  },
);
