/**
 * A real Nmap scan, on loopback only: three small servers started here, one
 * `nmap -sV` of their ports, and the asset compared with nmap's own XML read
 * through an independent path (regular expressions over the file).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { needTools } from '../../../test/support/env.js';
import type { Asset } from '../../schema/asset.js';
import { assetSchema } from '../../schema/asset.js';
import { createProblemLog } from '../../util/problems.js';
import { readNmapXmlFile } from './index.js';

const skip = needTools('nmap');
const dir = mkdtempSync(join(tmpdir(), 'picket-nmap-'));
const servers: (Server | TcpServer)[] = [];
after(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function listen(s: Server | TcpServer): Promise<number> {
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const a = s.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  return a.port;
}

/** The five XML escapes nmap writes in attributes, plus its numeric references. */
const unescapeXml = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]!) : undefined;
};

test('nmap -sV of loopback servers: every port, service, product, version, CPE and script as nmap wrote them', {
  skip,
  timeout: 120_000,
}, async () => {
  const plain = await listen(
    createHttpServer((_, res) => {
      res.setHeader('Server', 'TestServer/1.2');
      res.end('hello');
    }),
  );
  // A Server header nmap's probes know, so one HTTP service gets a product and version.
  const known = await listen(
    createHttpServer((_, res) => {
      res.setHeader('Server', 'thttpd/2.29 23May2018');
      res.setHeader('Content-Type', 'text/html');
      res.end('<html>hello</html>');
    }),
  );
  const ssh = await listen(
    createTcpServer((sock) => {
      sock.on('error', () => {});
      sock.on('data', () => {});
      sock.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    }),
  );
  const file = join(dir, 'scan.xml');
  await promisify(execFile)(
    'nmap',
    [
      '-sV',
      '-Pn',
      '--script',
      'fingerprint-strings,http-server-header',
      '-p',
      `${plain},${known},${ssh}`,
      '127.0.0.1',
      '-oX',
      file,
    ],
    { timeout: 110_000 },
  );

  const problems = createProblemLog();
  const assets: Asset[] = [];
  const summary = await readNmapXmlFile(file, { problems, onAsset: (a) => assets.push(a) });
  assert.equal(problems.total(), 0, JSON.stringify(problems.samples));
  assert.equal(assets.length, 1);
  const asset = assetSchema.parse(assets[0]);
  assert.equal(asset.address, '127.0.0.1');
  assert.equal(asset.status, 'up');

  // nmap's own account, read independently of the parser.
  const xml = readFileSync(file, 'utf8');
  const nmaprun = /<nmaprun [^>]*>/.exec(xml)![0];
  assert.equal(asset.scanStart, Number(attr(nmaprun, 'start')));
  assert.equal(asset.source.args, attr(nmaprun, 'args'));
  assert.equal(summary.run.version, attr(nmaprun, 'version'));
  const ports = [...xml.matchAll(/<port protocol="(\w+)" portid="(\d+)">([\s\S]*?)<\/port>/g)];
  assert.deepEqual(asset.services.map((s) => s.port).sort(), ports.map((m) => Number(m[2])).sort());
  for (const [, proto, portid, body] of ports) {
    const s = asset.services.find((x) => x.port === Number(portid))!;
    assert.equal(s.proto, proto);
    const state = /<state [^>]*>/.exec(body!)![0];
    assert.equal(s.state, attr(state, 'state'));
    assert.equal(s.reason, attr(state, 'reason'));
    const service = /<service [^>]*>/.exec(body!)![0];
    for (const [field, name] of [
      ['name', 'name'],
      ['product', 'product'],
      ['version', 'version'],
      ['extraInfo', 'extrainfo'],
      ['osType', 'ostype'],
      ['method', 'method'],
    ] as const) {
      assert.equal(s[field], attr(service, name), `port ${portid} ${field}`);
    }
    assert.deepEqual(
      s.cpe,
      [...body!.matchAll(/<cpe>([^<]*)<\/cpe>/g)].map((m) => unescapeXml(m[1]!)),
    );
    const scripts = Object.fromEntries(
      [...body!.matchAll(/<script id="([^"]+)" output="([^"]*)"/g)].map((m) => [m[1], unescapeXml(m[2]!)]),
    );
    assert.deepEqual(s.scripts, scripts, `port ${portid} scripts`);
  }

  // And what that means, for the servers we started.
  const bySsh = asset.services.find((s) => s.port === ssh)!;
  assert.equal(bySsh.name, 'ssh');
  assert.equal(bySsh.product, 'OpenSSH');
  assert.match(bySsh.version ?? '', /^9\.2p1/);
  assert.ok(bySsh.cpe.includes('cpe:/a:openbsd:openssh:9.2p1'));
  const byKnown = asset.services.find((s) => s.port === known)!;
  assert.equal(byKnown.product, 'thttpd');
  assert.equal(byKnown.version, '2.29 23May2018');
  const byPlain = asset.services.find((s) => s.port === plain)!;
  assert.match(
    byPlain.scripts['fingerprint-strings'] ?? '',
    /\n\s+Server: TestServer\/1\.2\n/,
    "nmap's fingerprint of the unknown server, its escaped newlines decoded",
  );
});
