import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmtpParser, looksLikeSmtp } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
const b64 = (s: string | Uint8Array, width = 76) => {
  const all = Buffer.from(typeof s === 'string' ? enc(s) : s).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < all.length; i += width) lines.push(all.slice(i, i + width));
  return lines.join('\r\n');
};

function session(opts: { maxFileBytes?: number } = {}) {
  const done: FileTx[] = [];
  const helo: string[] = [];
  const env: string[] = [];
  const problems = createProblemLog();
  const p = createSmtpParser({
    ...opts,
    problems,
    onFile: (f, what) => what === 'done' && done.push(f),
    onHelo: (n) => helo.push(dec(n)),
    onMailFrom: (a) => env.push(`from ${dec(a)}`),
    onRcptTo: (a) => env.push(`to ${dec(a)}`),
  });
  return { p, done, helo, env, problems };
}

/** Client lines (CRLF added) and, between them, the server's replies. */
function converse(p: ReturnType<typeof createSmtpParser>, script: [string, string][]) {
  for (const [server, client] of script) {
    if (server !== '') p.toClient(enc(server));
    if (client !== '') p.toServer(enc(client));
  }
}

const ATTACHMENT = 'MZ\x90\x00binary attachment with \x00 bytes and a line\r\n.starting with a dot';
const message = [
  'From: a@example.org',
  'To: b@example.org',
  'Subject: files',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed;',
  '\tboundary="outer-b"',
  '',
  'This is the preamble.',
  '--outer-b',
  'Content-Type: multipart/alternative; boundary=outer-b-inner',
  '',
  '--outer-b-inner',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'plain body, not a file',
  '--outer-b-inner',
  'Content-Type: text/html',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p>html body, not a file either</p>',
  '--outer-b-inner--',
  '',
  '--outer-b',
  'Content-Type: application/octet-stream; name="tool.exe"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="tool.exe"',
  '',
  b64(Uint8Array.from(ATTACHMENT, (c) => c.charCodeAt(0))),
  '',
  '--outer-b',
  'Content-Type: text/plain; name=notes.txt',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=C3=A9 au lait, a soft=',
  ' break, and =3D signs',
  '.leading dot line',
  '--outer-b--',
  'epilogue',
].join('\r\n');

/** What the client sends for `message`: dot-stuffed, then the lone dot. */
const stuffed = `${message
  .split('\r\n')
  .map((l) => (l.startsWith('.') ? `.${l}` : l))
  .join('\r\n')}\r\n.\r\n`;

function fullSession(p: ReturnType<typeof createSmtpParser>) {
  converse(p, [
    ['220 mx.example.org ESMTP ready\r\n', 'EHLO client.example.net\r\n'],
    [
      '250-mx.example.org\r\n250-PIPELINING\r\n250 CHUNKING\r\n',
      'MAIL FROM:<a@example.org>\r\nRCPT TO: <b@example.org>\r\nDATA\r\n',
    ],
    ['250 ok\r\n250 ok\r\n354 go ahead\r\n', stuffed],
    ['250 queued\r\n', 'QUIT\r\n'],
    ['221 bye\r\n', ''],
  ]);
  p.end();
}

test('a multipart message: attachments become files (base64 and QP decoded), body text parts do not', () => {
  const s = session();
  fullSession(s.p);
  assert.deepEqual(s.helo, ['client.example.net']);
  assert.deepEqual(s.env, ['from <a@example.org>', 'to <b@example.org>']);
  assert.deepEqual(
    s.done.map((f) => [dec(f.name), f.id, f.toServer, f.proto]),
    [
      ['tool.exe', 0, true, 'smtp'],
      ['notes.txt', 1, true, 'smtp'],
    ],
  );
  assert.equal(dec(s.done[0]!.data), ATTACHMENT);
  // QP: =C3=A9 decoded, soft break joins the lines, the line end before the boundary is not content,
  // and the dot-stuffed line is back to one dot.
  assert.equal(
    new TextDecoder().decode(s.done[1]!.data),
    'café au lait, a soft break, and = signs\r\n.leading dot line',
  );
  assert.ok(s.done.every((f) => f.done && !f.truncated));
  assert.equal(s.p.messages, 1);
  assert.equal(s.problems.total(), 0);
});

