import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmbParser } from './index.js';
import {
  ascii,
  closeRequest,
  concat,
  EICAR,
  emptyBlock,
  nbss,
  ntCreateRequest,
  ntCreateResponse,
  readAndXRequest,
  readAndXResponse,
  SMB1,
  smb1,
  text,
  treeConnectRequest,
  treeConnectResponse,
  writeAndX,
} from './testing/builders.js';

function collect(opts: { maxFileBytes?: number; maxFiles?: number } = {}) {
  const done: FileTx[] = [];
  const events: string[] = [];
  const problems = createProblemLog();
  const parser = createSmbParser({
    ...opts,
    problems,
    onFile: (f, what) => {
      events.push(`${f.id}:${what}:${f.data.length}`);
      if (what === 'done') done.push(f);
    },
  });
  return { parser, done, events, problems };
}

/** Client opens `name` (tree 1), the server answers with `fid`. */
function open(p: ReturnType<typeof collect>['parser'], name: string, fid: number, mid = 1) {
  p.toServer(nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid }, [ntCreateRequest(name)])));
  p.toClient(nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid, reply: true }, [ntCreateResponse(fid)])));
}

function close(p: ReturnType<typeof collect>['parser'], fid: number, mid: number) {
  p.toServer(nbss(smb1({ cmd: SMB1.CLOSE, mid }, [closeRequest(fid)])));
  p.toClient(nbss(smb1({ cmd: SMB1.CLOSE, mid, reply: true }, [emptyBlock])));
}

test('SMB1 NT_CREATE + WRITE_ANDX + CLOSE: one upload, named by the create, done at the close response', () => {
  const c = collect();
  open(c.parser, '\\eicar', 0x4000);
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 2 }, [writeAndX(0x4000, 0, EICAR)])));
  assert.deepEqual(c.events, [`0:data:${EICAR.length}`]);
  c.parser.toServer(nbss(smb1({ cmd: SMB1.CLOSE, mid: 3 }, [closeRequest(0x4000)])));
  assert.equal(c.done.length, 0, 'not done before the server answers');
  c.parser.toClient(nbss(smb1({ cmd: SMB1.CLOSE, mid: 3, reply: true }, [emptyBlock])));
  assert.equal(c.done.length, 1);
  const f = c.done[0]!;
  assert.equal(f.proto, 'smb');
  assert.equal(text(f.name), '\\eicar');
  assert.equal(f.toServer, true);
  assert.deepEqual(f.data, EICAR);
  assert.equal(f.done, true);
  assert.equal(f.truncated, false);
  assert.equal(c.problems.total(), 0);
});

test('SMB1 WRITE_ANDX honours DataOffset past padding', () => {
  const c = collect();
  open(c.parser, '\\pad', 9);
  // 40 junk bytes between ByteCount and the data; DataOffset says where the data really starts.
  const dataAt = 32 + 1 + 28 + 2 + 40;
  const junk = ascii('J'.repeat(40));
  c.parser.toServer(
    nbss(
      smb1(
        { cmd: SMB1.WRITE_ANDX, mid: 2 },
        [writeAndX(9, 0, EICAR, { dataOffset: dataAt })],
        [],
        concat(junk, EICAR),
      ),
    ),
  );
  c.parser.end();
  assert.deepEqual(c.done[0]!.data, EICAR);
});

test('SMB1 AndX chain LOCKING → WRITE → CLOSE with the data placed after the CLOSE block', () => {
  const c = collect();
  open(c.parser, '\\test.txt', 0x4002);
  // Block sizes: LOCKING 1+16+2 = 19 at 32; WRITE 1+28+2 = 31 at 51; CLOSE 1+6+2 = 9 at 82; data at 91.
  const locking = { words: new Uint8Array(16), bytes: new Uint8Array(0) };
  locking.words[4] = 0x02;
  locking.words[5] = 0x40;
  const write = writeAndX(0x4002, 0, EICAR, { dataOffset: 91 });
  const msg = smb1(
    { cmd: SMB1.LOCKING_ANDX, mid: 5 },
    [locking, write, closeRequest(0x4002)],
    [SMB1.WRITE_ANDX, SMB1.CLOSE],
    EICAR,
  );
  assert.equal(msg.length, 91 + EICAR.length, 'layout as planned');
  c.parser.toServer(nbss(msg));
  assert.equal(c.done.length, 0);
  // The response chain ends with the CLOSE answer.
  const reply = smb1(
    { cmd: SMB1.LOCKING_ANDX, mid: 5, reply: true },
    [
      { words: new Uint8Array(4), bytes: new Uint8Array(0) },
      { words: new Uint8Array(12), bytes: new Uint8Array(0) },
      emptyBlock,
    ],
    [SMB1.WRITE_ANDX, SMB1.CLOSE],
  );
  c.parser.toClient(nbss(reply));
  assert.equal(c.done.length, 1);
  assert.equal(text(c.done[0]!.name), '\\test.txt');
  assert.deepEqual(c.done[0]!.data, EICAR);
});

