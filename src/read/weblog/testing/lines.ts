/**
 * For tests: access-log lines, well formed and hostile. Each field is drawn
 * from ordinary values and from the characters that decide how the line is
 * cut: quotes, backslashes and escapes, brackets, tabs, Unicode spaces, line
 * separators, lone surrogates, U+FFFD from invalid UTF-8, very long text.
 */
import fc from 'fast-check';

const hostileChars = [
  '"',
  '\\',
  '\\"',
  '\\\\',
  '\\x22',
  '\\x5C',
  '\\xff',
  '\\xc3\\x28',
  '\\xe2\\x82',
  '\\xf0\\x9f\\x98\\x80',
  '\\xef\\xbb\\xbf',
  '\\n',
  '\\t',
  '\\',
  '\\\r',
  ' ',
  '  ',
  '\t',
  '[',
  ']',
  ' [',
  ':',
  '-',
  '\r',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\ufffd',
  'é',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  'HTTP/1.1',
  ' HTTP/',
  '%00',
];

/** Text made of ordinary characters and the hostile ones above. */
export const hostileText = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
        { weight: 2, arbitrary: fc.constantFrom(...hostileChars) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      ),
      { maxLength },
    )
    .map((parts) => parts.join(''));

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const path = fc
  .array(fc.constantFrom('a', 'b', '/', '.', '%20', '?', '=', '&', '-', '_', '~', '%00', 'index.php'), {
    maxLength: 12,
  })
  .map((p) => `/${p.join('')}`);
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Well-formed values of each field of a combined line. */
const good = {
  vhost: fc.constantFrom('', '', '', 'example.org:443 ', 'h:80 '),
  src: fc.oneof({ weight: 4, arbitrary: fc.ipV4() }, fc.constantFrom('2001:db8::1', '::1', 'fe80::1%eth0')),
  ident: fc.constantFrom('-', '-', 'ident'),
  user: fc.constantFrom('-', '-', 'alice', 'a b'),
  date: fc
    .record({
      day: fc.integer({ min: 1, max: 31 }),
      pad: fc.boolean(),
      month: fc.constantFrom(...months),
      year: fc.constantFrom('2026', '1999', '2024'),
      h: fc.integer({ min: 0, max: 23 }),
      m: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      frac: fc.constantFrom('', '', '', '.5', '.123456'),
      zone: fc.constantFrom('+0000', '+0000', '-0500', '+0130', '-0000'),
    })
    .map((d) => {
      const two = (n: number) => String(n).padStart(2, '0');
      const day = d.pad ? two(d.day) : String(d.day);
      return `${day}/${d.month}/${d.year}:${two(d.h)}:${two(d.m)}:${two(d.s)}${d.frac} ${d.zone}`;
    }),
  request: fc
    .tuple(
      fc.constantFrom('GET', 'GET', 'POST', 'HEAD', 'OPTIONS', 'PROPFIND', 'get', 'M-SEARCH'),
      path,
      fc.constantFrom(' HTTP/1.1', ' HTTP/1.1', ' HTTP/1.0', ' HTTP/2.0', ''),
    )
    .map(([m, u, v]) => `"${m} ${u}${v}"`),
  status: fc.constantFrom('200', '404', '401', '403', '301', '-'),
  bytes: fc.oneof(digits(1, 6), fc.constant('-')),
  tail: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(' "-" "curl/7.88.1"', ' "http://a/" "Mozilla/5.0 (X11)"') },
    fc.constantFrom('', ' "-"', ' "-" "-" 0.003', ' "" ""'),
  ),
};

