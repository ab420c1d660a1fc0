import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sampleFooter, sampleHeader, sampleRouter, sampleScan } from '../read/nmap/testing/sample.js';
import { formatAnalyzeSummary } from '../serve/cli/format.js';
import { openStore } from '../store/index.js';
import { analyze } from './analyze.js';
import { resolveInputs } from './inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-nmap-analyze-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('Nmap XML is recognised by content, whatever its name; other XML is not', () => {
  const d = join(dir, 'sniff');
  mkdirSync(d);
  writeFileSync(join(d, 'scan.txt'), sampleScan);
  writeFileSync(join(d, 'bom.dat'), `\uFEFF\n  ${sampleScan}`);
  writeFileSync(join(d, 'page.xml'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  writeFileSync(join(d, 'no-decl.xml'), sampleScan.replace(/^<\?xml[^>]*>\n/, ''));
  const { inputs, unrecognised } = resolveInputs([d]);
  assert.deepEqual(
    inputs.map((i) => [i.path.slice(d.length + 1), i.kind]),
    [
      ['bom.dat', 'nmap-xml'],
      ['scan.txt', 'nmap-xml'],
    ],
  );
  assert.deepEqual(
    unrecognised.map((u) => u.path.slice(d.length + 1)),
    ['no-decl.xml', 'page.xml'],
  );
});

test('analyze stores each host as an asset, counts them, and says so in the summary', async () => {
  const d = join(dir, 'run');
  mkdirSync(d);
  writeFileSync(join(d, 'a-scan.xml'), sampleScan);
  // A scan cut short: its completed host is kept, the cut is a problem with the file named.
  const cut = sampleHeader + sampleRouter.replace('192.0.2.1', '192.0.2.2') + sampleRouter.slice(0, 300);
  writeFileSync(join(d, 'b-cut.xml'), cut);
  const store = await openStore(join(dir, 'db', 'picket.db'));
  try {
    const s = await analyze({ inputs: [d], store });
    assert.equal(s.assets, 3);
    assert.deepEqual(
      s.inputs.map((i) => [i.path.slice(d.length + 1), i.format, i.assets]),
      [
        ['a-scan.xml', 'nmap-xml', 2],
        ['b-cut.xml', 'nmap-xml', 1],
      ],
    );
    assert.deepEqual(s.problems.byCode, { 'nmap.truncated': 1 });
    assert.equal(s.problems.samples[0]!.file, join(d, 'b-cut.xml'));

    const [router] = await store.assets('192.0.2.1');
    assert.equal(router!.services.find((x) => x.port === 80)!.product, 'RomPager');
    assert.equal(router!.source.file, join(d, 'a-scan.xml'));
    assert.deepEqual(
      (await store.assets()).map((a) => a.address),
      ['192.0.2.1', '192.0.2.2', '2001:db8::10'],
    );
    assert.equal((await store.stats()).assets, 3);
    const [run] = await store.runs({ limit: 1 });
    assert.equal(run!.summary!.assets, 3);

    const text = formatAnalyzeSummary(s);
    assert.match(text, /^Assets: 3 hosts from Nmap XML/m);
    assert.match(text, /a-scan\.xml {2}Nmap XML, 2 hosts/);

    // Analysing again stores nothing twice.
    await analyze({ inputs: [join(d, 'a-scan.xml')], store });
    assert.equal((await store.stats()).assets, 3);
  } finally {
    await store.close();
  }
});

test('Nmap XML among other inputs in a folder', async () => {
  const d = join(dir, 'mixed');
  mkdirSync(d);
  writeFileSync(join(d, 'scan.xml'), sampleHeader + sampleRouter + sampleFooter);
  writeFileSync(join(d, 'notes.txt'), 'just some words\n');
  const s = await analyze({ inputs: [d] });
  assert.equal(s.assets, 1);
  assert.equal(s.unrecognised.length, 1);
});
