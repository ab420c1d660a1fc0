/**
 * Attacker strings for escaping tests: script tags, event handlers,
 * `javascript:` URLs, quotes, ANSI escapes, right-to-left overrides and
 * control characters, as they would arrive in User-Agents, URIs, Server
 * headers and log lines.
 */
import type { Alarm } from '../../../schema/alarm.js';
import { buildAlarm } from '../build.js';
import { builtGroup, unknownSteps } from './steps.js';

export const HOSTILE = [
  '<script>document.title="pwned";window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  "'><svg onload=window.__pwned=1>",
  'javascript:window.__pwned=1',
  '\u001b[2J\u001b[31mRED\u001b]0;title\u0007',
  'user\u202egnp.exe\u202c',
  'nul\u0000del\u007fc1\u0085bell\u0007',
  '</textarea></details><style>body{display:none}</style>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '&lt;script&gt; already escaped? &amp;',
] as const;

/** One alarm whose every attacker- or server-controlled field holds the corpus. */
export function hostileAlarm(i = 0): Alarm {
  const h = (k: number) => HOSTILE[(i + k) % HOSTILE.length]!;
  const all = HOSTILE.join(' | ');
  const msg = 'ET SCAN Hostile User-Agent';
  const alarm = buildAlarm(
    builtGroup(msg, { sid: 9_990_000 + i, src: '203.0.113.9', dst: '192.0.2.80', ts: 1_795_432_331 + i }),
    unknownSteps(msg, 'scan', {
      connection: {
        established: 'yes',
        summary: `connection ${h(1)}`,
        evidence: [{ kind: 'flow', ref: `C${h(2)}`, note: h(3) }],
      },
      rule: {
        sid: 9_990_000 + i,
        explanation: `matches ${h(4)}\nsecond line ${h(5)}`,
        matched: [{ buffer: 'http.user_agent', excerpt: all, start: 3, end: 40 }],
        references: [{ type: 'url', value: h(3), url: 'javascript:window.__pwned=1' }],
        evidence: [{ kind: 'http', ref: h(6) }],
      },
      response: {
        answered: 'yes',
        attemptFailed: 'yes',
        basis: 'http',
        http: { status: 404, server: h(0), contentType: h(7) },
        meaning: `the server said ${h(8)}`,
        evidence: [{ kind: 'log-line', ref: `access.log:${i + 1}`, note: all }],
      },
      relevance: {
        applicable: 'unknown',
        targets: [{ product: h(1), source: 'msg' }],
        asset: [{ product: h(2), version: h(9), source: 'passive' }],
        reason: h(5),
      },
    }),
    {
      recommend: () => [
        {
          kind: 'waf-rule',
          reason: h(6),
          snippets: [
            { format: 'modsecurity', text: `SecRule REQUEST_HEADERS:User-Agent "${h(0)}"\n${h(4)}` },
          ],
        },
      ],
      incident: `I${h(2)}`,
    },
  );
  return { ...alarm, title: `${h(4)}${h(5)} scanning with ${h(0)}` };
}
