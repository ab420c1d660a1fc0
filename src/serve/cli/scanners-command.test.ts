/**
 * `picket scanners install` and `check` driven through commander as the CLI
 * runs them, on the shared lists and on a temporary store folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { sharedData } from '../../../test/support/env.js';
import { CliError, ExitCode } from './exit-codes.js';
import { installedScannersDir, loadInstalledScanners, registerScannersCommand } from './scanners-command.js';

const scanners = sharedData('scanners');

/** Runs `picket scanners ...` in process; returns what it printed. */
async function run(args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerScannersCommand(program);
  let out = '';
  let err = '';
  const w = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => {
    err += s;
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(['node', 'picket', 'scanners', ...args]);
  } finally {
    process.stdout.write = w;
    process.stderr.write = e;
  }
  return { out, err };
}

test('install copies the lists beside the store; check names Censys for a Censys address and nothing for a private one', {
  skip: scanners.skip,
}, async () => {
  const home = mkdtempSync(join(tmpdir(), 'picket-scan-cli-'));
  const db = join(home, 'store', 'picket.db');
  try {
    const inst = await run(['install', scanners.path, '--db', db, '--json']);
    const r = JSON.parse(inst.out);
    assert.equal(r.dir, installedScannersDir(db));
    assert.ok(r.entries > 10_000);
    assert.ok(existsSync(join(r.dir, 'openfilters-internet-scanners', 'cidr', 'censys_v4.txt')));
    const censys = readFileSync(
      join(scanners.path, 'openfilters-internet-scanners', 'cidr', 'censys_v4.txt'),
      'utf8',
    )
      .split('\n')[0]!
      .replace(/0\/\d+$/, '1');
    const check = await run(['check', censys, '10.20.30.40', '--db', db, '--json']);
    const [hit, miss] = check.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(hit.label.organisation, 'Censys');
    assert.ok(
      hit.listedBy.some(
        (l: { list: string }) => l.list === 'openfilters-internet-scanners/cidr/censys_v4.txt',
      ),
    );
    assert.equal(miss.label, null);
    assert.deepEqual(miss.listedBy, []);
    const text = await run(['check', censys, '10.20.30.40', 'nonsense', '--db', db]);
    assert.match(text.out, new RegExp(`^${censys.replace(/\./g, '\\.')}: Censys`, 'm'));
    assert.match(text.out, /^10\.20\.30\.40: not listed$/m);
    assert.match(text.out, /^nonsense: not listed \(is it an address\?\)$/m);
    assert.match(text.err, /bad lines in the scanner lists/);
    assert.equal(loadInstalledScanners(db)?.lookup(censys)?.organisation, 'Censys');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('check without installed lists, and install of a folder without entries, fail with NO_INPUT and a hint', async () => {
  const home = mkdtempSync(join(tmpdir(), 'picket-scan-cli-'));
  const db = join(home, 'picket.db');
  try {
    await assert.rejects(run(['check', '1.2.3.4', '--db', db]), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.equal(e.code, ExitCode.NO_INPUT);
      assert.match(e.hint ?? '', /scanners install/);
      return true;
    });
    writeFileSync(join(home, 'empty.txt'), '# only a comment\n');
    await assert.rejects(run(['install', join(home, 'empty.txt'), '--db', db]), (e: unknown) => {
      assert.ok(e instanceof CliError && e.code === ExitCode.NO_INPUT);
      return true;
    });
    assert.equal(loadInstalledScanners(db), undefined);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
