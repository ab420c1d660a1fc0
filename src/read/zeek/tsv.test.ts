/** The TSV form: header directives, every value type, escapes, placeholders, header changes mid-file, bad lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLineContext, isProblem } from '../syslog/types.js';
import { decodeZeekEscapes, zeekReader } from './index.js';
import { readZeekText, tsvHeader } from './testing.js';
import { columnType, defaultMarkers, tsvValue } from './values.js';

const connFields =
  'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto conn_state history orig_bytes tunnel_parents local_orig'.split(
    ' ',
  );
const connTypes = 'time string addr port addr port enum string string count set[string] bool'.split(' ');

test('escapes: \\x09 and other bytes, escaped UTF-8, backslash, invalid UTF-8 kept as text', () => {
  assert.equal(decodeZeekEscapes('a\\x09b'), 'a\tb');
  assert.equal(decodeZeekEscapes('x\\x2cy'), 'x,y');
  assert.equal(decodeZeekEscapes('caf\\xc3\\xa9'), 'café');
  assert.equal(decodeZeekEscapes('c:\\\\dir'), 'c:\\dir');
  assert.equal(decodeZeekEscapes('bad\\xff\\xfe!'), 'bad\\xff\\xfe!');
  assert.equal(decodeZeekEscapes('\\x4'), '\\x4');
  assert.equal(decodeZeekEscapes('\\xZZ'), '\\xZZ');
  assert.equal(decodeZeekEscapes('\\x41'.repeat(10000)), 'A'.repeat(10000));
});

test('values: each type, unset, empty, containers', () => {
  const m = defaultMarkers();
  const v = (text: string, t: string) => tsvValue(text, columnType(t), m);
  assert.equal(v('1300475167.096535', 'time'), 1300475167.096535);
  assert.equal(v('0.000435', 'interval'), 0.000435);
  // Counts past 2^53 are kept as the nearest double (JSON does the same).
  assert.equal(v('18446744073709551615', 'count'), 2 ** 64);
  assert.equal(v('-5', 'int'), -5);
  assert.equal(v('1.5e3', 'double'), 1500);
  assert.equal(v('443', 'port'), 443);
  assert.equal(v('53/udp', 'port'), 53);
  assert.equal(v('fe80::217:f2ff:fed7:cf65', 'addr'), 'fe80::217:f2ff:fed7:cf65');
  assert.equal(v('10.0.0.0/8', 'subnet'), '10.0.0.0/8');
  assert.equal(v('T', 'bool'), true);
  assert.equal(v('F', 'bool'), false);
  assert.equal(v('Scan::Port_Scan', 'enum'), 'Scan::Port_Scan');
  assert.equal(v('-', 'string'), undefined);
  assert.equal(v('\\x2d', 'string'), '-');
  assert.equal(v('(empty)', 'string'), '');
  assert.deepEqual(v('(empty)', 'set[string]'), []);
  assert.deepEqual(v('80,443', 'set[port]'), [80, 443]);
  assert.deepEqual(v('a\\x2cb,c', 'vector[string]'), ['a,b', 'c']);
  assert.deepEqual(v('455.000000,1.5', 'vector[interval]'), [455, 1.5]);
  for (const [text, t] of [
    ['12x', 'count'],
    ['-1', 'count'],
    ['70000', 'port'],
    ['1.2.3', 'addr'],
    ['10.0.0.0/x', 'subnet'],
    ['yes', 'bool'],
    ['1,x', 'set[count]'],
    ['', 'time'],
  ] as const) {
    assert.equal(typeof v(text, t), 'symbol', `${text} as ${t}`);
  }
});

test('a header-led file: fields by #fields, typed by #types, #close ignored', async () => {
  const text = [
    tsvHeader('conn', connFields, connTypes),
    '1700000000.123456\tCa1\t10.0.0.1\t40000\t10.0.0.2\t22\ttcp\tS0\tS\t-\t(empty)\tT',
    '1700000001.5\tCa2\t10.0.0.1\t40001\t10.0.0.2\t23\ttcp\tREJ\tSr\t0\tCx,Cy\tF',
    '#close\t2024-05-01-11-00-00',
  ].join('\n');
  const r = await readZeekText('current.log', text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.records.length, 2);
  const [a, b] = r.records.map((x) => x.rec);
  assert.equal(a!.path, 'conn');
  assert.equal(a!.format, 'zeek-tsv');
  assert.equal(a!.ts, 1700000000.123456);
  assert.equal(a!.fields['id.resp_p'], 22);
  assert.equal(a!.fields.orig_bytes, undefined);
  assert.ok(!('orig_bytes' in a!.fields));
  assert.deepEqual(a!.fields.tunnel_parents, []);
  assert.equal(a!.fields.local_orig, true);
  assert.deepEqual(b!.fields.tunnel_parents, ['Cx', 'Cy']);
  assert.equal(b!.fields.orig_bytes, 0);
  assert.equal(r.records[1]!.line, 10);
});

test('a new header block mid-file replaces the field order, path and separators', async () => {
  const text = [
    tsvHeader('conn', connFields, connTypes),
    '1700000000.1\tCa1\t10.0.0.1\t40000\t10.0.0.2\t22\ttcp\tS0\tS\t-\t(empty)\tT',
    tsvHeader(
      'ssh',
      ['uid', 'ts', 'id.orig_h', 'auth_success', 'client'],
      ['string', 'time', 'addr', 'bool', 'string'],
    ),
    'Cb1\t1700000002.25\t10.9.9.9\tF\tSSH-2.0-libssh\\x09evil',
    '#separator \\x7c',
    '#set_separator|;',
    '#fields|ts|uid|id.orig_h|tags',
    '#types|time|string|addr|set[enum]',
    '1700000003|Cc1|10.1.1.1|A;B',
  ].join('\n');
  const r = await readZeekText('mixed.log', text);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.records.map((x) => [x.rec.path, x.rec.fields.uid]),
    [
      ['conn', 'Ca1'],
      ['ssh', 'Cb1'],
      ['ssh', 'Cc1'],
    ],
  );
  assert.equal(r.records[1]!.rec.ts, 1700000002.25);
  assert.equal(r.records[1]!.rec.fields.client, 'SSH-2.0-libssh\tevil');
  assert.equal(r.records[1]!.rec.fields.auth_success, false);
  assert.deepEqual(r.records[2]!.rec.fields.tags, ['A', 'B']);
});

test('bad lines are problems with file, line and reason; the rest is read', async () => {
  const text = [
    '1700000000.1\tCz\t10.0.0.1', // before any header, file name says nothing
    tsvHeader('conn', connFields, connTypes),
    '1700000000.1\tCa1\t10.0.0.1\t40000', // too few columns
    '1700000000.1\tCa1\t10.0.0.999\t40000\t10.0.0.2\t22\ttcp\tS0\tS\t-\t(empty)\tT',
    'XXXXXXXXXX.XXXXXX\tCa1\t10.0.0.1\t40000\t10.0.0.2\t22\ttcp\tS0\tS\t-\t(empty)\tT',
    '-\tCa1\t10.0.0.1\t40000\t10.0.0.2\t22\ttcp\tS0\tS\t-\t(empty)\tT',
    '#types\ttime\tstring',
    '1700000009.1\tCok\t10.0.0.1\t40000\t10.0.0.2\t22\ttcp\tS0\tS\t-\t(empty)\tT',
  ].join('\n');
  const r = await readZeekText('odd.txt', text);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.line]),
    [
      ['zeek.no-header', 1],
      ['zeek.column-count', 10],
      ['zeek.bad-value', 11],
      ['zeek.masked-time', 12],
      ['zeek.no-time', 13],
      ['zeek.bad-header', 14],
    ],
  );
  for (const p of r.problems) assert.equal(p.file, r.path);
  assert.match(r.problems[2]!.message, /id\.orig_h/);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0]!.rec.fields.uid, 'Cok');
});

test('header-less lines take the layout the file name and column count give; a plain column-name row works', async () => {
  const old =
    '1541350796.901974\tC54zqz17PXuBv3HkLg\t192.168.0.26\t54855\t54.85.115.89\t443\ttcp\tssl\t0.153642\t1147\t589\tSF\tT\t0\tShADadfF\t7\t1439\t8\t921\t(empty)';
  const r = await readZeekText('conn.log', `${old}\n`);
  assert.deepEqual(r.problems, []);
  assert.equal(r.records[0]!.rec.fields.conn_state, 'SF');
  assert.equal(r.records[0]!.rec.fields.resp_ip_bytes, 921);
  const plain = await readZeekText('x.tsv', 'ts\tuid\tid.orig_h\tid.orig_p\n1700000000.5\tC1\t10.0.0.1\t5\n');
  assert.deepEqual(plain.problems, []);
  assert.equal(plain.records[0]!.rec.fields['id.orig_p'], 5);
  assert.equal(plain.records[0]!.rec.path, 'unknown');
});

test('parseLine without readLogFile keeps its header in ctx.fileState', () => {
  const ctx = defaultLineContext({ file: 'a.log' });
  assert.equal(zeekReader.parseLine('#fields\tts\tuid\tid.orig_h', ctx), null);
  const r = zeekReader.parseLine('1.5\tC1\t::1', ctx);
  assert.ok(r && !isProblem(r));
  assert.equal(r.fields['id.orig_h'], '::1');
  const other = defaultLineContext({ file: 'b.log' });
  const p = zeekReader.parseLine('1.5\tC1\t::1', other);
  assert.ok(p && isProblem(p) && p.code === 'zeek.no-header');
});

test('sniff: confident on headers, on header-less Zeek lines; not on other logs', () => {
  assert.equal(zeekReader.sniff(['#separator \\x09', '#set_separator\t,']), 1);
  assert.equal(zeekReader.sniff(['### comment', '#fields\tts\tuid']), 1);
  assert.equal(
    zeekReader.sniff(['1359565680.761790\tUWkUyAuUGXf\t192.168.6.10\t53209\t192.168.129.36\t53\tudp']),
    1,
  );
  assert.equal(zeekReader.sniff(['Nov 23 11:12:20 h sshd[1]: Invalid user a from 10.0.0.1 port 2']), 0);
  assert.equal(
    zeekReader.sniff(['1.2.3.4 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 81 "-" "curl/7.88.1"']),
    0,
  );
});
