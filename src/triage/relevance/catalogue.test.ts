import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_CATALOGUE, loadCatalogue, parseCatalogue } from './catalogue.js';
import { absentByPath, foundByPath, generatorOf, pathOf } from './fingerprint.js';

const catalogue = loadCatalogue();

test('the shipped catalogue loads and holds the seed cases and the lab servers', () => {
  for (const id of [
    'joomla',
    'jce',
    'zyxel-zynos',
    'cisco-ios',
    'cisco-asa',
    'iis',
    'nginx',
    'openssh',
    'apache-httpd',
  ])
    assert.ok(catalogue.product(id), `${id} is catalogued`);
  assert.equal(catalogue.product('Joomla_CMS')?.id, 'joomla', 'ET affected_product spelling');
  assert.equal(catalogue.product('ZyXEL_ZynOS')?.id, 'zyxel-zynos');
  assert.equal(catalogue.product('Microsoft-IIS')?.id, 'iis');
  assert.deepEqual(catalogue.product('jce')?.requires, ['joomla']);
  const cve = catalogue.vulnerabilities.find((v) => v.id === 'CVE-2015-8562');
  assert.equal(cve?.product, 'joomla');
  assert.equal(cve?.versions?.text, '>=1.5 <=3.4.5');
});

test('rule messages name products as whole words', () => {
  const ids = (msg: string) =>
    catalogue
      .productsInMessage(msg)
      .map((p) => p.id)
      .sort();
  assert.deepEqual(ids('ET SCAN JCE Joomla Scanner'), ['jce', 'joomla']);
  assert.deepEqual(
    ids('ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt (Contains Passwords)'),
    ['zyxel-zynos'],
  );
  assert.deepEqual(ids('ET EXPLOIT Cisco IOS HTTP Server Authentication Bypass'), ['cisco-ios']);
  assert.deepEqual(ids('ET SCAN Nessus User Agent'), []);
  assert.deepEqual(ids('Joomlaesque thing'), [], 'not inside another word');
});

test('vulnerabilities are found by CVE, by sid, or by a phrase with the product named', () => {
  const byMsg = catalogue.vulnerabilitiesOf({
    cves: [],
    msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)',
    products: ['joomla'],
  });
  assert.deepEqual(
    byMsg.map((v) => v.id),
    ['CVE-2015-8562'],
  );
  const noProduct = catalogue.vulnerabilitiesOf({ cves: [], msg: 'Serialized PHP in UA', products: [] });
  assert.deepEqual(noProduct, [], 'a phrase alone does not name the vulnerability');
  assert.deepEqual(
    catalogue.vulnerabilitiesOf({ cves: ['cve-2015-8562'], msg: '', products: [] }).map((v) => v.id),
    ['CVE-2015-8562'],
  );
  assert.deepEqual(
    catalogue.vulnerabilitiesOf({ cves: [], sid: 2018232, msg: '', products: [] }).map((v) => v.id),
    ['CVE-2014-4019'],
  );
});

test('banners, generator tags and CPEs name products and versions', () => {
  const one = (r: { product: { id: string }; version?: string }[]) =>
    r.map((x) => `${x.product.id}${x.version ? ` ${x.version}` : ''}`);
  assert.deepEqual(one(catalogue.fromBanner('nginx/1.22.1')), ['nginx 1.22.1']);
  assert.deepEqual(one(catalogue.fromBanner('Apache/2.4.57 (Debian) PHP/8.2.7')), [
    'php 8.2.7',
    'apache-httpd 2.4.57',
  ]);
  assert.deepEqual(one(catalogue.fromBanner('Apache-Coyote/1.1')), [], 'Tomcat is not Apache httpd');
  assert.deepEqual(one(catalogue.fromBanner('Microsoft-IIS/10.0')), ['iis 10.0']);
  assert.deepEqual(one(catalogue.fromBanner('Microsoft-HTTPAPI/2.0')), ['microsoft-httpapi 2.0']);
  assert.deepEqual(one(catalogue.fromBanner('OpenSSH_9.2p1 Debian-2+deb12u10')), ['openssh 9.2p1']);
  assert.deepEqual(one(catalogue.fromBanner('Cisco-1.25')), ['cisco-ssh 1.25']);
  assert.deepEqual(one(catalogue.fromBanner('cisco-IOS')), ['cisco-ios']);
  assert.deepEqual(one(catalogue.fromBanner('RomPager/4.07 UPnP/1.0')), ['rompager 4.07']);
  assert.deepEqual(one(catalogue.fromBanner('xnginx/1.0')), []);
  assert.deepEqual(one(catalogue.fromGenerator('Joomla! - Open Source Content Management')), ['joomla']);
  assert.deepEqual(one(catalogue.fromGenerator('Joomla! 1.5 - Open Source Content Management')), [
    'joomla 1.5',
  ]);
  assert.deepEqual(one(catalogue.fromGenerator('WordPress 6.4.2')), ['wordpress 6.4.2']);
  assert.deepEqual(one(catalogue.fromCpe('cpe:/a:igor_sysoev:nginx:1.22.1')), ['nginx 1.22.1']);
  assert.deepEqual(one(catalogue.fromCpe('cpe:/a:openbsd:openssh:9.2p1')), ['openssh 9.2p1']);
});

