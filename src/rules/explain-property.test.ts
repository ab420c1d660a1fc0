/** Random rule texts that parse always explain and render: no throw, nothing raw reaches the terminal. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Rule } from './ast.js';
import { explainRule, renderExplanation } from './explain.js';
import { parseClassificationConfig } from './parse/classification.js';
import { newSpecCache } from './parse/header.js';
import { defaultReferenceSystems } from './parse/reference.js';
import { parseRule } from './parse/rule.js';
import { defaultVars } from './parse/variables.js';

const ctx = {
  vars: defaultVars(),
  cache: newSpecCache(),
  keywords: {
    classifications: parseClassificationConfig(
      'config classification: attempted-recon,Attempted Information Leak,2\nconfig classification: misc-activity,Misc activity,3\n',
    ).classes,
    references: defaultReferenceSystems(),
  },
  file: 'fuzz.rules',
};

function parse(text: string): Rule | undefined {
  const r = parseRule({ line: 1, text, disabled: false }, ctx);
  return 'rule' in r ? r.rule : undefined;
}

/** Bytes as a content string: safe printables as themselves, the rest as |hex|. */
const contentText = fc
  .uint8Array({ minLength: 1, maxLength: 12 })
  .map((b) =>
    [...b]
      .map((c) =>
        c >= 0x20 && c < 0x7f && !'";\\|'.includes(String.fromCharCode(c))
          ? String.fromCharCode(c)
          : `|${c.toString(16).padStart(2, '0')}|`,
      )
      .join(''),
  );
const small = fc.integer({ min: 0, max: 300 });
const modifier = fc.oneof(
  fc.constant('nocase;'),
  small.map((n) => `offset:${n};`),
  fc.integer({ min: 1, max: 300 }).map((n) => `depth:${n};`),
  fc.integer({ min: -20, max: 300 }).map((n) => `distance:${n};`),
  fc.integer({ min: 1, max: 300 }).map((n) => `within:${n};`),
  fc.constantFrom('startswith;', 'endswith;', 'fast_pattern;', 'rawbytes;'),
);
const content = fc
  .tuple(fc.boolean(), contentText, fc.array(modifier, { maxLength: 3 }))
  .map(([neg, t, mods]) => `content:${neg ? '!' : ''}"${t}"; ${mods.join(' ')}`);
const sticky = fc.constantFrom(
  'http.uri;',
  'http.uri.raw;',
  'http.user_agent;',
  'http.header;',
  'http.method;',
  'dns.query;',
  'tls.sni;',
  'ssh.software;',
  'file.data;',
  'http.host; to_lowercase;',
  'http.uri; url_decode;',
);
const pcre = fc
  .tuple(
    fc.constantFrom('^GET', 'a\\d+b', '\\x3a[^\\r\\n]*?\\{', '(?:foo|bar)$', '\\/etc\\/passwd', 'x{2,5}'),
    fc.subarray(['i', 's', 'm', 'R', 'U', 'H', 'V', 'B', 'O']),
    fc.boolean(),
  )
  .map(([src, flags, neg]) => `pcre:${neg ? '!' : ''}"/${src}/${flags.join('')}";`);
