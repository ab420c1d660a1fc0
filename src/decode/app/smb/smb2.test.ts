import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmbParser } from './index.js';
import {
  ascii,
  close2Request,
  close2Response,
  compound,
  create2Request,
  create2Response,
  EICAR,
  error2,
  FILE_ID_CHAIN,
  fileId,
  nbss,
  read2Request,
  read2Response,
  SMB2,
  smb2,
  text,
  treeConnect2Request,
  treeConnect2Response,
  write2Request,
} from './testing/builders.js';

function collect() {
  const done: FileTx[] = [];
  const problems = createProblemLog();
  const parser = createSmbParser({ problems, onFile: (f, what) => what === 'done' && done.push(f) });
  return { parser, done, problems };
}

type Parser = ReturnType<typeof collect>['parser'];

function connectTree(p: Parser, path: string, treeId: number, shareType: number, msgId: number) {
  p.toServer(nbss(smb2({ cmd: SMB2.TREE_CONNECT, msgId, treeId: 0 }, treeConnect2Request(path))));
  p.toClient(
    nbss(smb2({ cmd: SMB2.TREE_CONNECT, msgId, treeId, response: true }, treeConnect2Response(shareType))),
  );
}

function open(p: Parser, name: string, id: Uint8Array, msgId: number, treeId = 5) {
  p.toServer(nbss(smb2({ cmd: SMB2.CREATE, msgId, treeId }, create2Request(name))));
  p.toClient(nbss(smb2({ cmd: SMB2.CREATE, msgId, treeId, response: true }, create2Response(id))));
}

test('SMB2 CREATE + WRITE + CLOSE: an upload named by the create request, done at the close response', () => {
  const c = collect();
  connectTree(c.parser, '\\\\server\\share', 5, 1, 1);
  const id = fileId(42);
  open(c.parser, 'dir\\eicar.com', id, 2);
  c.parser.toServer(nbss(smb2({ cmd: SMB2.WRITE, msgId: 3 }, write2Request(id, 0, EICAR))));
  c.parser.toServer(nbss(smb2({ cmd: SMB2.CLOSE, msgId: 4 }, close2Request(id))));
  assert.equal(c.done.length, 0);
  c.parser.toClient(nbss(smb2({ cmd: SMB2.CLOSE, msgId: 4, response: true }, close2Response())));
  assert.equal(c.done.length, 1);
  const f = c.done[0]!;
  assert.equal(text(f.name), 'dir\\eicar.com');
  assert.equal(f.toServer, true);
  assert.deepEqual(f.data, EICAR);
  assert.deepEqual(c.parser.shares.map(text), ['\\\\server\\share']);
  assert.equal(c.problems.total(), 0);
});

test('SMB2 READ responses are matched by MessageId and placed at the requested offsets', () => {
  const c = collect();
  const id = fileId(7);
  open(c.parser, 'report.pdf', id, 10);
  const content = ascii('%PDF-1.4 pretend this is a document of some length');
  c.parser.toServer(nbss(smb2({ cmd: SMB2.READ, msgId: 11 }, read2Request(id, 0, 20))));
  c.parser.toServer(nbss(smb2({ cmd: SMB2.READ, msgId: 12 }, read2Request(id, 20, 1000))));
  c.parser.toClient(
    nbss(smb2({ cmd: SMB2.READ, msgId: 12, response: true }, read2Response(content.subarray(20)))),
  );
  c.parser.toClient(
    nbss(smb2({ cmd: SMB2.READ, msgId: 11, response: true }, read2Response(content.subarray(0, 20)))),
  );
  c.parser.end();
  assert.equal(c.done.length, 1);
  assert.equal(c.done[0]!.toServer, false);
  assert.equal(text(c.done[0]!.name), 'report.pdf');
  assert.deepEqual(c.done[0]!.data, content);
});

test('SMB2 write DataOffset past padding is honoured', () => {
  const c = collect();
  const id = fileId(8);
  open(c.parser, 'p', id, 1);
  c.parser.toServer(nbss(smb2({ cmd: SMB2.WRITE, msgId: 2 }, write2Request(id, 0, EICAR, 33))));
  c.parser.end();
  assert.deepEqual(c.done[0]!.data, EICAR);
});

test('SMB2 related compound CREATE + WRITE + CLOSE uses the chained FileId before the server names it', () => {
  const c = collect();
  const req = compound(
    smb2({ cmd: SMB2.CREATE, msgId: 20 }, create2Request('drop.exe')),
    smb2({ cmd: SMB2.WRITE, msgId: 21, related: true }, write2Request(FILE_ID_CHAIN, 0, EICAR)),
    smb2({ cmd: SMB2.CLOSE, msgId: 22, related: true }, close2Request(FILE_ID_CHAIN)),
  );
  c.parser.toServer(nbss(req));
  const id = fileId(99);
  const resp = compound(
    smb2({ cmd: SMB2.CREATE, msgId: 20, response: true }, create2Response(id)),
    smb2({ cmd: SMB2.WRITE, msgId: 21, response: true, related: true }, new Uint8Array(16)),
    smb2({ cmd: SMB2.CLOSE, msgId: 22, response: true, related: true }, close2Response()),
  );
  c.parser.toClient(nbss(resp));
  assert.equal(c.done.length, 1);
  assert.equal(text(c.done[0]!.name), 'drop.exe');
  assert.deepEqual(c.done[0]!.data, EICAR);
  assert.equal(c.parser.stats.smb2Messages, 6);
});

