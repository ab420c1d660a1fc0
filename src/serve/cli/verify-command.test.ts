/**
 * `picket verify` against a real nginx started here on loopback (the only
 * target these tests ever touch), serving a fake Joomla in one case and plain
 * files in another; plus tiny loopback servers for the SSH banner and a
 * server that never answers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { needTools, repoRoot } from '../../../test/support/env.js';
import { loadRules } from '../../rules/load.js';
import { openStore } from '../../store/index.js';
import { loadCatalogue } from '../../triage/relevance/catalogue.js';
import { judgeProduct } from '../../triage/relevance/judge.js';
import { knowledgeFromAssets } from '../../triage/relevance/observe-assets.js';
import { startTestNginx } from '../../triage/relevance/testing/nginx.js';
import { httpProbe, literalAddress } from '../../triage/relevance/verify-probes.js';
import { CliError } from './exit-codes.js';
import { registerVerifyCommand, verifyHost } from './verify-command.js';

/** Runs `picket verify ...args` through commander, capturing stdout. */
async function runCli(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerVerifyCommand(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'picket', 'verify', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const catalogue = loadCatalogue();
const rules = loadRules([join(repoRoot, 'rules')]).rules;
const rule = (sid: number) => {
  const r = rules.find((x) => x.sid === sid);
  assert.ok(r, `starter rule ${sid}`);
  return r;
};
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) c();
});
const startNginx = (files: Record<string, string>) => startTestNginx(files, cleanups);

const noNginx = needTools('nginx');