const other = fc.oneof(
  fc.constantFrom(
    'flow:established,to_server;',
    'flow:to_client,established,only_stream;',
    'flags:S;',
    'flags:SA+,12;',
    'flags:!R;',
    'itype:8;',
    'icode:0;',
    'ttl:<10;',
    'dsize:>100;',
    'dsize:10<>20;',
    'urilen:6;',
    'urilen:>100,raw;',
    'sameip;',
    'ip_proto:!6;',
    'flowbits:set,a.b;',
    'flowbits:isset,a|b;',
    'flowbits:isnotset,c;',
    'flowbits:noalert;',
    'xbits:set,scan,track ip_src,expire 60;',
    'flowint:count,+,1;',
    'flowint:count,>,5;',
    'noalert;',
    'tag:session,10,packets;',
    'app-layer-protocol:!http;',
    'stream_size:client,>,1000;',
    'classtype:attempted-recon;',
    'priority:2;',
    'target:dest_ip;',
    'filemagic:"PDF";',
    'geoip:src,RU;',
    'tls.version:1.2;',
    'ssl_state:client_hello;',
  ),
  fc
    .tuple(
      fc.constantFrom('limit', 'threshold', 'both'),
      fc.constantFrom('by_src', 'by_dst', 'by_rule', 'by_both', 'by_flow'),
      fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 1, max: 90000 }),
    )
    .map(([t, tr, c, s]) => `threshold:type ${t}, track ${tr}, count ${c}, seconds ${s};`),
  fc
    .tuple(
      fc.constantFrom('by_src', 'by_dst'),
      fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 1, max: 600 }),
    )
    .map(([tr, c, s]) => `detection_filter:track ${tr}, count ${c}, seconds ${s};`),
  fc
    .tuple(
      fc.constantFrom('cve', 'url', 'bugtraq', 'nessus', 'xyz'),
      fc.stringMatching(/^[A-Za-z0-9./:_-]{1,30}$/),
    )
    .map(([s, id]) => `reference:${s},${id};`),
  fc
    .tuple(
      fc.constantFrom('created_at', 'updated_at', 'affected_product', 'attack_target', 'odd_key'),
      fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/),
    )
    .map(([k, v]) => `metadata:${k} ${v};`),
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('>', '<', '=', '&', '^', '!'), small, small)
    .map(([n, op, v, o]) => `byte_test:${n},${op},${v},${o},relative;`),
  fc.tuple(fc.integer({ min: 1, max: 4 }), small).map(([n, o]) => `byte_jump:${n},${o},relative,align;`),
  small.map((n) => `isdataat:!${n},relative;`),
);
const segment = fc.oneof(
  { weight: 4, arbitrary: content },
  { weight: 2, arbitrary: fc.tuple(sticky, content).map(([s, c]) => `${s} ${c}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(sticky, fc.constantFrom('bsize:<50;', 'bsize:5<>9;')).map(([s, b]) => `${s} ${b}`),
  },
  { weight: 1, arbitrary: pcre },
  { weight: 3, arbitrary: other },
);
const header = fc
  .tuple(
    fc.constantFrom('alert', 'drop', 'pass', 'reject'),
    fc.constantFrom('tcp', 'udp', 'icmp', 'ip', 'http', 'tls', 'dns', 'ssh'),
    fc.constantFrom('any', '$HOME_NET', '$EXTERNAL_NET', '!$HOME_NET', '10.0.0.0/8', '[1.2.3.4,5.6.7.0/24]'),
    fc.constantFrom('any', '80', '$HTTP_PORTS', '1024:', '!22', '[80,443]'),
    fc.constantFrom('->', '<>'),
  )
  .map(([a, p, addr, port, dir]) => `${a} ${p} ${addr} ${port} ${dir} $HOME_NET any`);
const ruleText = fc
  .tuple(header, fc.string({ maxLength: 20 }), fc.array(segment, { minLength: 0, maxLength: 8 }))
  .map(
    ([h, msg, segs]) => `${h} (msg:"${msg.replace(/[";\\]/g, '')}"; ${segs.join(' ')} sid:9900999; rev:1;)`,
  );

function checkExplains(rule: Rule) {
  const e = explainRule(rule, { classifications: ctx.keywords.classifications });
  assert.equal(e.matches.length, rule.matches.length);
  assert.ok(e.summary.length > 0 && e.summary.endsWith('.'));
  const plain = renderExplanation(e, { color: false });
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(plain), plain);
  const coloured = renderExplanation(e, { color: true });
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
}

test('generated rules that parse explain and render without throwing', () => {
  let parsed = 0;
  fc.assert(
    fc.property(ruleText, (text) => {
      const rule = parse(text);
      if (!rule) return;
      parsed++;
      checkExplains(rule);
    }),
    { numRuns: 1500 },
  );
  assert.ok(parsed > 500, `only ${parsed} of 1500 generated rules parsed: the generator drifted`);
});

test('mutated rule texts: whatever still parses explains', () => {
  fc.assert(
    fc.property(
      ruleText,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 0xffff })), { maxLength: 6 }),
      (text, edits) => {
        let t = text;
        for (const [at, code] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + String.fromCharCode(code) + t.slice(i + 1);
        }
        const rule = parse(t);
        if (rule) checkExplains(rule);
      },
    ),
    { numRuns: 1500 },
  );
});
