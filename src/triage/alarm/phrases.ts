/**
 * The pieces of an alarm's one-sentence conclusion: who did what to which
 * host, what answered, and what to do. Server-supplied text (the Server
 * header) is made inert here; display layers escape again for their medium.
 */
import type { ActionKind, ActionRecommendation } from '../../schema/alarm.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps } from '../lookup.js';
import { serviceDef } from '../relevance/services.js';

const FAMILY_NOUN: Record<string, string> = {
  scan: 'scan',
  'brute-force': 'brute force',
  exploit: 'exploit attempt',
  'web-attack': 'web attack',
  policy: 'policy alert',
  trojan: 'trojan traffic',
  dos: 'denial-of-service attempt',
  info: 'alert',
};

/** What each recommended action reads like at the end of a conclusion. */
export const ADVICE: Record<ActionKind, string> = {
  'block-source': 'block the source if it is not authorised',
  'prevention-mode': 'move the signature to prevention mode',
  suppress: 'suppress the signature for this host',
  'restrict-ssh': 'restrict who may reach SSH',
  'waf-rule': 'add a WAF rule for the request',
  patch: 'patch the target',
  investigate: 'investigate',
  'no-action': 'no action needed',
};

/** The rule's message without its vendor and category prefix ("ET SCAN ", "PICKET EXPLOIT "). */
export function shortName(msg: string): string {
  const s = msg.replace(/^(?:ET|ETPRO|GPL|PICKET|SURICATA|SNORT)\s+(?:[A-Z][A-Z0-9_]+\s+)?/, '').trim();
  return inert(s || msg, 100);
}

/** "The scan "JCE Joomla Scanner" from 10.99.1.68". */
export function subject(group: AlertGroup, steps: AlarmSteps): string {
  const noun = FAMILY_NOUN[steps.rule.family] ?? 'alert';
  const count = group.count > 1 ? ` (${group.count} alerts)` : '';
  return `The ${noun} "${shortName(steps.rule.msg || group.msg)}" from ${group.src}${count}`;
}

/** "nginx on 10.99.0.10:80", or the bare address when no Server header was seen. */
export function target(group: AlertGroup, steps: AlarmSteps): string {
  const addr = group.dstPort !== undefined ? `${hostPort(group.dst)}:${group.dstPort}` : group.dst;
  const server = steps.response.http?.server;
  return server ? `${inert(server, 40)} on ${addr}` : addr;
}

function hostPort(addr: string): string {
  return addr.includes(':') ? `[${addr}]` : addr;
}

/** " and was answered 404" / " and no login succeeded" / "" when nothing is known. */
export function answerPhrase(steps: AlarmSteps): string {
  const r = steps.response;
  if (r.http?.status !== undefined) return ` and was answered ${r.http.status}`;
  if (r.loginSucceeded === 'no') return ' and no login succeeded';
  if (r.loginSucceeded === 'yes') return ' and a login succeeded';
  if (r.answered === 'no') return ' but nothing answered';
  return '';
}

/** Up to two distinct recommendations, in the order given, as a clause. */
export function adviceFrom(actions: readonly ActionRecommendation[] | undefined, fallback: string): string {
  const kinds: ActionKind[] = [];
  for (const a of actions ?? []) if (!kinds.includes(a.kind)) kinds.push(a.kind);
  if (kinds.length === 0) return fallback;
  // "No action" first: anything after it is optional, not a second duty.
  if (kinds[0] === 'no-action' && kinds.length > 1)
    return `${ADVICE['no-action']} (optionally: ${ADVICE[kinds[1]!]})`;
  return kinds
    .slice(0, 2)
    .map((k) => ADVICE[k])
    .join(', and ');
}

/** The products named by a claim list, for sentences: "joomla 1.5–3.4.5, jce"; a service target as "an SSH server". */
export function products(
  claims: readonly { product: string; version?: string; versions?: string; source?: string }[],
): string {
  const names: string[] = [];
  for (const c of claims) {
    const v = c.version ?? c.versions;
    const service = c.source === 'service' ? serviceDef(c.product)?.name : undefined;
    const name = service ?? inert(v ? `${c.product} ${v}` : c.product, 40);
    if (!names.includes(name)) names.push(name);
    if (names.length === 3) break;
  }
  return names.join(', ');
}