test('SMB1 READ_ANDX responses are matched to their requests by MID and become a download', () => {
  const c = collect();
  open(c.parser, '\\doc.txt', 0x11);
  const content = ascii('hello, this file is read in two parts');
  c.parser.toServer(nbss(smb1({ cmd: SMB1.READ_ANDX, mid: 7 }, [readAndXRequest(0x11, 0, 10)])));
  c.parser.toServer(nbss(smb1({ cmd: SMB1.READ_ANDX, mid: 8 }, [readAndXRequest(0x11, 10, 100)])));
  // Answers out of order: the second read first.
  c.parser.toClient(
    nbss(smb1({ cmd: SMB1.READ_ANDX, mid: 8, reply: true }, [readAndXResponse(content.subarray(10))])),
  );
  assert.equal(c.events.length, 0, 'bytes after a hole are held back');
  c.parser.toClient(
    nbss(smb1({ cmd: SMB1.READ_ANDX, mid: 7, reply: true }, [readAndXResponse(content.subarray(0, 10))])),
  );
  close(c.parser, 0x11, 9);
  assert.equal(c.done.length, 1);
  assert.equal(c.done[0]!.toServer, false);
  assert.deepEqual(c.done[0]!.data, content);
});

test('SMB1 writes out of order are placed at their offsets; a hole never filled leaves the file truncated', () => {
  const c = collect();
  open(c.parser, '\\a', 1);
  const body = ascii('0123456789abcdefghij');
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 2 }, [writeAndX(1, 10, body.subarray(10))])));
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 3 }, [writeAndX(1, 0, body.subarray(0, 10))])));
  open(c.parser, '\\b', 2, 4);
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 5 }, [writeAndX(2, 0, body.subarray(0, 5))])));
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 6 }, [writeAndX(2, 8, body.subarray(8))])));
  c.parser.end();
  const a = c.done.find((f) => text(f.name) === '\\a')!;
  const b = c.done.find((f) => text(f.name) === '\\b')!;
  assert.deepEqual(a.data, body);
  assert.equal(a.truncated, false);
  assert.deepEqual(b.data, body.subarray(0, 5), 'only the gap-free prefix');
  assert.equal(b.truncated, true);
});

test('SMB1 messages split at every byte boundary give the same file', () => {
  const stream = concat(
    nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 1 }, [ntCreateRequest('\\split')])),
    nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 2 }, [writeAndX(3, 0, EICAR)])),
    Uint8Array.of(0x85, 0, 0, 0), // keep-alive between messages
    nbss(smb1({ cmd: SMB1.CLOSE, mid: 3 }, [closeRequest(3)])),
  );
  const reply = nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 1, reply: true }, [ntCreateResponse(3)]));
  const createLen = nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 1 }, [ntCreateRequest('\\split')])).length;
  for (let cut = 1; cut < stream.length; cut++) {
    // Client bytes cut at `cut` (and where the create ends, since the answer must come before the write).
    const c = collect();
    const points = [0, Math.min(cut, createLen), createLen, Math.max(cut, createLen), stream.length];
    for (let i = 0; i + 1 < points.length; i++) {
      c.parser.toServer(stream.subarray(points[i]!, points[i + 1]!));
      if (points[i + 1] === createLen && points[i] !== createLen) c.parser.toClient(reply);
    }
    c.parser.end();
    assert.equal(c.done.length, 1, `cut at ${cut}`);
    assert.equal(text(c.done[0]!.name), '\\split');
    assert.deepEqual(c.done[0]!.data, EICAR, `cut at ${cut}`);
  }
});

