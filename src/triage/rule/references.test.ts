import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cveId, resolveReference, resolveReferences } from './references.js';

test('references: cve → NVD, bugtraq → SecurityFocus BID, url → https, others via reference.config', () => {
  assert.equal(
    resolveReference({ system: 'cve', id: '2015-8562' }).url,
    'https://nvd.nist.gov/vuln/detail/CVE-2015-8562',
  );
  assert.equal(
    resolveReference({ system: 'cve', id: 'CVE-2014-4019' }).url,
    'https://nvd.nist.gov/vuln/detail/CVE-2014-4019',
  );
  assert.equal(
    resolveReference({ system: 'bugtraq', id: '79195' }).url,
    'https://www.securityfocus.com/bid/79195',
  );
  assert.equal(
    resolveReference({ system: 'url', id: 'blog.sucuri.net/2015/12/x.html' }).url,
    'https://blog.sucuri.net/2015/12/x.html',
  );
  assert.equal(resolveReference({ system: 'url', id: 'http://example.org/a' }).url, 'http://example.org/a');
  assert.equal(
    resolveReference({ system: 'nessus', id: '12345' }).url,
    'https://www.tenable.com/plugins/nessus/12345',
  );
  const systems = new Map([['md5', 'https://files.example/']]);
  assert.equal(resolveReference({ system: 'md5', id: 'abc' }, systems).url, 'https://files.example/abc');
  assert.equal(resolveReference({ system: 'nosuch', id: 'x' }).url, undefined);
});

test('references: no link for other schemes, spaces, quotes or malformed ids', () => {
  for (const id of [
    'javascript:alert(1)',
    'data:text/html,x',
    'a b.example',
    'x.example/"onmouseover=1',
    'x.example/<script>',
  ]) {
    assert.equal(resolveReference({ system: 'url', id }).url, undefined, id);
  }
  assert.equal(resolveReference({ system: 'bugtraq', id: '12;rm' }).url, undefined);
  assert.equal(resolveReference({ system: 'cve', id: 'CVE-20x5' }).url, undefined);
});

test('references: ET metadata CVEs are added once', () => {
  const refs = resolveReferences([{ system: 'cve', id: '2021-44228' }], {
    cve: ['CVE_2021_44228', 'CVE_2021_45046'],
  });
  assert.deepEqual(
    refs.map((r) => r.url),
    ['https://nvd.nist.gov/vuln/detail/CVE-2021-44228', 'https://nvd.nist.gov/vuln/detail/CVE-2021-45046'],
  );
  assert.equal(cveId('cve_2015_8562'), 'CVE-2015-8562');
});

test('references: any id gives either no link or an http(s) URL without spaces or quotes', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('url', 'cve', 'bugtraq', 'nessus', 'md5', 'x'),
      fc.string({ maxLength: 200 }),
      (system, id) => {
        const r = resolveReference({ system, id });
        if (r.url === undefined) return;
        assert.match(r.url, /^https?:\/\/[^\s"'<>`]+$/);
      },
    ),
  );
});
