/**
 * bug-3616-smtp (suricata-verify): a multipart mail whose quoted-printable
 * attachment NEWS.txt holds the strings the case's rules look for with
 * file_data (two of them only after strip_whitespace).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../../../test/support/env.js';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { replayTcp } from '../smb/testing/tcp-streams.js';
import { createSmtpParser } from './index.js';

const d = sharedData('verify/tests/bug-3616-smtp');

/** Suricata's strip_whitespace: drops every byte isspace() accepts. */
function stripWhitespace(b: Uint8Array): Buffer {
  return Buffer.from(b.filter((c) => !(c === 0x20 || (c >= 0x09 && c <= 0x0d))));
}

test('bug-3616-smtp: the attachment holds each rule content (after strip_whitespace where the rule says so)', {
  skip: d.skip,
}, () => {
  const files: FileTx[] = [];
  const helo: string[] = [];
  const problems = createProblemLog();
  replayTcp(
    join(d.path, 'input.pcap'),
    (c) =>
      c.serverPort === 25
        ? createSmtpParser({
            problems,
            onHelo: (n) => helo.push(new TextDecoder().decode(n)),
            onFile: (f, what) => what === 'done' && files.push(f),
          })
        : null,
    problems,
  );
  assert.equal(problems.total(), 0);
  assert.deepEqual(helo, ['GP']);
  // Only the named attachment is a file: the text and HTML body parts are not.
  assert.deepEqual(
    files.map((f) => new TextDecoder().decode(f.name)),
    ['NEWS.txt'],
  );
  const news = files[0]!;
  assert.equal(news.toServer, true);
  assert.equal(news.truncated, false);

  const rules = readFileSync(join(d.path, 'input.rules'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('alert'));
  assert.equal(rules.length, 3);
  for (const rule of rules) {
    const content = /content:"([^"]+)"/.exec(rule)![1]!;
    const haystack = rule.includes('strip_whitespace') ? stripWhitespace(news.data) : Buffer.from(news.data);
    assert.ok(haystack.includes(content), `file_data has "${content}"`);
  }
  // The raw text has the spaces the rules had to strip.
  assert.ok(Buffer.from(news.data).includes('Version 4.9.9.0'));
  // Reference: Python's email package decoding the same message (followed with tshark, unstuffed)
  // gives 10807 bytes with this SHA-256.
  assert.equal(news.data.length, 10807);
  assert.equal(
    createHash('sha256').update(news.data).digest('hex'),
    'ac04c5d2cd8fa9a2670c959806f5181a56b3e9bb1cc7da150af98ba074c86b55',
  );
});