test('generator tags in any attribute order; paths without query; fingerprints', () => {
  assert.equal(
    generatorOf('<head><META content="Joomla! - Open Source Content Management" name="generator"></head>'),
    'Joomla! - Open Source Content Management',
  );
  assert.equal(generatorOf("<meta name='generator' content='WordPress 6.4'>"), 'WordPress 6.4');
  assert.equal(generatorOf('<meta name="description" content="x">'), undefined);
  assert.equal(pathOf('/index.php?option=com_jce&task=plugin'), '/index.php');
  assert.equal(pathOf('/Administrator/'), '/administrator');
  assert.equal(pathOf('http://10.0.0.1/rom-0'), '/rom-0');
  assert.deepEqual(
    absentByPath(catalogue, '/index.php?option=com_jce', 404).map((p) => p.id),
    ['joomla'],
  );
  assert.deepEqual(
    absentByPath(catalogue, '/administrator/', 404).map((p) => p.id),
    ['joomla'],
  );
  assert.deepEqual(absentByPath(catalogue, '/index.php', 403), [], 'refused is not absent');
  assert.deepEqual(
    absentByPath(catalogue, '/administrator/manifests/files/joomla.xml', 404),
    [],
    'absent on 1.5: proves nothing',
  );
  const manifest =
    '<?xml version="1.0"?>\n<extension version="3.4" type="file" method="upgrade">\n<name>files_joomla</name><version>3.4.5</version></extension>';
  const found = foundByPath(catalogue, '/administrator/manifests/files/joomla.xml', 200, manifest);
  assert.deepEqual(
    found.map((r) => [r.product.id, r.version]),
    [['joomla', '3.4.5']],
  );
  assert.deepEqual(
    foundByPath(catalogue, '/administrator/manifests/files/joomla.xml', 200, '<html>Welcome to nginx</html>'),
    [],
    'a catch-all page is not the manifest',
  );
});

test('catalogue errors carry line numbers: unknown fields, dangling names, bad ranges, reused aliases', () => {
  const text = readFileSync(DEFAULT_CATALOGUE, 'utf8');
  const broken = (from: string, to: string) => {
    assert.ok(text.includes(from), from);
    const r = parseCatalogue(text.replace(from, to));
    assert.equal(r.ok, false);
    return r.ok ? [] : r.errors;
  };
  const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
  const e1 = broken(
    '    kind: application\n    aliases: [Joomla,',
    '    kind: application\n    colour: red\n    aliases: [Joomla,',
  );
  assert.match(e1[0]!.message, /unknown field colour/);
  assert.equal(e1[0]!.line, lineOf('    kind: application\n    aliases: [Joomla,') + 1);
  const e2 = broken('requires: [joomla]', 'requires: [drupal]');
  assert.match(e2[0]!.message, /unknown product drupal/);
  assert.equal(e2[0]!.line, lineOf('requires: [joomla]'));
  const e3 = broken("versions: '>=1.5 <=3.4.5'", "versions: '>=1.5 <=three'");
  assert.match(e3[0]!.message, /three/);
  assert.equal(e3[0]!.line, lineOf("versions: '>=1.5 <=3.4.5'"));
  const e4 = broken('aliases: [nginx, nginx_web_server]', 'aliases: [nginx, Joomla_CMS]');
  assert.match(e4[0]!.message, /already names joomla/);
  const e5 = broken('version: 1\n', 'version: 1\nversion: 2\n');
  assert.ok(e5[0]!.line !== undefined);
});
