/**
 * Snippets under hostile input: User-Agents, URIs, messages and "addresses"
 * with quotes, backslashes, newlines, `%`, unicode and control bytes. No
 * snippet may carry a newline or quote from the data, and the WAF pattern
 * must match exactly the bytes it was made from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseThresholdConfig } from '../../rules/parse/threshold-config.js';
import { accepted } from '../../rules/testing.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps } from '../lookup.js';
import { excerptAround } from '../rule/excerpt.js';
import { recommendActions } from './recommend.js';
import { plainWords, snippetAddress } from './safe.js';
import { excerptBytes, regexBytes, wafSnippet } from './waf.js';

const hostile = fc.oneof(
  fc.string({ maxLength: 120, unit: 'binary' }),
  fc.constantFrom(
    '"; rm -rf / #',
    "'\n'SecRule",
    '\\"\\\\\n\r\t',
    '%0d%0aX-Injected: 1',
    '\u202eevil\u2066',
    '}__test|O:21:"JDatabaseDriverMysqli":3:{s:4:"\\0\\0\\0a"',
    ['$', '{jndi:ldap://x/a}'].join(''),
    '$(reboot)`id`',
    'ünïcødé 漢字 🙂',
  ),
);

/** A SecRule line: variable, one double-quoted @rx argument without quotes or backslash-escapes other than \xNN, one quoted action list. */
const SECRULE =
  /^ *SecRule [A-Z_]+(?::[A-Za-z-]+)? "@rx (?:\(\?i\))?\^?(?:[A-Za-z0-9]|\\x[0-9a-f]{2}|\.\*\?)*\$?" "[A-Za-z0-9:,'_ ./()-]*"$/;

test('WAF: the pattern matches exactly its bytes, and the SecRule lines keep their shape', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), hostile, (bytes, msg) => {
      const rx = regexBytes(bytes);
      assert.match(rx, /^(?:[A-Za-z0-9]|\\x[0-9a-f]{2})+$/);
      const s = Buffer.from(bytes).toString('latin1');
      assert.ok(new RegExp(`^${rx}$`).test(s));
      const text = wafSnippet(
        [{ buffer: 'http.user_agent', parts: [{ bytes, nocase: true }], startsWith: false, endsWith: false }],
        9900001,
        msg,
      )!;
      const lines = text.split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0]!, /^# /);
      assert.match(lines[1]!, SECRULE, lines[1]);
    }),
    { numRuns: 300 },
  );
});

test('WAF: bytes read back from an inert excerpt are the bytes that were escaped', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const x = excerptAround(bytes, 0, bytes.length);
      assert.deepEqual([...excerptBytes(x.excerpt.slice(x.start, x.end))], [...bytes]);
    }),
  );
});

test('addresses: only literal IPv4/IPv6 addresses, printed again canonically', () => {
  assert.deepEqual(snippetAddress('10.99.1.68'), { text: '10.99.1.68', v6: false });
  assert.equal(snippetAddress('2001:DB8:0:0::1')?.v6, true);
  for (const bad of [
    '10.0.0.1; rm -rf /',
    '10.0.0.1\n',
    'evil.example',
    '10.0.0.256',
    '',
    '::1 ::2',
    '"10.0.0.1"',
  ])
    assert.equal(snippetAddress(bad), undefined, bad);
  fc.assert(
    fc.property(hostile, (s) => {
      const a = snippetAddress(s);
      if (a) assert.match(a.text, /^[0-9a-f.:]+$/);
    }),
  );
  assert.equal(plainWords('ET SCAN "x"\nrm -rf; `id`'), 'ET SCAN x rm -rf id');
});

function steps(ua: string, msg: string, family: string): AlarmSteps {
  const x = excerptAround(Buffer.from(ua, 'utf8'), 0, Buffer.byteLength(ua));
  return {
    connection: {
      established: 'yes',
      dataExchanged: 'yes',
      blocked: 'no',
      basis: ['pcap'],
      summary: ua,
      evidence: [{ kind: 'flow', ref: ua }],
    },
    rule: {
      sid: 9900001,
      gid: 1,
      msg,
      family,
      alarmTitle: msg,
      references: [{ type: 'cve', value: ua }],
      metadata: {},
      matched: [{ buffer: 'http.user_agent', excerpt: x.excerpt, start: x.start, end: x.end }],
      evidence: [],
    },
    response: { answered: 'yes', attemptFailed: 'unknown', basis: 'http', meaning: ua, evidence: [] },
    relevance: {
      applicable: 'unknown',
      targets: [{ product: ua, versions: ua, source: 'catalogue' }],
      asset: [{ product: ua, version: ua, source: 'passive' }],
      reason: ua,
      evidence: [],
    },
  };
}

test('every recommendation and snippet (property): attacker strings never add lines or carry quotes, and the config lines parse', () => {
  const dispositions = [
    'failed-attempt',
    'needs-investigation',
    'likely-compromise',
    'not-applicable',
    'no-action',
    'blocked',
  ] as const;
  const families = ['scan', 'brute-force', 'exploit', 'web-attack', 'trojan'];
  const rule = accepted(
    'msg:"PICKET SCAN Nessus"; http.user_agent; content:"Nessus"; nocase; sid:9900001;',
    'http',
  );
  const shape = new Map<string, number>();
  fc.assert(
    fc.property(
      hostile,
      hostile,
      fc.constantFrom(...dispositions),
      fc.constantFrom(...families),
      fc.boolean(),
      (ua, msg, disposition, family, withRule) => {
        const group: AlertGroup = {
          key: 'k',
          sid: 9900001,
          gid: 1,
          msg,
          src: ua.length % 2 === 0 ? '10.99.1.68' : ua,
          dst: '10.99.0.10',
          dstPort: 80,
          ts: 1,
          lastSeen: 2,
          count: 1,
          alerts: [],
          sourceKinds: ['pcap'],
        };
        const recs = recommendActions({
          group,
          steps: steps(ua, msg, family),
          disposition,
          ...(withRule ? { rule } : {}),
        });
        assert.ok(recs.length > 0);
        for (const r of recs) {
          assert.ok(!/[\r\n\u0000-\u001f\u202e]/.test(r.reason), r.reason);
          for (const s of r.snippets) {
            // A format's line count does not depend on the data (same format, same data-free shape).
            const key = `${disposition}|${family}|${withRule}|${r.kind}|${s.format}|${group.src === ua ? 'bad-src' : 'src'}`;
            const lines = s.text.split('\n').length;
            if (s.format !== 'shell' && s.format !== 'text' && s.format !== 'modsecurity') {
              if (shape.has(key)) assert.equal(lines, shape.get(key), `${key}\n${s.text}`);
              else shape.set(key, lines);
            }
            if (ua.length >= 3 && /["'\n\\]/.test(ua) && s.format !== 'modsecurity')
              assert.ok(!s.text.includes(ua), s.text);
            if (s.format === 'modsecurity')
              for (const l of s.text.split('\n').slice(1)) assert.match(l, SECRULE, l);
            if (s.format === 'threshold.config') {
              const p = parseThresholdConfig(s.text);
              assert.deepEqual(p.problems, []);
              assert.equal(p.entries[0]?.kind, 'suppress');
            }
            if (s.format === 'text') assert.ok(!/["'`\\$]/.test(s.text), s.text);
          }
        }
      },
    ),
    { numRuns: 400 },
  );
});