test('SMB1 tree connect: shares are recorded; handles on IPC$ are pipes, not files', () => {
  const c = collect();
  c.parser.toServer(
    nbss(smb1({ cmd: SMB1.TREE_CONNECT_ANDX, mid: 1, tid: 0 }, [treeConnectRequest('\\\\srv\\IPC$')])),
  );
  c.parser.toClient(
    nbss(smb1({ cmd: SMB1.TREE_CONNECT_ANDX, mid: 1, tid: 9, reply: true }, [treeConnectResponse('IPC')])),
  );
  c.parser.toServer(nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 2, tid: 9 }, [ntCreateRequest('\\srvsvc')])));
  c.parser.toClient(
    nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 2, tid: 9, reply: true }, [ntCreateResponse(0x20)])),
  );
  c.parser.toServer(
    nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 3, tid: 9 }, [writeAndX(0x20, 0, ascii('rpc bind'))])),
  );
  c.parser.end();
  assert.deepEqual(c.parser.shares.map(text), ['\\\\srv\\IPC$']);
  assert.deepEqual(c.parser.namedPipes.map(text), ['\\srvsvc']);
  assert.equal(c.done.length, 0);
});

test('SMB1 create response resource type marks a pipe even without the tree connect', () => {
  const c = collect();
  c.parser.toServer(nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 2 }, [ntCreateRequest('\\lsarpc')])));
  c.parser.toClient(
    nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid: 2, reply: true }, [ntCreateResponse(0x21, 2)])),
  );
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 3 }, [writeAndX(0x21, 0, ascii('rpc'))])));
  c.parser.end();
  assert.equal(c.done.length, 0);
  assert.deepEqual(c.parser.namedPipes.map(text), ['\\lsarpc']);
});

test('SMB1 write to a handle opened before the capture: a file without a name', () => {
  const c = collect();
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 3 }, [writeAndX(0x77, 0, EICAR)])));
  c.parser.end();
  assert.equal(c.done.length, 1);
  assert.equal(c.done[0]!.name.length, 0);
  assert.deepEqual(c.done[0]!.data, EICAR);
});

test('maxFileBytes bounds each file and sets truncated; maxFiles bounds files at once', () => {
  const c = collect({ maxFileBytes: 16, maxFiles: 1 });
  open(c.parser, '\\one', 1);
  open(c.parser, '\\two', 2, 2);
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 3 }, [writeAndX(1, 0, EICAR)])));
  c.parser.toServer(nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid: 4 }, [writeAndX(2, 0, EICAR)])));
  c.parser.end();
  assert.equal(c.done.length, 1);
  assert.deepEqual(c.done[0]!.data, EICAR.subarray(0, 16));
  assert.equal(c.done[0]!.truncated, true);
  assert.equal(c.parser.stats.filesDropped, 1);
  assert.equal(c.parser.stats.fileBytesDropped, EICAR.length - 16 + EICAR.length);
});

test('SMB1 AndX offset pointing backwards is a problem, not a loop', () => {
  const c = collect();
  const msg = smb1({ cmd: SMB1.LOCKING_ANDX, mid: 5 }, [
    { words: new Uint8Array(16), bytes: new Uint8Array(0) },
  ]);
  msg[33] = SMB1.LOCKING_ANDX;
  msg[35] = 32; // points at itself
  c.parser.toServer(nbss(msg));
  assert.equal(c.problems.counts.get('smb.bad-andx-offset'), 1);
});

test('SMB1 write whose data length runs past the message is clipped and reported', () => {
  const c = collect();
  open(c.parser, '\\x', 4);
  const msg = smb1({ cmd: SMB1.WRITE_ANDX, mid: 2 }, [writeAndX(4, 0, EICAR)]);
  c.parser.toServer(nbss(msg.subarray(0, msg.length - 8)));
  c.parser.end();
  assert.deepEqual(c.done[0]!.data, EICAR.subarray(0, EICAR.length - 8));
  assert.equal(c.problems.counts.get('smb.truncated-data'), 1);
});
