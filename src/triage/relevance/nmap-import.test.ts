/**
 * Real Nmap output as asset knowledge: nginx started here on loopback with a
 * Joomla generator tag, scanned with `nmap -sV -sC` (http-generator runs by
 * default), read by Picket's Nmap reader and judged by relevance.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { needTools } from '../../../test/support/env.js';
import { readNmapXmlFile } from '../../read/nmap/index.js';
import type { Asset } from '../../schema/asset.js';
import { createProblemLog } from '../../util/problems.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { loadCatalogue } from './catalogue.js';
import { alertGroup } from './testing/fixtures.js';
import { startTestNginx } from './testing/nginx.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) c();
});

async function scan(port: number): Promise<Asset[]> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-relevance-nmap-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const xml = join(dir, 'scan.xml');
  await promisify(execFile)(
    'nmap',
    ['-sV', '-sC', '-Pn', '-n', '-p', String(port), '127.0.0.1', '-oX', xml],
    { timeout: 120_000 },
  );
  const assets: Asset[] = [];
  await readNmapXmlFile(xml, { problems: createProblemLog(), onAsset: (a) => assets.push(a) });
  return assets;
}

test('nmap -sV -sC of a Joomla-tagged nginx: Joomla runs (version unknown), so CVE-2015-8562 applies', {
  skip: needTools('nmap', 'nginx'),
}, async () => {
  const { port } = await startTestNginx(
    {
      'index.html':
        '<html><head><meta name="generator" content="Joomla! - Open Source Content Management" /><title>x</title></head></html>',
    },
    cleanups,
  );
  const assets = await scan(port);
  assert.equal(assets.length, 1);
  const group = alertGroup({
    msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)',
    dst: '127.0.0.1',
    dstPort: port,
  });
  const v = await relevanceVerdict(group, undefined, memoryLookup({ assets }), catalogue, undefined);
  assert.equal(v.applicable, 'yes', v.reason);
  assert.match(
    v.reason,
    /Joomla! CMS runs on port \d+ \(nmap\); its version is unknown, affected versions are >=1\.5 <=3\.4\.5/,
  );
  const nginx = v.asset.find((a) => a.product === 'nginx');
  assert.equal(nginx?.source, 'nmap');
  assert.match(nginx?.version ?? '', /^\d+\.\d+/, 'nmap -sV read nginx version');
  // The same host for a rule aimed at a ZyNOS router: nginx is not one.
  const rom = await relevanceVerdict(
    { ...group, msg: 'ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt' },
    undefined,
    memoryLookup({ assets }),
    catalogue,
    undefined,
  );
  assert.equal(rom.applicable, 'no');
  assert.match(
    rom.reason,
    /answers as nginx [\d.]+ \(nmap\), which runs on linux\/bsd\/unix\/macos\/windows, not on zyxel-zynos/,
  );
});
