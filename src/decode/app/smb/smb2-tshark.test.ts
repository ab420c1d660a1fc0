/**
 * Our SMB2 message builders and parser against an independent reading: the
 * same hand-built session written as a pcap and dissected by tshark. If the
 * field offsets we build and parse were wrong in the same way, tshark would
 * disagree on the file names, offsets or data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools } from '../../../../test/support/env.js';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmbParser } from './index.js';
import * as B from './testing/builders.js';
import { type Exchange, tcpSessionPcap } from './testing/tcp-pcap.js';
import { replayTcp } from './testing/tcp-streams.js';

const up = new Uint8Array(7000).map((_, i) => (i * 13 + 1) & 0xff);
const down = new Uint8Array(3000).map((_, i) => (i * 7 + 5) & 0xff);

function session(): Exchange[] {
  const w = B.fileId(0x41);
  const r = B.fileId(0x52);
  const msg = (toServer: boolean, h: B.Smb2Header, body: Uint8Array) => ({
    toServer,
    bytes: B.nbss(B.smb2({ ...h, response: !toServer }, body)),
  });
  return [
    msg(true, { cmd: B.SMB2.TREE_CONNECT, msgId: 1, treeId: 0 }, B.treeConnect2Request('\\\\fs01\\Public')),
    msg(false, { cmd: B.SMB2.TREE_CONNECT, msgId: 1, treeId: 5 }, B.treeConnect2Response(1)),
    msg(true, { cmd: B.SMB2.CREATE, msgId: 2 }, B.create2Request('upload\\tool.exe')),
    msg(false, { cmd: B.SMB2.CREATE, msgId: 2 }, B.create2Response(w, up.length)),
    // Second half first: the parser must place it by offset.
    msg(true, { cmd: B.SMB2.WRITE, msgId: 3 }, B.write2Request(w, 4000, up.subarray(4000), 8)),
    msg(true, { cmd: B.SMB2.WRITE, msgId: 4 }, B.write2Request(w, 0, up.subarray(0, 4000))),
    msg(true, { cmd: B.SMB2.CLOSE, msgId: 5 }, B.close2Request(w)),
    msg(false, { cmd: B.SMB2.CLOSE, msgId: 5 }, B.close2Response()),
    msg(true, { cmd: B.SMB2.CREATE, msgId: 6 }, B.create2Request('notes.txt')),
    msg(false, { cmd: B.SMB2.CREATE, msgId: 6 }, B.create2Response(r, down.length)),
    msg(true, { cmd: B.SMB2.READ, msgId: 7 }, B.read2Request(r, 0, 65536)),
    msg(false, { cmd: B.SMB2.READ, msgId: 7 }, B.read2Response(down)),
    msg(true, { cmd: B.SMB2.CLOSE, msgId: 8 }, B.close2Request(r)),
    msg(false, { cmd: B.SMB2.CLOSE, msgId: 8 }, B.close2Response()),
  ];
}

/** Every value of `key` anywhere under `o` (tshark's JSON nests fields under subtree labels). */
function values(o: unknown, key: string, out: unknown[] = []): unknown[] {
  if (o === null || typeof o !== 'object') return out;
  for (const [k, v] of Object.entries(o)) {
    if (k === key) out.push(v);
    else values(v, key, out);
  }
  return out;
}

interface Dissected {
  cmd: number;
  response: boolean;
  msgId: number;
  fields: Record<string, unknown>;
  raw: Uint8Array;
}

/** tshark's dissection of every SMB2 message of the capture (one TCP segment each). */
function dissect(path: string): Dissected[] {
  const r = spawnSync('tshark', ['-r', path, '-Y', 'smb2', '-T', 'json', '-x'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { _source: { layers: Record<string, unknown> } }[]).map((p) => {
    const smb2 = p._source.layers.smb2;
    const first = (k: string) => values(smb2, k)[0];
    const raw = p._source.layers.smb2_raw as [string];
    return {
      cmd: Number(first('smb2.cmd')),
      response: Number(first('smb2.flags.response')) === 1,
      msgId: Number(first('smb2.msg_id')),
      fields: {
        filename: first('smb2.filename'),
        fid: first('smb2.fid'),
        fileOffset: first('smb2.file_offset'),
        dataOffset: first('smb2.data_offset'),
        writeLength: first('smb2.write_length'),
        // A READ response's data is an offset/length blob in tshark's terms.
        blobOffset: first('smb2.olb.offset'),
        blobLength: first('smb2.olb.length'),
      },
      raw: Uint8Array.from(Buffer.from(raw[0], 'hex')),
    };
  });
}

test('SMB2 session built by hand: tshark reads the same names, offsets and data as our parser', {
  skip: needTools('tshark'),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-smb2-'));
  try {
    const path = join(dir, 'smb2.pcap');
    writeFileSync(path, tcpSessionPcap(session(), 445, 60000)); // one segment per message

    const files: FileTx[] = [];
    const problems = createProblemLog();
    replayTcp(
      path,
      () => createSmbParser({ problems, onFile: (f, what) => what === 'done' && files.push(f) }),
      problems,
    );
    assert.equal(problems.total(), 0);

    // tshark's view: names by create request, handles by create response, data by offset.
    const msgs = dissect(path);
    const nameOf = new Map<number, string>();
    const fidName = new Map<string, string>();
    const built = new Map<string, Uint8Array>();
    const readAt = new Map<number, [string, number]>();
    for (const m of msgs) {
      const f = m.fields;
      if (m.cmd === B.SMB2.CREATE && !m.response) nameOf.set(m.msgId, String(f.filename));
      if (m.cmd === B.SMB2.CREATE && m.response) fidName.set(String(f.fid), nameOf.get(m.msgId)!);
      const place = (name: string, offset: number, bytes: Uint8Array) => {
        const old = built.get(name) ?? new Uint8Array(0);
        const next = new Uint8Array(Math.max(old.length, offset + bytes.length));
        next.set(old);
        next.set(bytes, offset);
        built.set(name, next);
      };
      if (m.cmd === B.SMB2.WRITE && !m.response) {
        const at = Number(f.dataOffset);
        place(
          fidName.get(String(f.fid))!,
          Number(f.fileOffset),
          m.raw.subarray(at, at + Number(f.writeLength)),
        );
      }
      if (m.cmd === B.SMB2.READ && !m.response)
        readAt.set(m.msgId, [fidName.get(String(f.fid))!, Number(f.fileOffset)]);
      if (m.cmd === B.SMB2.READ && m.response) {
        const [name, offset] = readAt.get(m.msgId)!;
        const at = Number(f.blobOffset);
        place(name, offset, m.raw.subarray(at, at + Number(f.blobLength)));
      }
    }
    assert.deepEqual([...nameOf.values()], ['upload\\tool.exe', 'notes.txt']);
    assert.deepEqual(
      files.map((f) => [new TextDecoder().decode(f.name), f.toServer, f.data]),
      [
        ['upload\\tool.exe', true, built.get('upload\\tool.exe')],
        ['notes.txt', false, built.get('notes.txt')],
      ],
    );
    assert.deepEqual(files[0]!.data, up, 'and both equal what was sent');
    assert.deepEqual(files[1]!.data, down);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
