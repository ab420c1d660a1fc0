/**
 * Move a signature to prevention mode: the rule with `drop` in place of
 * `alert`, sid unchanged. ET rules are rewritten on every update, so for
 * them the change goes through suricata-update's drop.conf or modify.conf
 * instead of an edited rules file. Either only drops when Suricata runs
 * inline (NFQUEUE, AF_PACKET IPS mode).
 */
import type { Rule } from '../../rules/ast.js';
import type { ActionRecommendation } from '../../schema/alarm.js';

/** The rule text with its action word replaced, or undefined when it does not start with `alert`. */
export function dropRuleText(rule: Rule): string | undefined {
  if (rule.header.action !== 'alert') return undefined;
  const m = /^\s*alert\b/.exec(rule.text);
  if (m === null || /[\r\n]/.test(rule.text)) return undefined;
  return `drop${rule.text.slice(m[0].length)}`;
}

/** ET Open/Pro sids, and rules whose message says they come from ET, are maintained upstream. */
export function isUpstreamRule(sid: number, msg: string): boolean {
  return (sid >= 2_000_000 && sid < 3_000_000) || /^(?:ET|ETPRO|GPL)\s/.test(msg);
}

/**
 * @example preventionSnippets(rule, 9900001, 1, 'PICKET SCAN ...')[0].format // 'suricata-rule'
 */
export function preventionSnippets(
  rule: Rule | undefined,
  sid: number,
  gid: number,
  msg: string,
): ActionRecommendation['snippets'] {
  const updateFiles: ActionRecommendation['snippets'] = [
    {
      format: 'suricata-update drop.conf',
      text: `# /etc/suricata/drop.conf, then run suricata-update\n${gid}:${sid}`,
    },
    {
      format: 'suricata-update modify.conf',
      text: `# or /etc/suricata/modify.conf, then run suricata-update\n${sid} "^alert" "drop"`,
    },
  ];
  const dropped = rule !== undefined && !isUpstreamRule(sid, msg) ? dropRuleText(rule) : undefined;
  if (dropped === undefined) return updateFiles;
  return [
    { format: 'suricata-rule', text: `# replaces sid ${sid} in ${fileName(rule!.file)}\n${dropped}` },
    ...updateFiles,
  ];
}

function fileName(path: string): string {
  const base = path.split('/').pop() ?? 'the rules file';
  return /^[A-Za-z0-9._-]{1,100}$/.test(base) ? base : 'the rules file';
}