test('SMB2 related compound CREATE + READ + CLOSE: the read response lands in the created file', () => {
  const c = collect();
  c.parser.toServer(
    nbss(
      compound(
        smb2({ cmd: SMB2.CREATE, msgId: 30 }, create2Request('secret.txt')),
        smb2({ cmd: SMB2.READ, msgId: 31, related: true }, read2Request(FILE_ID_CHAIN, 0, 4096)),
        smb2({ cmd: SMB2.CLOSE, msgId: 32, related: true }, close2Request(FILE_ID_CHAIN)),
      ),
    ),
  );
  const content = ascii('top secret contents');
  c.parser.toClient(
    nbss(
      compound(
        smb2({ cmd: SMB2.CREATE, msgId: 30, response: true }, create2Response(fileId(5))),
        smb2({ cmd: SMB2.READ, msgId: 31, response: true, related: true }, read2Response(content)),
        smb2({ cmd: SMB2.CLOSE, msgId: 32, response: true, related: true }, close2Response()),
      ),
    ),
  );
  assert.equal(c.done.length, 1);
  assert.equal(text(c.done[0]!.name), 'secret.txt');
  assert.equal(c.done[0]!.toServer, false);
  assert.deepEqual(c.done[0]!.data, content);
});

test('SMB2 pipe share (share type 2): named pipe recorded, its traffic is not a file', () => {
  const c = collect();
  connectTree(c.parser, '\\\\server\\IPC$', 9, 2, 1);
  const id = fileId(3);
  open(c.parser, 'srvsvc', id, 2, 9);
  c.parser.toServer(
    nbss(smb2({ cmd: SMB2.WRITE, msgId: 3, treeId: 9 }, write2Request(id, 0, ascii('dcerpc bind')))),
  );
  c.parser.end();
  assert.equal(c.done.length, 0);
  assert.deepEqual(c.parser.namedPipes.map(text), ['srvsvc']);
});

test('SMB2 interim STATUS_PENDING is skipped; the final create response names the file', () => {
  const c = collect();
  c.parser.toServer(nbss(smb2({ cmd: SMB2.CREATE, msgId: 40 }, create2Request('slow.bin'))));
  c.parser.toClient(
    nbss(smb2({ cmd: SMB2.CREATE, msgId: 40, response: true, async: true, status: 0x103 }, error2())),
  );
  const id = fileId(6);
  c.parser.toClient(
    nbss(smb2({ cmd: SMB2.CREATE, msgId: 40, response: true, async: true }, create2Response(id))),
  );
  c.parser.toServer(nbss(smb2({ cmd: SMB2.WRITE, msgId: 41 }, write2Request(id, 0, EICAR))));
  c.parser.end();
  assert.equal(text(c.done[0]!.name), 'slow.bin');
});

test('SMB2 failed create: no handle; a later write with that id is a nameless file', () => {
  const c = collect();
  c.parser.toServer(nbss(smb2({ cmd: SMB2.CREATE, msgId: 50 }, create2Request('denied'))));
  c.parser.toClient(
    nbss(smb2({ cmd: SMB2.CREATE, msgId: 50, response: true, status: 0xc0000022 }, error2())),
  );
  c.parser.toServer(nbss(smb2({ cmd: SMB2.WRITE, msgId: 51 }, write2Request(fileId(1), 0, EICAR))));
  c.parser.end();
  assert.equal(c.done.length, 1);
  assert.equal(c.done[0]!.name.length, 0);
});

test('SMB2 compound with NextCommand past the message end is reported and parsing stops there', () => {
  const c = collect();
  const msg = smb2({ cmd: SMB2.CREATE, msgId: 1 }, create2Request('x'));
  msg[20] = 0xf0;
  msg[21] = 0xff;
  c.parser.toServer(nbss(msg));
  assert.equal(c.problems.counts.get('smb.bad-next-command'), 1);
});

test('SMB2 chained FileId outside a related compound is refused', () => {
  const c = collect();
  c.parser.toServer(nbss(smb2({ cmd: SMB2.WRITE, msgId: 1 }, write2Request(FILE_ID_CHAIN, 0, EICAR))));
  c.parser.end();
  assert.equal(c.done.length, 0);
  assert.equal(c.problems.counts.get('smb.unrelated-file-id'), 1);
});
