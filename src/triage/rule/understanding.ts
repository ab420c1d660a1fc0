/**
 * Step 2 of the seed's analyst: what the rule says and detects. The family
 * and a human alarm title, the rule explained in plain words, its references
 * as links, ET metadata, and the exact bytes that matched in the session.
 * Without the rule text (an EVE alert whose ruleset Picket has not loaded)
 * it says what the alert itself names and no more.
 */
import type { Rule } from '../../rules/ast.js';
import { explainRule } from '../../rules/explain.js';
import type { EvidenceRef, RuleUnderstanding } from '../../schema/alarm.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import { ruleFamily } from './family.js';
import { matchedBytes } from './matched.js';
import type { AlertPayloads } from './payloads.js';
import { resolveReferences } from './references.js';
import { alarmTitle } from './title.js';

export interface RuleUnderstandingOptions {
  /** reference.config systems (system → URL prefix), as loadRules() returns them. */
  referenceSystems?: ReadonlyMap<string, string>;
  /** classtype → description, for the explanation. */
  classifications?: ReadonlyMap<string, { description: string; priority?: number }>;
}

/** The explanation as one paragraph: the summary, then each match when there are several. */
function explanationText(rule: Rule, opts: RuleUnderstandingOptions): string {
  const e = explainRule(rule, opts.classifications ? { classifications: opts.classifications } : {});
  const parts = [e.summary];
  if (e.matches.length > 1)
    parts.push(`It checks, in order: ${e.matches.map((m) => m.sentence.replace(/\.$/, '')).join('; ')}.`);
  if (e.classification?.text) parts.push(`Class: ${e.classification.text}.`);
  return parts.join(' ');
}

/** The signature's message as an alert line writes it, without the `[gid:sid:rev]` prefix and `[Classification: …]` suffixes. */
export function alertMessage(text: string): string {
  return text
    .replace(/^\s*\[\d+:\d+:\d+\]\s*/, '')
    .replace(/\s*\[(?:Classification|Priority):[^\]]*\]/g, '')
    .trim();
}

function contentTexts(rule: Rule): string[] {
  const out: string[] = [];
  for (const m of rule.matches)
    if (m.kind === 'content' && !m.negated) out.push(Buffer.from(m.bytes).toString('latin1'));
  return out;
}

/**
 * @example
 * const u = ruleUnderstanding(group, lookup.rule(group.sid!), await gatherPayloads(group, lookup));
 * u.alarmTitle // 'Someone is scanning your network with Nessus'
 * u.matched[0] // { buffer: 'http.user_agent', excerpt: '…Nessus…', start, end }
 */
export function ruleUnderstanding(
  group: AlertGroup,
  rule: Rule | undefined,
  payloads?: AlertPayloads,
  opts: RuleUnderstandingOptions = {},
): RuleUnderstanding {
  // The alert's own message is data from a log; the rule's is from a ruleset the user loaded.
  const msg = rule?.msg ?? inert(alertMessage(group.msg), 300);
  const classtype = rule?.classtype ?? group.classtype;
  const metadata: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(rule?.metadata ?? {})) metadata[k] = [...v];
  const family = ruleFamily({ msg, classtype, metadata });
  const references = rule ? resolveReferences(rule.references, metadata, opts.referenceSystems) : [];
  const cves = references.filter((r) => r.type === 'cve').map((r) => r.value);
  const evidence: EvidenceRef[] = [];
  const u: RuleUnderstanding = {
    msg,
    family,
    alarmTitle: alarmTitle(family, {
      msg,
      metadata,
      cves,
      ...(rule ? { contents: contentTexts(rule) } : {}),
    }),
    references,
    metadata,
    matched: [],
    evidence,
  };
  const sid = rule?.sid ?? group.sid;
  const gid = rule?.gid ?? group.gid;
  if (sid !== undefined) u.sid = sid;
  if (gid !== undefined) u.gid = gid;
  if (rule) u.rev = rule.rev;
  if (classtype !== undefined) u.classtype = classtype;
  if (rule) {
    u.explanation = explanationText(rule, opts);
    evidence.push({ kind: 'rule', ref: `sid:${rule.sid}`, note: `${rule.file}:${rule.line}` });
    if (payloads) {
      const m = matchedBytes(rule, payloads);
      u.matched = m.matched;
      evidence.push(...m.evidence);
      if (m.matched.length === 0 && rule.matches.length > 0) {
        const n = payloads.http.length + payloads.ssh.length + payloads.alerts.length;
        evidence.push({
          kind: 'rule',
          ref: `sid:${rule.sid}`,
          note: `the rule's payload matches were not found again in the ${n} recorded session part${n === 1 ? '' : 's'} checked`,
        });
      }
    }
  } else if (sid !== undefined) {
    evidence.push({
      kind: 'rule',
      ref: `sid:${sid}`,
      note: 'rule text not loaded: title and family from the alert message',
    });
  }
  return u;
}
