/** The user's inventory: format, errors with line numbers, and precedence over observations. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { loadCatalogue } from './catalogue.js';
import { type Inventory, parseInventory } from './inventory.js';
import { alertGroup, asset, service, webExchange } from './testing/fixtures.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();

function inventory(text: string): Inventory {
  const r = parseInventory(text, 'inventory.yaml', catalogue);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.inventory;
}

const INV = `version: 1
assets:
  - address: 192.0.2.0/24
    name: DMZ
    doesNotRun: [Joomla_CMS, cisco-ios]
  - address: 192.0.2.10
    name: intranet
    runs:
      - { product: Joomla, version: 3.4.1, port: 80 }
      - product: nginx
        port: 80
`;

test('the most specific block decides about a product; aliases resolve through the catalogue', () => {
  const inv = inventory(INV);
  const host = inv.knowledgeOf('192.0.2.10');
  assert.deepEqual(
    host.present.map((c) => [c.product, c.version, c.port]),
    [
      ['joomla', '3.4.1', 80],
      ['nginx', undefined, 80],
    ],
  );
  assert.deepEqual(
    host.absent.map((c) => c.product),
    ['cisco-ios'],
    'the /24 still speaks about what the /32 does not mention',
  );
  assert.equal(host.present[0]!.evidence.ref, 'inventory.yaml:9');
  const other = inv.knowledgeOf('192.0.2.77');
  assert.deepEqual(
    other.absent.map((c) => [c.product, c.evidence.ref]),
    [
      ['joomla', 'inventory.yaml:5'],
      ['cisco-ios', 'inventory.yaml:5'],
    ],
  );
  assert.deepEqual(inv.knowledgeOf('198.51.100.1').present, []);
});

test('precedence: the inventory version beats observed ones; its statements give "no"; an observed product beats "does not run"', async () => {
  const group = alertGroup({ msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)', dst: '192.0.2.10' });
  const body = '<meta name="generator" content="Joomla! 1.5 - Open Source Content Management">';
  const ex = webExchange('Cj', group.src, '192.0.2.10', 80, [
    { uri: '/', status: 200, server: 'nginx/1.22.1', body },
  ]);
  const lookup = memoryLookup({ flows: [ex.flow], http: ex.http });
  const fixed = inventory(
    'version: 1\nassets:\n  - address: 192.0.2.10\n    runs: [{ product: joomla, version: 3.5.0, port: 80 }]\n',
  );
  const v1 = await relevanceVerdict(group, undefined, lookup, catalogue, fixed);
  assert.equal(
    v1.applicable,
    'no',
    'the user says 3.5.0, outside the range, though traffic shows a 1.5 generator',
  );
  assert.match(v1.reason, /Joomla! CMS 3\.5\.0 runs on port 80 \(inventory\)/);

  const denies = inventory('version: 1\nassets:\n  - address: 192.0.2.0/24\n    doesNotRun: [joomla]\n');
  const quiet = await relevanceVerdict(
    { ...group, dst: '192.0.2.11' },
    undefined,
    memoryLookup({}),
    catalogue,
    denies,
  );
  assert.equal(quiet.applicable, 'no');
  assert.match(quiet.reason, /inventory: 192\.0\.2\.0\/24 does not run joomla/);
  assert.equal(quiet.evidence[0]!.ref, 'inventory.yaml:4');

  const contradicted = await relevanceVerdict(group, undefined, lookup, catalogue, denies);
  assert.equal(contradicted.applicable, 'yes', 'a product seen running is never hidden by a stale statement');
  assert.match(contradicted.reason, /inventory looks out of date/);

  // An Nmap import outranks passive traffic for the version.
  const nmap = asset('192.0.2.10', [
    service(80, { scripts: { 'http-generator': 'Joomla! 3.6 - Open Source Content Management' } }),
  ]);
  const v2 = await relevanceVerdict(
    group,
    undefined,
    memoryLookup({ flows: [ex.flow], http: ex.http, assets: [nmap] }),
    catalogue,
    undefined,
  );
  assert.equal(v2.applicable, 'no');
  assert.match(v2.reason, /3\.6 runs on port 80 \(nmap\)/);
});

test('errors name the line: unknown fields, bad addresses, contradictions, wrong types', () => {
  const errs = (text: string) => {
    const r = parseInventory(text, 'inventory.yaml', catalogue);
    assert.equal(r.ok, false);
    return r.ok ? [] : r.errors;
  };
  const e1 = errs('version: 1\nassets:\n  - address: 10.0.0.1\n    runz: [nginx]\n');
  assert.deepEqual(e1, [{ line: 4, message: 'assets.0: unknown field runz' }]);
  const e2 = errs('version: 1\nassets:\n  - address: 10.0.0.1\n  - address: 10.0.0.0/40\n');
  assert.equal(e2[0]!.line, 4);
  assert.match(e2[0]!.message, /not an address or CIDR block/);
  const e3 = errs(
    'version: 1\nassets:\n  - address: 10.0.0.1\n    runs: [{ product: nginx }]\n    doesNotRun: [nginx]\n',
  );
  assert.match(e3[0]!.message, /both in runs and in doesNotRun/);
  const e4 = errs(
    'version: 1\nassets:\n  - address: 10.0.0.1\n    runs:\n      - product: nginx\n        port: http\n',
  );
  assert.equal(e4[0]!.line, 6);
  const e5 = errs('version: 2\n');
  assert.equal(e5[0]!.line, 1);
  const e6 = errs('version: 1\nassets: [\n');
  assert.ok(e6[0]!.line !== undefined, 'YAML syntax errors have a line');
});

test('product names outside the catalogue are kept, with a warning naming the line', () => {
  const r = parseInventory(
    'version: 1\nassets:\n  - address: 10.0.0.1\n    runs: [{ product: MyCustomApp }]\n',
    'inventory.yaml',
    catalogue,
  );
  assert.ok(r.ok);
  assert.equal(r.warnings[0]!.line, 4);
  assert.deepEqual(
    r.inventory.knowledgeOf('10.0.0.1').present.map((c) => c.product),
    ['mycustomapp'],
  );
});
