/**
 * Files from real SMB captures (suricata-verify cases): each EICAR case must
 * give the file the rule's file_data content matches; the filestore case must
 * give the files whose SHA-256 Suricata stored (or declined to store), and the
 * same file contents tshark exports.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, sharedData } from '../../../../test/support/env.js';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmbParser, type SmbParser } from './index.js';
import { replayTcp } from './testing/tcp-streams.js';

function files(path: string): { files: FileTx[]; parsers: SmbParser[]; problems: number } {
  const out: FileTx[] = [];
  const parsers: SmbParser[] = [];
  const problems = createProblemLog();
  replayTcp(
    path,
    (c) => {
      if (c.serverPort !== 445 && c.serverPort !== 139) return null;
      const p = createSmbParser({
        problems,
        file: path,
        onFile: (f, what) => what === 'done' && out.push(f),
      });
      parsers.push(p);
      return p;
    },
    problems,
  );
  return { files: out, parsers, problems: problems.total() };
}

/** The content of a rule's `content:"|hex|"` in the case's test.rules. */
function ruleContent(rulesPath: string): Buffer {
  const m = /content:"\|([0-9a-fA-F ]+)\|"/.exec(readFileSync(rulesPath, 'utf8'));
  assert.ok(m, `no hex content in ${rulesPath}`);
  return Buffer.from(m[1]!.replaceAll(' ', ''), 'hex');
}

const eicarCases: [string, string, string][] = [
  ['smb-eicar-andx', 'smbandx.pcap', '\\test.txt'],
  ['smb-eicar-file', 'input.pcap', '\\eicar'],
  ['smb-eicar-file-nbss-more-ffsmb', 'input.pcap', '\\eicar'],
  ['smb-eicar-file-segmentation-random', 'input.pcap', '\\eicar'],
  ['smb-eicar-padding', 'smb1_eicar_andx_write_padding2.pcap', '\\eicar'],
];

for (const [dir, pcap, name] of eicarCases) {
  const d = sharedData(`verify/tests/${dir}`);
  test(`${dir}: the uploaded file holds the EICAR string of its rule`, { skip: d.skip }, () => {
    const eicar = ruleContent(join(d.path, 'test.rules'));
    const r = files(join(d.path, pcap));
    assert.equal(r.files.length, 1);
    const f = r.files[0]!;
    assert.ok(Buffer.from(f.data).includes(eicar), 'file_data contains the rule content');
    assert.equal(new TextDecoder().decode(f.name), name);
    assert.equal(f.toServer, true);
    assert.equal(f.truncated, false);
    assert.equal(r.problems, 0);
    assert.equal(r.parsers[0]!.stats.lostMessages, 0);
  });
}

const container = sharedData('verify/tests/filestore-filecontainer-smb');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('filestore-filecontainer-smb: the files Suricata hashed, and the same contents tshark exports', {
  skip: container.skip || needTools('tshark'),
}, () => {
  const pcap = join(container.path, 'filecontainer-smb.pcap');
  const r = files(pcap);
  const ours = r.files.map((f) => sha256(f.data));
  // test.yaml names stored (executables) and unstored files by hash: Suricata saw all of them.
  const yaml = readFileSync(join(container.path, 'test.yaml'), 'utf8');
  const expected = [...yaml.matchAll(/filestore\/[0-9a-f]{2}\/([0-9a-f]{64})/g)].map((m) => m[1]!);
  assert.equal(expected.length, 8);
  for (const h of expected) assert.ok(ours.includes(h), `file ${h} found`);
  const byHash = new Map(r.files.map((f) => [sha256(f.data), f]));
  for (const exe of ['\\PSEXESVC.EXE', '\\PSKLLSVC.EXE', '\\MAME.EXE']) {
    assert.ok(
      [...byHash.values()].some((f) => new TextDecoder().decode(f.name) === exe && f.data[0] === 0x4d),
    );
  }
  // Uploads (the service binaries) and downloads (MAME.EXE, desktop.ini) both appear.
  assert.ok(r.files.some((f) => f.toServer) && r.files.some((f) => !f.toServer));
  assert.equal(r.problems, 0);
  assert.ok(r.parsers[0]!.shares.some((s) => new TextDecoder().decode(s).endsWith('\\IPC$')));
  assert.ok(r.parsers[0]!.namedPipes.some((s) => new TextDecoder().decode(s) === '\\svcctl'));

  const dir = mkdtempSync(join(tmpdir(), 'picket-smb-export-'));
  try {
    const t = spawnSync('tshark', ['-r', pcap, '-Q', '--export-objects', `smb,${dir}`], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    // tshark also lists named pipes, with no data; compare the files that carried bytes.
    const theirs = readdirSync(dir)
      .map((n) => readFileSync(join(dir, n)))
      .filter((b) => b.length > 0)
      .map(sha256)
      .sort();
    assert.ok(theirs.length > 30);
    assert.deepEqual(ours.filter((_, i) => r.files[i]!.data.length > 0).sort(), theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