test('the same files whatever the TCP chunking of the client side', () => {
  const whole = session();
  fullSession(whole.p);
  const bytes = enc(`EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n${stuffed}QUIT\r\n`);
  for (let cut = 1; cut < bytes.length; cut += 7) {
    for (const cut2 of [cut + 1, cut + 13, bytes.length]) {
      const s = session();
      s.p.toClient(enc('220 mx ESMTP\r\n'));
      s.p.toServer(bytes.subarray(0, cut));
      s.p.toServer(bytes.subarray(cut, cut2));
      s.p.toServer(bytes.subarray(cut2));
      s.p.end();
      assert.deepEqual(
        s.done.map((f) => [dec(f.name), dec(f.data)]),
        whole.done.map((f) => [dec(f.name), dec(f.data)]),
        `cuts ${cut}, ${cut2}`,
      );
    }
  }
});

test('dot-stuffing: ".." at a line start is one dot, and only the lone "." ends the message', () => {
  const s = session();
  s.p.toServer(enc('DATA\r\n'));
  s.p.toClient(enc('354 go\r\n'));
  s.p.toServer(
    enc('Content-Disposition: attachment; filename=dots.txt\r\n\r\n..\r\n...x\r\n. \r\n.\r\nQUIT\r\n'),
  );
  s.p.end();
  assert.equal(dec(s.done[0]!.data), '.\r\n..x\r\n ');
});

test('a single-part message with a filename is a file; one without is not', () => {
  const s = session();
  s.p.toServer(enc('DATA\r\nSubject: x\r\n\r\nno file here\r\n.\r\n'));
  s.p.toServer(
    enc("DATA\r\nContent-Type: text/plain; name*=utf-8''%E2%82%AC%20list.txt\r\n\r\nitem\r\n.\r\n"),
  );
  s.p.end();
  assert.equal(s.done.length, 1);
  assert.equal(new TextDecoder().decode(s.done[0]!.name), '€ list.txt');
  assert.equal(dec(s.done[0]!.data), 'item');
  assert.equal(s.p.messages, 2);
});

test('BDAT chunks carry the message raw (no dot-unstuffing) until LAST', () => {
  const s = session();
  const msg = enc(
    `Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Disposition: attachment; filename="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64('..raw dots stay')}\r\n--zz--\r\n`,
  );
  const half = 40;
  s.p.toServer(enc(`EHLO me\r\nMAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nBDAT ${half}\r\n`));
  s.p.toServer(msg.subarray(0, half));
  s.p.toServer(enc(`BDAT ${msg.length - half} LAST\r\n`));
  s.p.toServer(msg.subarray(half));
  s.p.toServer(enc('QUIT\r\n'));
  assert.equal(s.done.length, 1, 'done at LAST, before end()');
  assert.equal(dec(s.done[0]!.data), '..raw dots stay');
  assert.equal(s.p.messages, 1);
});

test('STARTTLS accepted: nothing after it is parsed', () => {
  const s = session();
  converse(s.p, [
    ['220 mx ESMTP\r\n', 'EHLO a\r\n'],
    ['250 STARTTLS\r\n', 'STARTTLS\r\n'],
    ['220 go ahead\r\n', 'DATA\r\nContent-Type: text/plain; name=a\r\n\r\nx\r\n.\r\n'],
  ]);
  s.p.end();
  assert.equal(s.p.tls, true);
  assert.equal(s.done.length, 0);
});

