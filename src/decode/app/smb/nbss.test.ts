import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmbParser, looksLikeSmb } from './index.js';
import {
  ascii,
  closeRequest,
  concat,
  EICAR,
  nbss,
  ntCreateRequest,
  ntCreateResponse,
  SMB1,
  smb1,
  writeAndX,
} from './testing/builders.js';

function collect(maxFileBytes?: number) {
  const done: FileTx[] = [];
  const problems = createProblemLog();
  const parser = createSmbParser({
    problems,
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    onFile: (f, what) => what === 'done' && done.push(f),
  });
  return { parser, done, problems };
}

const create = (name: string, mid: number) =>
  nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid }, [ntCreateRequest(name)]));
const created = (fid: number, mid: number) =>
  nbss(smb1({ cmd: SMB1.NT_CREATE_ANDX, mid, reply: true }, [ntCreateResponse(fid)]));
const write = (fid: number, data: Uint8Array, mid: number, offset = 0) =>
  nbss(smb1({ cmd: SMB1.WRITE_ANDX, mid }, [writeAndX(fid, offset, data)]));

test('port 139: session request, positive response and keep-alives are skipped', () => {
  const c = collect();
  const sessionRequest = concat(Uint8Array.of(0x81, 0, 0, 68), new Uint8Array(68).fill(0x41));
  sessionRequest[4] = 0x20;
  sessionRequest[38] = 0x20;
  assert.equal(looksLikeSmb(sessionRequest), true);
  assert.equal(looksLikeSmb(Uint8Array.of(0x82, 0, 0, 0)), true);
  c.parser.toServer(concat(sessionRequest, create('\\f', 1), Uint8Array.of(0x85, 0, 0, 0)));
  c.parser.toClient(concat(Uint8Array.of(0x82, 0, 0, 0), created(5, 1)));
  c.parser.toServer(concat(Uint8Array.of(0x85, 0, 0, 0), write(5, EICAR, 2)));
  c.parser.end();
  assert.equal(c.done.length, 1);
  assert.deepEqual(c.done[0]!.data, EICAR);
  assert.equal(c.problems.total(), 0);
});

test('a message longer than 65535 bytes (the 17th length bit) is framed whole', () => {
  const c = collect();
  const big = new Uint8Array(70000).map((_, i) => i & 0xff);
  const msg = write(5, big, 2);
  assert.equal(msg[1], 0x01, 'length needs bit 16');
  c.parser.toServer(create('\\big', 1));
  c.parser.toClient(created(5, 1));
  for (let i = 0; i < msg.length; i += 1460) c.parser.toServer(msg.subarray(i, i + 1460));
  c.parser.end();
  assert.deepEqual(c.done[0]!.data, big);
});

test('looksLikeSmb rejects other protocols', () => {
  assert.equal(looksLikeSmb(ascii('GET / HTTP/1.1\r\n')), false);
  assert.equal(looksLikeSmb(ascii('220 mail ESMTP\r\n')), false);
  assert.equal(looksLikeSmb(Uint8Array.of(0, 0, 0, 10, 1, 2, 3, 4)), false);
  assert.equal(looksLikeSmb(create('\\x', 1)), true);
});

test('a capture gap inside a message loses that message only', () => {
  const c = collect();
  c.parser.toServer(create('\\g', 1));
  c.parser.toClient(created(5, 1));
  const first = write(5, ascii('AAAAAAAAAA'), 2);
  c.parser.toServer(first.subarray(0, 50));
  c.parser.gap(true, 10);
  c.parser.toServer(first.subarray(60));
  c.parser.toServer(write(5, ascii('BBBBB'), 3, 10));
  c.parser.end();
  assert.equal(c.parser.stats.lostMessages, 1);
  assert.equal(c.parser.stats.resyncs, 0);
  assert.equal(c.done[0]!.data.length, 0, 'bytes 0..9 never arrived: nothing gap-free');
  assert.equal(c.done[0]!.truncated, true);
});

test('a gap across message boundaries: the framer finds the next SMB message', () => {
  const c = collect();
  c.parser.toServer(create('\\r', 1));
  c.parser.toClient(created(5, 1));
  const lost = write(5, ascii('lost lost lost'), 2);
  c.parser.toServer(lost.subarray(0, 20));
  c.parser.gap(true, lost.length - 20 + 7); // the rest, and 7 bytes of the next message's junk prefix
  c.parser.toServer(ascii('garbage'));
  c.parser.toServer(write(5, EICAR, 3));
  c.parser.toServer(nbss(smb1({ cmd: SMB1.CLOSE, mid: 4 }, [closeRequest(5)])));
  c.parser.end();
  assert.equal(c.parser.stats.resyncs, 1);
  assert.deepEqual(c.done[0]!.data, EICAR);
});

test('garbage instead of a message is a problem; parsing resumes at the next message', () => {
  const c = collect();
  c.parser.toServer(create('\\z', 1));
  c.parser.toClient(created(5, 1));
  c.parser.toServer(
    concat(
      Uint8Array.of(0x00, 0x00, 0x00, 0x40),
      ascii('this is not an SMB message at all, no no'),
      write(5, EICAR, 2),
    ),
  );
  c.parser.toServer(Uint8Array.of(0x42, 1, 2, 3));
  c.parser.toServer(write(5, ascii('tail'), 3, EICAR.length));
  c.parser.end();
  assert.deepEqual(c.done[0]!.data, concat(EICAR, ascii('tail')));
  assert.equal(c.problems.counts.get('smb.bad-framing'), 2);
  assert.match(c.problems.samples[0]!.message, /stream byte \d+ \(client → server\)/);
});

test('a message beyond the buffer bound is clipped: its head still counts, the rest is counted', () => {
  const c = collect(16);
  c.parser.toServer(create('\\huge', 1));
  c.parser.toClient(created(5, 1));
  const huge = new Uint8Array(300_000).fill(0x5a);
  const msg = write(5, huge, 2);
  for (let i = 0; i < msg.length; i += 65536) c.parser.toServer(msg.subarray(i, i + 65536));
  c.parser.end();
  assert.deepEqual(c.done[0]!.data, huge.subarray(0, 16));
  assert.equal(c.done[0]!.truncated, true);
  assert.ok(c.parser.stats.clippedBytes > 0);
  assert.equal(c.problems.total(), 0, 'a bound is not bad input');
});