test('a fake Joomla 3.4.1 on nginx: the manifest gives the version, CVE-2015-8562 applies', {
  skip: noNginx,
}, async () => {
  const manifest =
    '<?xml version="1.0" encoding="utf-8"?>\n<extension version="3.4" type="file" method="upgrade">\n  <name>files_joomla</name>\n  <version>3.4.1</version>\n</extension>\n';
  const { port, accessLog } = await startNginx({
    'index.html':
      '<html><head><meta name="generator" content="Joomla! - Open Source Content Management" /></head><body>site</body></html>',
    'administrator/manifests/files/joomla.xml': manifest,
    'administrator/index.html': 'admin',
    'index.php': '<?php // never run here',
  });
  const r = await verifyHost({ host: '127.0.0.1', port, rule: rule(9900102), catalogue });
  assert.deepEqual(r.targets, ['joomla']);
  const byPath = new Map(r.probes.map((p) => [p.record.path, p.record]));
  assert.equal(byPath.get('/administrator/manifests/files/joomla.xml')?.status, 200);
  assert.deepEqual(byPath.get('/administrator/manifests/files/joomla.xml')?.found, {
    product: 'joomla',
    version: '3.4.1',
  });
  assert.equal(byPath.get('/')?.generator, 'Joomla! - Open Source Content Management');
  assert.match(byPath.get('/')?.server ?? '', /^nginx/);
  assert.equal(r.verdicts[0]?.applicable, 'yes');
  assert.match(
    r.verdicts[0]!.reason,
    /Joomla! CMS 3\.4\.1 runs on port \d+ \(verify\); affected versions are >=1\.5 <=3\.4\.5: in range/,
  );
  // Read-only: only GET and HEAD, only the planned paths, our User-Agent.
  const log = readFileSync(accessLog, 'utf8').trim().split('\n');
  for (const line of log) assert.match(line, /"(GET|HEAD) \/\S* HTTP\/1\.1" .*"Picket-verify\/0\.1/);
});

test('plain files on nginx: no Joomla (404 on /administrator/ and /index.php), stored and read back by relevance', {
  skip: noNginx,
}, async () => {
  const { port, accessLog } = await startNginx({
    'index.html': '<html><head><title>plain</title></head></html>',
    'about.html': 'x',
  });
  const r = await verifyHost({ host: '127.0.0.1', port, rule: rule(9900102), catalogue });
  assert.equal(r.verdicts[0]?.applicable, 'no');
  assert.match(
    r.verdicts[0]!.reason,
    /GET \/(index\.php|administrator\/) → 404, a path every Joomla! CMS install serves \(verify\)/,
  );
  assert.match(r.verdicts[0]!.reason, /answers as nginx/);
  const dir = mkdtempSync(join(tmpdir(), 'picket-verify-store-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const store = await openStore(join(dir, 'v.db'), { writer: 'inline' });
  await store.writeAssets([r.asset]);
  const back = await store.assets('127.0.0.1');
  await store.close();
  assert.equal(back[0]?.source.scanner, 'verify');
  const k = knowledgeFromAssets('127.0.0.1', back, catalogue);
  assert.equal(judgeProduct('joomla', '>=1.5 <=3.4.5', port, k, catalogue).applicable, 'no');
  // JCE's rule checks Joomla too (JCE needs it) and concludes the same.
  const jce = await verifyHost({ host: '127.0.0.1', port, rule: rule(9900008), catalogue });
  assert.deepEqual(
    jce.verdicts.map((v) => [v.product, v.applicable]),
    [
      ['joomla', 'no'],
      ['jce', 'no'],
    ],
  );
  // rom-0 is asked with HEAD only: the body would be a router's password file.
  const rom = await verifyHost({ host: '127.0.0.1', port, rule: rule(9900104), catalogue });
  assert.ok(
    rom.probes.some(
      (p) => p.record.method === 'HEAD' && p.record.path === '/rom-0' && p.record.status === 404,
    ),
  );
  assert.ok(!rom.probes.some((p) => p.record.method === 'GET' && p.record.path === '/rom-0'));
  assert.equal(rom.verdicts[0]?.applicable, 'no');
  assert.ok(readFileSync(accessLog, 'utf8').includes('"HEAD /rom-0 HTTP/1.1" 404'));
});

test('bodies are cut at the size limit, redirects are recorded and never followed', {
  skip: noNginx,
}, async () => {
  const { port, accessLog } = await startNginx({ 'big.bin': 'A'.repeat(300_000), 'dir/index.html': 'x' });
  const big = await httpProbe('127.0.0.1', port, 'GET', '/big.bin', catalogue, {
    timeoutMs: 2000,
    maxBody: 4096,
  });
  assert.equal(big.status, 200);
  assert.equal(big.bytes, 4096);
  assert.match(big.error ?? '', /cut at 4096/);
  const redirect = await httpProbe('127.0.0.1', port, 'GET', '/dir', catalogue, {
    timeoutMs: 2000,
    maxBody: 4096,
  });
  assert.equal(redirect.status, 301);
  assert.match(redirect.error ?? '', /not followed/);
  const log = readFileSync(accessLog, 'utf8');
  assert.ok(!log.includes('GET /dir/ '), 'the redirect target was not asked');
});

test('SSH: the version line is read and nothing is sent; a silent server times out', async () => {
  const received: Buffer[] = [];
  const banner: Server = createServer((s) => {
    s.on('data', (d) => received.push(d));
    s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
  });
  const silent: Server = createServer(() => {});
  await new Promise<void>((r) => banner.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    banner.close();
    silent.close();
  });
  const sshRule = rule(9900201);
  const r = await verifyHost({
    host: '127.0.0.1',
    port: (banner.address() as { port: number }).port,
    rule: sshRule,
    catalogue,
  });
  assert.deepEqual(
    r.probes.map((p) => p.record.banner),
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2'],
  );
  assert.equal(r.verdicts[0]?.applicable, 'yes');
  assert.match(r.verdicts[0]!.reason, /OpenSSH 9\.2p1/);
  assert.equal(Buffer.concat(received).length, 0, 'verify sent nothing to the SSH server');
  const started = Date.now();
  const t = await verifyHost({
    host: '127.0.0.1',
    port: (silent.address() as { port: number }).port,
    rule: sshRule,
    catalogue,
    timeoutMs: 300,
  });
  assert.match(t.probes[0]!.record.error ?? '', /within 300 ms/);
  assert.ok(Date.now() - started < 3000);
  assert.equal(t.verdicts[0]?.applicable, 'unknown');
});

test('only literal addresses: names and ranges are refused before anything is sent', async () => {
  for (const host of ['localhost', 'example.com', '10.0.0.0/24', '10.0.0.1-10', '', '::1%eth0'])
    await assert.rejects(
      verifyHost({ host, rule: rule(9900102), catalogue }),
      (e) => e instanceof CliError && /not a literal IP address/.test(e.message),
      host,
    );
  assert.equal(literalAddress('[::1]'), '::1');
  assert.equal(literalAddress(' 10.99.0.10 '), '10.99.0.10');
});

test('the command: prints escaped probe lines and stores the observation where --db says', {
  skip: noNginx,
}, async () => {
  const { port } = await startNginx({
    'index.html': '<html><head><meta name="generator" content="\u001b[31mEvil\u001b[0m"></head></html>',
  });
  const dir = mkdtempSync(join(tmpdir(), 'picket-verify-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'p.db');
  const text = await runCli([
    '127.0.0.1',
    '--for',
    '9900102',
    '--port',
    String(port),
    '--db',
    db,
    '--rules',
    join(repoRoot, 'rules'),
  ]);
  assert.match(text, /^verify 127\.0\.0\.1 for sid 9900102: PICKET EXPLOIT Joomla/);
  assert.match(text, /GET :\d+\/administrator\/ → 404/);
  assert.match(text, /joomla: no — /);
  assert.ok(!text.includes('\u001b'), 'no raw escape from the target reaches the terminal');
  assert.match(text, /stored as asset observation V[0-9a-f]{22}/);
  const store = await openStore(db, { writer: 'inline' });
  const back = await store.assets('127.0.0.1');
  await store.close();
  assert.equal(back.length, 1);
  assert.equal(back[0]!.source.scanner, 'verify');
  const json = JSON.parse(
    await runCli([
      '127.0.0.1',
      '--for',
      '9900102',
      '--port',
      String(port),
      '--no-store',
      '--json',
      '--rules',
      join(repoRoot, 'rules'),
    ]),
  );
  assert.equal(json.stored, false);
  assert.equal(json.verdicts[0].applicable, 'no');
  await assert.rejects(
    runCli(['example.com', '--for', '9900102', '--no-store', '--rules', join(repoRoot, 'rules')]),
    /not a literal IP address/,
  );
  await assert.rejects(
    runCli(['127.0.0.1', '--for', '1', '--no-store', '--rules', join(repoRoot, 'rules')]),
    /no rule with sid 1/,
  );
});
