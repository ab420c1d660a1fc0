/**
 * The HPACK decoder against the worked examples of RFC 7541 Appendix C
 * (hex dumps, decoded lists and table contents written down from the RFC),
 * plus limits and garbage.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createHpackDecoder, type HeaderField, type HpackDecoder } from './hpack.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const text = (fields: HeaderField[]): string[] =>
  fields.map(([n, v]) => `${Buffer.from(n).toString('latin1')}: ${Buffer.from(v).toString('latin1')}`);

function decode(d: HpackDecoder, h: string): { fields: string[]; error: string | undefined } {
  const b = hex(h);
  const out: HeaderField[] = [];
  const error = d.decodeBlock(b, 0, b.length, out);
  return { fields: text(out), error };
}

function table(d: HpackDecoder): string[] {
  const rows: string[] = [];
  for (let i = 0; i < d.length; i++) rows.push(text([d.entry(i)!])[0]!);
  return rows;
}

test('C.2: one representation of each kind', () => {
  const d = createHpackDecoder();
  assert.deepEqual(decode(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'), {
    fields: ['custom-key: custom-header'],
    error: undefined,
  });
  assert.deepEqual(table(d), ['custom-key: custom-header']);
  assert.equal(d.size, 55);

  const d2 = createHpackDecoder();
  assert.deepEqual(decode(d2, '040c 2f73 616d 706c 652f 7061 7468').fields, [':path: /sample/path']);
  assert.equal(d2.length, 0);

  const d3 = createHpackDecoder();
  assert.deepEqual(decode(d3, '1008 7061 7373 776f 7264 0673 6563 7265 74').fields, ['password: secret']);
  assert.equal(d3.length, 0);

  const d4 = createHpackDecoder();
  assert.deepEqual(decode(d4, '82').fields, [':method: GET']);
  assert.equal(d4.length, 0);
});

const requests = [
  [':method: GET', ':scheme: http', ':path: /', ':authority: www.example.com'],
  [':method: GET', ':scheme: http', ':path: /', ':authority: www.example.com', 'cache-control: no-cache'],
  [
    ':method: GET',
    ':scheme: https',
    ':path: /index.html',
    ':authority: www.example.com',
    'custom-key: custom-value',
  ],
];
const requestTables = [
  { rows: [':authority: www.example.com'], size: 57 },
  { rows: ['cache-control: no-cache', ':authority: www.example.com'], size: 110 },
  { rows: ['custom-key: custom-value', 'cache-control: no-cache', ':authority: www.example.com'], size: 164 },
];

for (const [section, dumps] of [
  [
    'C.3 (plain literals)',
    [
      '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '8286 84be 5808 6e6f 2d63 6163 6865',
      '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    ],
  ],
  [
    'C.4 (Huffman literals)',
    [
      '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
      '8286 84be 5886 a8eb 1064 9cbf',
      '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
    ],
  ],
] as const) {
  test(`${section}: three requests on one connection share the dynamic table`, () => {
    const d = createHpackDecoder();
    dumps.forEach((dump, i) => {
      assert.deepEqual(decode(d, dump), { fields: requests[i], error: undefined }, `request ${i + 1}`);
      assert.deepEqual(table(d), requestTables[i]!.rows);
      assert.equal(d.size, requestTables[i]!.size);
    });
  });
}

const date1 = 'date: Mon, 21 Oct 2013 20:13:21 GMT';
const date2 = 'date: Mon, 21 Oct 2013 20:13:22 GMT';
const location = 'location: https://www.example.com';
const cookie = 'set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const responses = [
  [':status: 302', 'cache-control: private', date1, location],
  [':status: 307', 'cache-control: private', date1, location],
  [':status: 200', 'cache-control: private', date2, location, 'content-encoding: gzip', cookie],
];
const responseTables = [
  { rows: [location, date1, 'cache-control: private', ':status: 302'], size: 222 },
  { rows: [':status: 307', location, date1, 'cache-control: private'], size: 222 },
  { rows: [cookie, 'content-encoding: gzip', date2], size: 215 },
];

for (const [section, dumps] of [
  [
    'C.5 (plain literals)',
    [
      '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '4803 3330 37c1 c0bf',
      '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
    ],
  ],
  [
    'C.6 (Huffman literals)',
    [
      '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
      '4883 640e ffc1 c0bf',
      '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
    ],
  ],
] as const) {
  test(`${section}: three responses with a 256-byte table evict as the RFC shows`, () => {
    const d = createHpackDecoder({ tableSize: 256 });
    dumps.forEach((dump, i) => {
      assert.deepEqual(decode(d, dump), { fields: responses[i], error: undefined }, `response ${i + 1}`);
      assert.deepEqual(table(d), responseTables[i]!.rows);
      assert.equal(d.size, responseTables[i]!.size);
    });
  });
}

test('dynamic table size update: shrinking evicts, growing is capped, above the allowed size is flagged', () => {
  const d = createHpackDecoder({ maxTableSize: 8192 });
  decode(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'); // 55 bytes
  assert.equal(d.length, 1);
  // Size update to 0 (0x20) empties the table; then 4096 again (3f e1 1f).
  assert.deepEqual(decode(d, '20'), { fields: [], error: undefined });
  assert.equal(d.length, 0);
  assert.equal(d.maxSize, 0);
  assert.equal(decode(d, '3fe1 1f').error, undefined);
  assert.equal(d.maxSize, 4096);
  // 8000 is above the allowed 4096 (no SETTINGS raised it): reported, and applied since it is under the cap.
  assert.equal(decode(d, '3fa1 3e').error, 'size-update-too-large');
  assert.equal(d.maxSize, 8000);
  d.setAllowedTableSize(1 << 20);
  // 100000 is allowed by SETTINGS but over our hard cap of 8192: clamped.
  assert.equal(decode(d, '3f81 8d06').error, undefined);
  assert.equal(d.maxSize, 8192);
});

test('an entry larger than the whole table empties it and is not added', () => {
  const d = createHpackDecoder({ tableSize: 60 });
  decode(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'); // 55 bytes fits
  assert.equal(d.length, 1);
  // custom-key: custom-headerXXXXXX (10 + 19 + 32 > 60)
  const r = decode(d, '400a 6375 7374 6f6d 2d6b 6579 1363 7573 746f 6d2d 6865 6164 6572 5858 5858 5858');
  assert.deepEqual(r.fields, ['custom-key: custom-headerXXXXXX']);
  assert.equal(d.length, 0);
  assert.equal(d.size, 0);
});

test('errors keep the fields decoded before them', () => {
  const d = createHpackDecoder();
  assert.deepEqual(decode(d, '82 80'), { fields: [':method: GET'], error: 'bad-index' });
  assert.deepEqual(decode(d, '82 be'), { fields: [':method: GET'], error: 'bad-index' }); // 62: table empty
  assert.deepEqual(decode(d, '82 040c 2f73'), { fields: [':method: GET'], error: 'truncated' });
  assert.equal(decode(d, 'ff ff ff ff ff ff 7f').error, 'integer-overflow');
  assert.equal(decode(d, '04 81 00').error, 'bad-huffman');
});

test('header list budget: fields past it are still indexed but not returned', () => {
  const d = createHpackDecoder({ maxHeaderListSize: 60 });
  // :method GET (42) fits; custom-key: custom-header (55) does not, but enters the table.
  const r = decode(d, '82 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572');
  assert.deepEqual(r, { fields: [':method: GET'], error: 'header-list-too-large' });
  assert.equal(d.length, 1);
});

test('property: garbage blocks never throw, output and table stay within their bounds', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 8 }), (blocks) => {
      const d = createHpackDecoder({ maxTableSize: 1024, maxHeaderListSize: 2048 });
      d.setAllowedTableSize(1 << 30);
      for (const b of blocks) {
        const out: HeaderField[] = [];
        d.decodeBlock(b, 0, b.length, out);
        let bytes = 0;
        for (const [n, v] of out) bytes += n.length + v.length + 32;
        assert.ok(bytes <= 2048);
        assert.ok(d.size <= d.maxSize && d.maxSize <= 1024);
      }
    }),
    { numRuns: 1000 },
  );
});

test('property: mutated valid blocks never throw', () => {
  const valid = hex(
    '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf 4803 3330 37c1 c0bf 5886 a8eb 1064 9cbf',
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(valid.length),
      (edits, cut) => {
        const b = valid.slice(0, cut);
        for (const [at, v] of edits) if (at < b.length) b[at] = v;
        const d = createHpackDecoder();
        d.decodeBlock(b, 0, b.length, []);
        d.decodeBlock(b, 0, b.length, []);
      },
    ),
    { numRuns: 1000 },
  );
});
