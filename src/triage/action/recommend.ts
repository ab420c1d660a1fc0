/**
 * Step 5: what to do, tied to what the steps found, each with a snippet
 * ready to paste. The seed's cases set the pattern: a scan that failed →
 * block the source if the scan was not authorised, and silence the rule for
 * it; a brute force with no login → restrict SSH and add fail2ban; a likely
 * compromise → investigate first, then block and patch; an attack on
 * something the host does not run → no action (or silence it for that host).
 */
import type { Rule } from '../../rules/ast.js';
import type { ActionRecommendation, Disposition } from '../../schema/alarm.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps } from '../lookup.js';
import { blockSnippets } from './block.js';
import { patchSnippets, versionedTargets } from './patch.js';
import { preventionSnippets } from './prevention.js';
import { plainWords, snippetAddress, snippetPort, snippetSid } from './safe.js';
import { sshSnippets } from './ssh.js';
import { suppressLine } from './suppress.js';
import { patternsFromMatched, patternsFromRule, wafSnippet } from './waf.js';

export interface ActionInput {
  group: AlertGroup;
  steps: AlarmSteps;
  disposition: Disposition;
  /** The rule text, when loaded: prevention mode rewrites it, the WAF rule reuses its contents. */
  rule?: Rule;
  /** How long a block lasts (default 24 h). */
  blockHours?: number;
}

type Rec = ActionRecommendation;

/**
 * Relevance's reason is quoted whole in the no-action advice: it is the why an
 * analyst needs, and relevance builds it from bounded parts. This bound is a
 * backstop only (a cut falls where a word ends).
 */
const REASON_MAX = 1200;

/** Session ids from step 1's evidence, for the investigation commands (uids are Picket's own, checked anyway). */
function sessionRefs(steps: AlarmSteps): string[] {
  return steps.connection.evidence
    .filter((e) => e.kind === 'flow' && /^[A-Za-z0-9_-]{1,40}$/.test(e.ref))
    .map((e) => e.ref)
    .slice(0, 5);
}

/**
 * @example
 * recommendActions({ group, steps, disposition: 'failed-attempt' }).map((a) => a.kind)
 * // JCE scan answered 404: ['block-source', 'suppress', 'waf-rule', 'prevention-mode']
 */
