/**
 * relevanceVerdict on hand-made evidence: the seed's Cisco-at-IIS case,
 * versions in and out of the affected range, unknown versions, nothing known,
 * a server that may be a proxy, absence shown by Nmap-imported and verify
 * probes, and rules that name no product.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { loadCatalogue } from './catalogue.js';
import { PROBE_SCRIPT_PREFIX } from './probe-record.js';
import { alertGroup, asset, service, webExchange } from './testing/fixtures.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();
const IIS_HOST = '192.0.2.10';

test('the seed: an attack on a Cisco router aimed at an IIS web server is not applicable, with the evidence', async () => {
  const ex = webExchange('Cweb1', '198.51.100.7', IIS_HOST, 80, [
    { uri: '/level/15/exec/-/show', status: 404, server: 'Microsoft-IIS/10.0' },
  ]);
  const lookup = memoryLookup({ flows: [ex.flow], http: ex.http });
  const v = await relevanceVerdict(
    alertGroup({ msg: 'ET EXPLOIT Cisco IOS HTTP Server Authentication Bypass' }),
    undefined,
    lookup,
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'no');
  assert.deepEqual(
    v.targets.map((t) => t.product),
    ['cisco-ios'],
  );
  assert.match(v.reason, /Microsoft IIS 10\.0/);
  assert.match(v.reason, /windows/);
  assert.ok(
    v.evidence.some(
      (e) => e.kind === 'flow' && e.ref === 'Cweb1' && /Microsoft-IIS\/10\.0/.test(e.note ?? ''),
    ),
  );
  assert.deepEqual(v.asset, [{ product: 'iis', version: '10.0', port: 80, source: 'passive' }]);
});

test('an IIS attack on nginx stays unknown: nginx may proxy to an IIS', async () => {
  const ex = webExchange('Cweb2', '198.51.100.7', IIS_HOST, 80, [
    { uri: '/', status: 200, server: 'nginx/1.22.1', body: '<html></html>' },
  ]);
  const lookup = memoryLookup({ flows: [ex.flow], http: ex.http });
  const v = await relevanceVerdict(
    alertGroup({ msg: 'ET WEB_SERVER Microsoft IIS WebDAV ScStoragePathFromUrl Overflow' }),
    undefined,
    lookup,
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'unknown');
  assert.match(v.reason, /proxy/);
  assert.deepEqual(v.targets, [{ product: 'iis', source: 'msg', versions: '6.0' }]);
});

test('nothing known about the asset: unknown, never no', async () => {
  const v = await relevanceVerdict(
    alertGroup({ msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)' }),
    undefined,
    memoryLookup({}),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'unknown');
  assert.match(v.reason, /nothing is known/);
});

test('a home page without a generator tag alone is not evidence of absence', async () => {
  const ex = webExchange('Cweb3', '198.51.100.7', IIS_HOST, 80, [
    { uri: '/', status: 200, server: 'nginx/1.22.1', body: '<html><head><title>x</title></head></html>' },
  ]);
  const v = await relevanceVerdict(
    alertGroup({ msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)' }),
    undefined,
    memoryLookup({ flows: [ex.flow], http: ex.http }),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'unknown');
  assert.match(
    v.reason,
    /nginx 1\.22\.1 answers on port 80; whether Joomla! CMS runs inside it is not shown/,
  );
});

test('versions: in range yes, out of range no, unknown version yes and says so', async () => {
  const group = alertGroup({ msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)' });
  const at = async (generator: string) => {
    const body = `<html><head><meta name="generator" content="${generator}" /></head></html>`;
    const ex = webExchange('Cj', '198.51.100.7', IIS_HOST, 80, [
      { uri: '/', status: 200, server: 'Apache/2.4.10', body },
    ]);
    return relevanceVerdict(
      group,
      undefined,
      memoryLookup({ flows: [ex.flow], http: ex.http }),
      catalogue,
      undefined,
    );
  };
  const old = await at('Joomla! 1.5 - Open Source Content Management');
  assert.equal(old.applicable, 'yes');
  assert.match(
    old.reason,
    /Joomla! CMS 1\.5 runs on port 80 \(passive\); affected versions are >=1\.5 <=3\.4\.5: in range/,
  );
  const unknown = await at('Joomla! - Open Source Content Management');
  assert.equal(unknown.applicable, 'yes');
  assert.match(unknown.reason, /version is unknown, affected versions are >=1\.5 <=3\.4\.5/);
  // A newer Joomla, from an Nmap import's CPE.
  const nmap = asset(IIS_HOST, [
    service(80, {
      name: 'http',
      product: 'Apache httpd',
      version: '2.4.57',
      cpe: ['cpe:/a:apache:http_server:2.4.57'],
      scripts: { 'http-generator': 'Joomla! 3.9 - Open Source Content Management' },
    }),
  ]);
  const newer = await relevanceVerdict(
    group,
    undefined,
    memoryLookup({ assets: [nmap] }),
    catalogue,
    undefined,
  );
  assert.equal(newer.applicable, 'no');
  assert.match(
    newer.reason,
    /Joomla! CMS 3\.9 runs on port 80 \(nmap\); affected versions are >=1\.5 <=3\.4\.5: not affected/,
  );
  assert.ok(newer.evidence.some((e) => e.kind === 'asset' && e.ref === 'nmap.xml:3'));
});

test('verify probes: the Joomla manifest found gives the version; 404s on Joomla entry points show absence', async () => {
  const group = alertGroup({
    msg: 'PICKET EXPLOIT Joomla serialized PHP object in User-Agent (CVE-2015-8562)',
  });
  const probe = (path: string, rec: object) => [
    `${PROBE_SCRIPT_PREFIX}GET ${path}`,
    JSON.stringify({ kind: 'http', method: 'GET', path, ...rec }),
  ];
  const found = asset(
    IIS_HOST,
    [
      service(80, {
        scripts: Object.fromEntries([
          probe('/administrator/manifests/files/joomla.xml', {
            status: 200,
            found: { product: 'joomla', version: '3.4.1' },
          }),
        ]),
      }),
    ],
    'verify',
  );
  const yes = await relevanceVerdict(
    group,
    undefined,
    memoryLookup({ assets: [found] }),
    catalogue,
    undefined,
  );
  assert.equal(yes.applicable, 'yes');
  assert.match(yes.reason, /Joomla! CMS 3\.4\.1 runs on port 80 \(verify\)/);
  const none = asset(
    IIS_HOST,
    [
      service(80, {
        scripts: Object.fromEntries([
          probe('/', { status: 200, server: 'nginx/1.22.1' }),
          probe('/administrator/', { status: 404, server: 'nginx/1.22.1' }),
        ]),
      }),
    ],
    'verify',
  );
  const no = await relevanceVerdict(group, undefined, memoryLookup({ assets: [none] }), catalogue, undefined);
  assert.equal(no.applicable, 'no');
  assert.match(no.reason, /GET \/administrator\/ → 404, a path every Joomla! CMS install serves \(verify\)/);
  assert.ok(no.evidence.some((e) => e.kind === 'probe'));
  // A hostile or broken probe row is data, ignored.
  const junk = asset(
    IIS_HOST,
    [service(80, { scripts: { [`${PROBE_SCRIPT_PREFIX}GET /`]: '{"kind":"http","status":"<script>"}' } })],
    'verify',
  );
  assert.equal(
    (await relevanceVerdict(group, undefined, memoryLookup({ assets: [junk] }), catalogue, undefined))
      .applicable,
    'unknown',
  );
});

test('a rule that names no product: unknown, and says why', async () => {
  const ex = webExchange('Cweb4', '198.51.100.7', IIS_HOST, 80, [
    { uri: '/', status: 200, server: 'nginx/1.22.1' },
  ]);
  const v = await relevanceVerdict(
    alertGroup({ msg: 'ET SCAN Nessus User Agent' }),
    undefined,
    memoryLookup({ flows: [ex.flow], http: ex.http }),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'unknown');
  assert.deepEqual(v.targets, []);
  assert.match(v.reason, /names no product/);
  assert.deepEqual(
    v.asset.map((a) => a.product),
    ['nginx'],
  );
});

test('SSH: the server banner in traffic makes an OpenSSH-aimed rule applicable', async () => {
  const ex = webExchange('Cssh', '198.51.100.7', IIS_HOST, 22, []);
  ex.flow.service = 'ssh';
  const ssh = [
    {
      ts: ex.flow.ts,
      uid: 'Cssh',
      origH: ex.flow.origH,
      origP: 40000,
      respH: IIS_HOST,
      respP: 22,
      client: 'SSH-2.0-libssh_0.10.6',
      server: 'SSH-2.0-OpenSSH_9.2p1 Debian-2',
    },
  ];
  const v = await relevanceVerdict(
    alertGroup({ msg: 'ET EXPLOIT OpenSSH user enumeration', dstPort: 22 }),
    undefined,
    memoryLookup({ flows: [ex.flow], ssh }),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'yes');
  assert.match(v.reason, /OpenSSH 9\.2p1 runs on port 22/);
});
