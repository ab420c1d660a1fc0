/**
 * relevanceVerdict over random evidence: hostile Server headers, generator
 * tags, URIs and statuses, random rule messages. It never throws, and it
 * never says "no" without a piece of asset evidence behind it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { loadCatalogue } from './catalogue.js';
import { alertGroup, webExchange } from './testing/fixtures.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();
const hostile = ['<script>alert(1)</script>', '\u001b[31m', '\u202e', "'; DROP TABLE", 'A'.repeat(3000), ''];
const servers = [
  'nginx/1.22.1',
  'Microsoft-IIS/10.0',
  'Apache/2.4.1',
  'RomPager/4.07',
  'cisco-IOS',
  'Apache-Coyote/1.1',
  ...hostile,
];
const uris = [
  '/',
  '/index.php?option=com_jce',
  '/administrator/',
  '/rom-0',
  '/x',
  '/administrator/manifests/files/joomla.xml',
  ...hostile,
];
const bodies = [
  '',
  '<meta name="generator" content="Joomla! 1.5">',
  '<meta name="generator" content="WordPress 6">',
  '<extension><version>3.4.1</version>',
  ...hostile,
];
const msgs = [
  'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)',
  'ET SCAN JCE Joomla Scanner',
  'ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt',
  'ET EXPLOIT Cisco IOS HTTP Server Authentication Bypass',
  'ET SCAN Nessus User Agent',
  ...hostile,
];

const answer = fc.record({
  uri: fc.constantFrom(...uris),
  status: fc.constantFrom(200, 301, 403, 404, 410, 500),
  server: fc.constantFrom(...servers),
  body: fc.constantFrom(...bodies),
});

test('property: never throws; "no" always rests on asset evidence; nothing recorded never gives "no"', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...msgs),
      fc.array(answer, { maxLength: 6 }),
      fc.boolean(),
      async (msg, answers, withTraffic) => {
        const group = alertGroup({ msg });
        const ex = webExchange('Cp', group.src, group.dst, 80, answers);
        const lookup = memoryLookup(withTraffic ? { flows: [ex.flow], http: ex.http } : {});
        const v = await relevanceVerdict(group, undefined, lookup, catalogue, undefined);
        assert.ok(['yes', 'no', 'unknown'].includes(v.applicable));
        if (v.applicable === 'no')
          assert.ok(
            v.evidence.some((e) => e.kind !== 'rule'),
            v.reason,
          );
        if (!withTraffic || answers.length === 0) assert.notEqual(v.applicable, 'no', v.reason);
        if (v.targets.length === 0) assert.equal(v.applicable, 'unknown');
        assert.ok(v.reason.length < 4000, 'reasons stay bounded');
        assert.ok(v.evidence.length <= 20);
      },
    ),
    { numRuns: 300 },
  );
});