/** Broken and hostile values for the same fields. */
const bad = {
  vhost: fc.oneof(
    hostileText(6).map((t) => `${t}:443 `),
    fc.constantFrom('a:1:2 ', ':1 ', 'x: ', 'é:1 '),
  ),
  src: fc.oneof(hostileText(6), fc.constantFrom('', '2001:db8::1:80', 'a\tb')),
  ident: hostileText(6),
  user: fc.oneof(hostileText(10), fc.constantFrom('a [b]', ' [1/Jan/2000:00:00:00 +0000]', '')),
  date: fc.oneof(
    hostileText(12),
    fc.constantFrom(
      '0/Jan/2026:00:00:00 +0000',
      '123/Nov/2026:11:12:20 +0000',
      '23/Foo/2026:11:12:20 +0000',
      '23/nov/2026:11:12:20 +0000',
      '23/Nov/20260:11:12:20 +0000',
      '23/Nov/2026:24:61:99 +0000',
      '23/Nov/2026:1:12:20 +0000',
      '23/Nov/2026:11:12:20. +0000',
      '23/Nov/2026:11:12:20.x +0000',
      '23/Nov/2026:11:12:20 0000',
      '23/Nov/2026:11:12:20 +000',
      '23/Nov/2026:11:12:20 Z',
      '',
    ),
  ),
  request: fc.oneof(
    hostileText(30).map((t) => `"${t}"`),
    hostileText(30).map((t) => `"GET /${t} HTTP/1.1"`),
    hostileText(30),
    fc.constantFrom(
      '"-"',
      '""',
      '"\\x16\\x03\\x01\\x00\\xa5\\x01"',
      `"${'X'.repeat(33)} / HTTP/1.1"`,
      '"GET /"x" HTTP/1.1"',
    ),
  ),
  status: fc.constantFrom('20', '2000', 'abc', '', ' 200'),
  bytes: fc.constantFrom('99999999999999999999999', 'x', '', '12x', '-1'),
  tail: fc.oneof(
    fc.tuple(hostileText(20), hostileText(20)).map(([a, b]) => ` "${a}" "${b}"`),
    fc.tuple(hostileText(20), hostileText(10)).map(([a, x]) => ` "-" "${a}" ${x}`),
    hostileText(20).map((a) => ` "${a}`),
    hostileText(10).map((x) => ` ${x}`),
    hostileText(10),
  ),
};
type Field = keyof typeof good;
const fieldNames = Object.keys(good) as Field[];
const separators = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\u00a0', '');

/**
 * One access line built field by field: most are well formed, the rest have
 * one to three fields broken or hostile, or an odd separator.
 */
export const accessLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.record(good),
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      fc.array(fc.constantFrom(...fieldNames), { minLength: 1, maxLength: 3 }),
    ),
    fc.record(bad),
    fc.array(fc.tuple(fc.nat(7), separators), { maxLength: 1 }),
  )
  .map(([ok, broken, worse, seps]) => {
    const f: Record<Field, string> = { ...ok };
    for (const name of broken) f[name] = worse[name];
    const sp = [' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '];
    for (const [at, s] of seps) sp[at] = s;
    return `${f.vhost}${f.src}${sp[0]}${f.ident}${sp[1]}${f.user}${sp[2]}[${f.date}]${sp[3]}${f.request}${sp[4]}${f.status}${sp[5]}${f.bytes}${f.tail}`;
  });

/** A real line with a slice cut out and random text put in. */
export const mutatedLine = (real: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...real), fc.nat(), fc.nat({ max: 40 }), hostileText(6))
    .map(([l, at, cut, ins]) => {
      const i = at % (l.length + 1);
      return l.slice(0, i) + ins + l.slice(i + cut);
    });

/** A field of 10,000 to 60,000 characters in an otherwise ordinary line. */
export const hugeLine: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 10_000, max: 60_000 }), fc.constantFrom('"', '\\x22', 'a', '\\', ' '), fc.nat(3))
  .map(([n, unit, where]) => {
    const big = unit.repeat(Math.ceil(n / unit.length));
    const fields = ['GET /x HTTP/1.1', '-', 'curl/8'];
    if (where < 3) fields[where] = big;
    const line = `10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "${fields[0]}" 200 5 "${fields[1]}" "${fields[2]}"`;
    return where === 3 ? `${line} ${big}` : line;
  });