test('STARTTLS refused: the session goes on in clear text', () => {
  const s = session();
  converse(s.p, [
    ['220 mx ESMTP\r\n', 'STARTTLS\r\n'],
    ['454 not now\r\n', 'DATA\r\n'],
    ['354 go\r\n', 'Content-Type: text/plain; name=a\r\n\r\nx\r\n.\r\n'],
  ]);
  s.p.end();
  assert.equal(s.p.tls, false);
  assert.equal(s.done.length, 1);
});

test('DATA refused by the server: the next lines are commands again', () => {
  const s = session();
  s.p.toServer(enc('DATA\r\n'));
  s.p.toClient(enc('554 no valid recipients\r\n'));
  s.p.toServer(enc('RCPT TO:<ok@example.org>\r\nDATA\r\n'));
  s.p.toClient(enc('250 ok\r\n354 go\r\n'));
  s.p.toServer(enc('Content-Type: text/plain; name=after.txt\r\n\r\nbody\r\n.\r\n'));
  s.p.end();
  assert.deepEqual(s.env, ['to <ok@example.org>']);
  assert.deepEqual(
    s.done.map((f) => dec(f.name)),
    ['after.txt'],
  );
});

test('a line that only starts like a boundary does not end the part', () => {
  const s = session();
  s.p.toServer(
    enc(
      'DATA\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Disposition: attachment; filename=x\r\n\r\nline\r\n--b1x is data\r\n--b1 \r\n\r\nnext part\r\n--b1--\r\n.\r\n',
    ),
  );
  s.p.end();
  assert.equal(s.done.length, 1);
  assert.equal(dec(s.done[0]!.data), 'line\r\n--b1x is data');
});

test('maxFileBytes bounds an attachment and marks it truncated', () => {
  const s = session({ maxFileBytes: 10 });
  s.p.toServer(
    enc(
      `DATA\r\nContent-Disposition: attachment; filename=big\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64('x'.repeat(5000))}\r\n.\r\n`,
    ),
  );
  s.p.end();
  assert.equal(s.done[0]!.data.length, 10);
  assert.equal(s.done[0]!.truncated, true);
});

test('malformed base64 and quoted-printable are decoded as far as possible and reported', () => {
  const s = session();
  s.p.toServer(
    enc(
      'DATA\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Disposition: attachment; filename=a\r\nContent-Transfer-Encoding: base64\r\n\r\nSGV*sbG8=\r\n--q\r\nContent-Disposition: attachment; filename=b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n100=ZZ sure=4\r\n--q--\r\n.\r\n',
    ),
  );
  s.p.end();
  assert.equal(dec(s.done[0]!.data), 'Hello');
  assert.equal(dec(s.done[1]!.data), '100=ZZ sure=4');
  assert.equal(s.problems.counts.get('smtp.invalid-base64'), 1);
  assert.equal(s.problems.counts.get('smtp.invalid-quoted-printable'), 1);
});

test('an attachment cut off by the end of the connection is still reported done', () => {
  const s = session();
  s.p.toServer(enc('DATA\r\nContent-Disposition: attachment; filename=cut\r\n\r\npartial line without end'));
  s.p.end();
  assert.equal(dec(s.done[0]!.data), 'partial line without end');
  assert.equal(s.done[0]!.done, true);
});

test('looksLikeSmtp: SMTP greetings yes, FTP and others no', () => {
  assert.equal(looksLikeSmtp(enc('220-xc90.websitewelcome.com ESMTP Exim 4.69\r\n')), true);
  assert.equal(looksLikeSmtp(enc('220 mail.example.com\r\n')), true);
  assert.equal(looksLikeSmtp(enc('220 ProFTPD 1.3.5 Server ready.\r\n')), false);
  assert.equal(looksLikeSmtp(enc('+OK POP3 ready\r\n')), false);
  assert.equal(looksLikeSmtp(enc('HTTP/1.1 200 OK\r\n')), false);
  assert.equal(looksLikeSmtp(enc('2200 x')), false);
});