export function recommendActions(input: ActionInput): ActionRecommendation[] {
  const { group, steps, disposition, rule } = input;
  const hours = input.blockHours ?? 24;
  const family = steps.rule.family;
  const sid = snippetSid(group.sid ?? steps.rule.sid);
  const gid = snippetSid(group.gid ?? steps.rule.gid) ?? 1;
  const src = snippetAddress(group.src);
  const dst = snippetAddress(group.dst);
  const port = snippetPort(group.dstPort);
  const msg = plainWords(steps.rule.msg, 80);
  const ssh = family === 'brute-force' || steps.response.loginSucceeded !== undefined;
  const login = steps.response.loginSucceeded;

  const block = (why: string): Rec =>
    src
      ? {
          kind: 'block-source',
          reason: `${why} The block lasts ${Math.round(hours)} h.`,
          snippets: blockSnippets({ address: src, hours, ...(sid !== undefined ? { sid } : {}) }),
        }
      : {
          kind: 'block-source',
          reason: `${why} The source is not a literal address, so no firewall snippet is given.`,
          snippets: [],
        };
  const suppress = (track: 'by_src' | 'by_dst', why: string): Rec | undefined => {
    const host = track === 'by_src' ? src : dst;
    if (sid === undefined || host === undefined) return undefined;
    return {
      kind: 'suppress',
      reason: why,
      snippets: [
        {
          format: 'threshold.config',
          text: `# threshold.config: sid ${sid} stays on for every other host\n${suppressLine(gid, sid, track, host.text)}`,
        },
      ],
    };
  };
  const waf = (why: string): Rec | undefined => {
    if (sid === undefined) return undefined;
    const patterns = rule ? patternsFromRule(rule) : patternsFromMatched(steps.rule.matched);
    const text = wafSnippet(patterns, sid, msg);
    return text === undefined
      ? undefined
      : { kind: 'waf-rule', reason: why, snippets: [{ format: 'modsecurity', text }] };
  };
  const prevention = (why: string): Rec | undefined =>
    sid === undefined
      ? undefined
      : {
          kind: 'prevention-mode',
          reason: why,
          snippets: preventionSnippets(rule, sid, gid, steps.rule.msg),
        };
  const restrictSsh = (why: string): Rec => ({
    kind: 'restrict-ssh',
    reason: why,
    snippets: sshSnippets({
      ...(src ? { source: src.text } : {}),
      ...(port !== undefined ? { port } : {}),
      hours,
    }),
  });
  const patch = (why: string): Rec | undefined => {
    if (steps.relevance.applicable === 'no') return undefined;
    const targets = versionedTargets(steps.relevance);
    if (targets.length === 0) return undefined;
    const cve = steps.rule.references.find((r) => r.type === 'cve')?.value;
    const snippets = patchSnippets(
      targets,
      steps.relevance.asset,
      cve ? `CVE-${cve.replace(/^cve-/i, '')}` : undefined,
    );
    return snippets.length > 0 ? { kind: 'patch', reason: why, snippets } : undefined;
  };
  const investigate = (why: string): Rec => {
    const lines = ['# The alerts and sessions behind this alarm:'];
    if (src) lines.push(`picket alarms --src ${src.text}${sid !== undefined ? ` --sid ${sid}` : ''}`);
    for (const uid of sessionRefs(steps)) lines.push(`# session ${uid}`);
    if (src && dst)
      lines.push(`tshark -r CAPTURE.pcap -Y "ip.addr == ${src.text} && ip.addr == ${dst.text}"`);
    if (ssh && src) lines.push(`grep -E "Accepted|session opened" /var/log/auth.log | grep -F "${src.text}"`);
    return { kind: 'investigate', reason: why, snippets: [{ format: 'shell', text: lines.join('\n') }] };
  };
  const out: Array<Rec | undefined> = [];

  switch (disposition) {
    case 'blocked':
      out.push({
        kind: 'no-action',
        reason: 'The firewall or IPS already stopped it; keep that rule in place.',
        snippets: [],
      });
      break;
    case 'not-applicable':
      out.push({
        kind: 'no-action',
        reason:
          `The target does not run what this attack is aimed at, so it cannot work here. ${inert(steps.relevance.reason, REASON_MAX)}`.trim(),
        snippets: [],
      });
      // A scan is reconnaissance whatever it looked for: the seed still blocks an unauthorised scanner.
      if (family === 'scan')
        out.push(
          block('The scan cannot hurt this host, but if you did not authorise it, block the source.'),
          suppress('by_src', 'If the scan is authorised (your own scanner), silence the signature for it.'),
        );
      else
        out.push(
          suppress(
            'by_dst',
            'Optional: silence this signature for this target only, if its alerts are noise.',
          ),
        );
      break;
    case 'no-action':
      out.push({
        kind: 'no-action',
        reason: 'Nothing reached a service that could be harmed.',
        snippets: [],
      });
      if (family === 'scan')
        out.push(
          block('If you did not authorise this scan, block the source.'),
          suppress('by_src', 'If the scan is authorised (your own scanner), silence the signature for it.'),
        );
      break;
    case 'likely-compromise':
      out.push(
        investigate(
          ssh && login === 'yes'
            ? 'A login succeeded from the source after repeated attempts: find what that session did, and change the password of that account.'
            : 'The answer suggests the attempt may have worked: read the sessions before changing anything, and keep the evidence.',
        ),
        block('Then cut the source off.'),
        ssh
          ? restrictSsh('Then close SSH to everyone who does not need it, and ban repeat failures.')
          : undefined,
        patch('Then patch: the target runs an affected version, or its version is not known.'),
        ssh ? undefined : prevention('Drop this attack inline from now on (needs Suricata in IPS mode).'),
      );
      break;
    default: {
      const failed = disposition === 'failed-attempt';
      if (!failed && family !== 'scan')
        out.push(
          investigate('The evidence does not settle whether this worked: look at the sessions first.'),
        );
      if (family === 'brute-force' || ssh) {
        out.push(
          restrictSsh(
            login === 'no'
              ? 'No login succeeded, but SSH answers this source: allow only known users from known addresses, and ban repeat failures.'
              : 'SSH answers this source: allow only known users from known addresses, and ban repeat failures.',
          ),
          block('Block the guessing source.'),
        );
      } else if (family === 'scan') {
        out.push(
          block(
            failed
              ? 'The scan failed here; if you did not authorise it, block the source.'
              : 'If you did not authorise this scan, block the source.',
          ),
          waf('If you run a WAF, refuse these requests before they reach the application.'),
          suppress(
            'by_src',
            'If the scan is authorised (your own scanner), silence the signature for it instead.',
          ),
          prevention('Or drop these requests inline (needs Suricata in IPS mode).'),
          failed ? undefined : investigate('The scan reached a live service: check what it was served.'),
        );
      } else if (family === 'exploit' || family === 'web-attack') {
        out.push(
          block(
            failed
              ? 'The attempt failed; block the source so it cannot try again.'
              : 'Block the source while you check.',
          ),
          waf('If you run a WAF, refuse these requests before they reach the application.'),
          prevention('Drop this attack inline from now on (needs Suricata in IPS mode).'),
          patch('Keep the product patched: these versions are affected.'),
        );
      } else if (failed) {
        out.push(
          suppress('by_src', 'If these alerts are expected from this source, silence the signature for it.'),
        );
      }
    }
  }
  const recs = out.filter((r): r is Rec => r !== undefined);
  return recs.length > 0
    ? recs
    : [
        {
          kind: 'no-action',
          reason: `No action fits ${msg || 'this alert'} with what is known.`,
          snippets: [],
        },
      ];
}
