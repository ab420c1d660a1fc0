import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { rulesCheck } from './check.js';
import { loadRules } from './load.js';
import { applyVarOverrides, defaultVars } from './parse/variables.js';

function tarEntry(name: string, text: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(`${Buffer.byteLength(text).toString(8).padStart(11, '0')}\0`, 124);
  h.write('0', 156);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(text) / 512) * 512);
  body.write(text);
  return Buffer.concat([h, body]);
}

const RULES = [
  'alert tcp $HOME_NET any -> $EXTERNAL_NET 80 (msg:"ok"; content:"a"; sid:10; rev:1;)',
  'alert tcp $NOPE any -> any any (msg:"bad var"; sid:11;)',
  'garbage line here',
  '# alert tcp any any -> any any (msg:"disabled"; sid:12;)',
  'alert tcp any any -> any any (msg:"dup"; sid:10;)',
  'alert tcp any any -> any any (msg:"partial"; asn1:oversize_length 10; sid:13;)',
].join('\n');

test('one bad rule never stops the others; duplicates reported; check counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-rules-'));
  writeFileSync(join(dir, 'a.rules'), RULES);
  const r = loadRules([dir]);
  assert.deepEqual(
    r.rules.map((x) => [x.sid, x.enabled, x.support]),
    [
      [10, true, 'full'],
      [12, false, 'full'],
      [13, true, 'partial'],
    ],
  );
  assert.deepEqual(
    r.rejected.map((x) => [x.line, x.sid, x.reason]),
    [
      [2, 11, 'address "$NOPE": undefined variable $NOPE'],
      [3, undefined, 'no option list: expected "(" after the header'],
      [5, 10, `duplicate sid 1:10 (first at ${join(dir, 'a.rules')}:1)`],
    ],
  );
  const c = rulesCheck(r);
  assert.deepEqual([c.total, c.enabled, c.disabled, c.full, c.partial, c.rejected], [6, 5, 1, 2, 1, 3]);
  assert.deepEqual(c.ignoredKeywords, { asn1: 1 });
});

test('.tar.gz archives are read without extracting; --var resolves variables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-rules-'));
  const tgz = join(dir, 'emerging.rules.tar.gz');
  writeFileSync(
    tgz,
    gzipSync(
      Buffer.concat([tarEntry('rules/x.rules', RULES), tarEntry('rules/README', 'x'), Buffer.alloc(1024)]),
    ),
  );
  const vars = applyVarOverrides(defaultVars(), ['NOPE=10.0.0.1']);
  const r = loadRules([tgz], { vars });
  assert.deepEqual(
    r.rules.map((x) => x.sid),
    [10, 11, 12, 13],
  );
  assert.equal(r.rules[0]!.file, `${tgz}!rules/x.rules`);
});
