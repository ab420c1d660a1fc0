/**
 * Random and mutated SMTP for the parser: it never throws, keeps every file
 * within its bound, and finds the same files however the streams are cut.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmtpParser } from './index.js';

const MAX_FILE = 200;
const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

interface Chunk {
  toServer: boolean;
  bytes: Uint8Array;
}

function run(chunks: Chunk[]) {
  const files: FileTx[] = [];
  const problems = createProblemLog(3);
  const p = createSmtpParser({
    maxFileBytes: MAX_FILE,
    problems,
    onFile: (f, what) => what === 'done' && files.push(f),
    onHelo: (n) => assert.ok(n.length <= 8192),
  });
  for (const c of chunks) (c.toServer ? p.toServer : p.toClient).call(p, c.bytes);
  p.end();
  for (const f of files) {
    assert.ok(f.data.length <= MAX_FILE);
    assert.equal(f.done, true);
    assert.equal(f.proto, 'smtp');
  }
  assert.ok(problems.samples.length <= 3 * problems.counts.size);
  return files.map(
    (f) =>
      `${f.id}|${Buffer.from(f.name).toString('hex')}|${Buffer.from(f.data).toString('hex')}|${f.truncated}`,
  );
}

/** Pieces that steer the parser into its states, mixed with noise. */
const token = fc.oneof(
  fc.constantFrom(
    'EHLO x\r\n',
    'MAIL FROM:<a@b>\r\n',
    'DATA\r\n',
    'BDAT 17\r\n',
    'BDAT 3 LAST\r\n',
    'STARTTLS\r\n',
    '.\r\n',
    '..\r\n',
    '\r\n',
    '\n',
    'Content-Type: multipart/mixed; boundary=b\r\n',
    'Content-Type: multipart/mixed; boundary="b-in"\r\n',
    'Content-Disposition: attachment; filename="f.bin"\r\n',
    'Content-Type: text/plain; name*0=a; name*1=b\r\n',
    'Content-Transfer-Encoding: base64\r\n',
    'Content-Transfer-Encoding: quoted-printable\r\n',
    '\tcontinued\r\n',
    '--b\r\n',
    '--b--\r\n',
    '--b-in\r\n',
    'SGVsbG8gd29ybGQ=\r\n',
    '=41=\r\n',
    '=',
    'x'.repeat(9000),
  ),
  fc.string({ maxLength: 40 }),
);

test('random bytes in both directions: no throw, bounded', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ toServer: fc.boolean(), bytes: fc.uint8Array({ maxLength: 400 }) }), {
        maxLength: 30,
      }),
      (chunks) => {
        run(chunks);
      },
    ),
    { numRuns: 1500 },
  );
});

test('SMTP and MIME fragments in random order: no throw, bounded, same files however cut', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.array(token, { minLength: 1, maxLength: 6 })), { maxLength: 25 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
      (script, cuts) => {
        const chunks = script.map(([fromClient, parts]) => ({
          toServer: fromClient,
          bytes: enc(fromClient ? parts.join('') : parts.map((p) => `250 ${p}`).join('')),
        }));
        const whole = run(chunks);
        const pieces: Chunk[] = [];
        let k = 0;
        for (const c of chunks) {
          for (let i = 0; i < c.bytes.length; ) {
            const n = cuts[k++ % cuts.length]!;
            pieces.push({ toServer: c.toServer, bytes: c.bytes.subarray(i, i + n) });
            i += n;
          }
        }
        assert.deepEqual(run(pieces), whole);
      },
    ),
    { numRuns: 800 },
  );
});

/** A multipart message whose parts have random names, encodings and body lines. */
const part = fc.record({
  named: fc.boolean(),
  encoding: fc.constantFrom('7bit', 'base64', 'quoted-printable'),
  lines: fc.array(
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('.', '..x', '=', 'a=', '=3D', '=C3=A9', 'SGVsbG8=', '--b', '--bx', ''),
    ),
    { maxLength: 8 },
  ),
});

test('random multipart messages: one file per named part, same files however cut', () => {
  fc.assert(
    fc.property(
      fc.array(part, { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
      (parts, cuts) => {
        const body = ['Content-Type: multipart/mixed; boundary="b"', '', 'preamble'];
        parts.forEach((p, i) => {
          body.push('--b', `Content-Transfer-Encoding: ${p.encoding}`);
          if (p.named) body.push(`Content-Disposition: attachment; filename="part${i}"`);
          body.push('', ...p.lines.map((l) => l.replaceAll('\r', '').replaceAll('\n', '')));
        });
        body.push('--b--', '');
        const stuffed = body.map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n');
        const bytes = enc(`EHLO x\r\nDATA\r\n${stuffed}\r\n.\r\nQUIT\r\n`);
        const whole = run([{ toServer: true, bytes }]);
        assert.equal(whole.length, parts.filter((p) => p.named).length);
        const pieces: Chunk[] = [];
        for (let i = 0, k = 0; i < bytes.length; k++) {
          const n = cuts[k % cuts.length]!;
          pieces.push({ toServer: true, bytes: bytes.subarray(i, i + n) });
          i += n;
        }
        assert.deepEqual(run(pieces), whole);
      },
    ),
    { numRuns: 600 },
  );
});
