import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { needTools } from '../../../../test/support/env.js';
import { certFingerprint, parseAsn1Time, parseCertificate } from './x509.js';
import { oidText, renderName } from './x509-name.js';

/** DER element with a definite length. */
export function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const c = Uint8Array.from(content);
  const n = c.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...len, ...c]);
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const OIDS: Record<string, number[]> = {
  CN: [0x55, 4, 3],
  C: [0x55, 4, 6],
  O: [0x55, 4, 10],
  serialNumber: [0x55, 4, 5],
  email: [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 1],
  unknown: [0x55, 4, 99],
};
const atv = (oid: string, tag: number, value: Uint8Array | number[]) =>
  tlv(0x30, cat(tlv(6, OIDS[oid]!), tlv(tag, value)));
const rdn = (...atvs: Uint8Array[]) => tlv(0x31, cat(...atvs));
const name = (...rdns: Uint8Array[]) => tlv(0x30, cat(...rdns));
const str = (s: string) => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

function cert(
  issuer: Uint8Array,
  subject: Uint8Array,
  serial: number[],
  times: [Uint8Array, Uint8Array],
): Uint8Array {
  const tbs = tlv(
    0x30,
    cat(
      tlv(0xa0, tlv(2, [2])),
      tlv(2, serial),
      tlv(0x30, tlv(6, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11])),
      issuer,
      tlv(0x30, cat(...times)),
      subject,
      tlv(0x30, []),
    ),
  );
  return tlv(
    0x30,
    cat(tbs, tlv(0x30, tlv(6, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11])), tlv(3, [0, 1, 2])),
  );
}

test('names: order as in the certificate, short names, multi-valued RDNs, unknown OIDs, NUL kept', () => {
  const n = name(
    rdn(atv('C', 0x13, str('US'))),
    rdn(atv('O', 0x0c, [...str('Micro'), 0, ...str('soft')])),
    rdn(atv('CN', 0x0c, str('a.example')), atv('email', 0x16, str('x@a.example'))),
    rdn(atv('serialNumber', 0x13, str('42'))),
    rdn(atv('unknown', 0x0c, str('v'))),
    rdn(atv('CN', 0x04, [0xde, 0xad])),
  );
  const r = renderName(n, 2, n.length);
  assert.equal(
    Buffer.from(r!).toString('latin1'),
    'C=US, O=Micro\u0000soft, CN=a.example + Email=x@a.example, serialNumber=42, OID(2.5.4.99)=v, CN=DEAD',
  );
});

test('names: BMPString becomes UTF-8; invalid UTF-8 or UTF-16 rejects the name', () => {
  const bmp = name(rdn(atv('CN', 0x1e, [0, 0x68, 0x00, 0xe9, 0xd8, 0x3d, 0xde, 0x00])));
  assert.equal(text(renderName(bmp, 2, bmp.length)), 'CN=hé😀');
  const badUtf8 = name(rdn(atv('CN', 0x0c, [0x61, 0xc3])));
  assert.equal(renderName(badUtf8, 2, badUtf8.length), undefined);
  const overlong = name(rdn(atv('CN', 0x0c, [0xc0, 0xaf])));
  assert.equal(renderName(overlong, 2, overlong.length), undefined);
  const loneSurrogate = name(rdn(atv('CN', 0x1e, [0xdc, 0x00])));
  assert.equal(renderName(loneSurrogate, 2, loneSurrogate.length), undefined);
  const notASet = name(tlv(0x30, []));
  assert.equal(renderName(notASet, 2, notASet.length), undefined);
  assert.equal(text(renderName(name(), 2, 2)), '');
});

test('OIDs in dotted form, first arc split by 40', () => {
  const b = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 1]);
  assert.equal(oidText(b, 0, b.length), '1.2.840.113549.1.9.1');
  assert.equal(oidText(Uint8Array.of(0x88, 0x37, 1), 0, 3), '2.999.1');
});

test('times: UTCTime century rule, GeneralizedTime with fractions, offsets, junk', () => {
  const t = (tag: number, s: string) => parseAsn1Time(Buffer.from(s), tag, 0, s.length);
  assert.equal(t(0x17, '491231235959Z'), Date.UTC(2049, 11, 31, 23, 59, 59) / 1000);
  assert.equal(t(0x17, '500101000000Z'), Date.UTC(1950, 0, 1) / 1000);
  assert.equal(t(0x18, '20240229120000.123Z'), Date.UTC(2024, 1, 29, 12) / 1000);
  assert.equal(t(0x17, '2401011200+0100'), Date.UTC(2024, 0, 1, 11) / 1000);
  assert.equal(t(0x17, '2413011200Z'), undefined);
  assert.equal(t(0x17, '24010112ZZ'), undefined);
  assert.equal(t(0x02, '240101120000Z'), undefined);
});

test('a handmade certificate: serial bytes as sent (leading zero kept), names, validity', () => {
  const der = cert(
    name(rdn(atv('CN', 0x13, str('Test CA')))),
    name(rdn(atv('C', 0x13, str('US'))), rdn(atv('CN', 0x0c, str('leaf.example')))),
    [0x00, 0x8f, 0x01],
    [tlv(0x17, str('240101000000Z')), tlv(0x18, str('20350101000000Z'))],
  );
  const f = parseCertificate(der)!;
  assert.equal(text(f.subject), 'C=US, CN=leaf.example');
  assert.equal(text(f.issuer), 'CN=Test CA');
  assert.equal(f.serial, '00:8F:01');
  assert.equal(f.notBefore, Date.UTC(2024, 0, 1) / 1000);
  assert.equal(f.notAfter, Date.UTC(2035, 0, 1) / 1000);
  assert.equal(parseCertificate(der.subarray(0, der.length - 40)), undefined);
});

test('random and mutated certificates never throw', () => {
  const der = cert(
    name(rdn(atv('CN', 0x13, str('CA')))),
    name(rdn(atv('CN', 0x0c, str('x')))),
    [1],
    [tlv(0x17, str('240101000000Z')), tlv(0x17, str('250101000000Z'))],
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      parseCertificate(b);
      renderName(b, 0, b.length);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 5 }),
      (edits) => {
        const b = der.slice();
        for (const [at, v] of edits) b[at] = v;
        const f = parseCertificate(b);
        if (f) assert.ok(f.subject.length < 4 * b.length && f.issuer.length < 4 * b.length);
      },
    ),
    { numRuns: 3000 },
  );
});

test('an OpenSSL-made certificate: subject, issuer, serial, dates and SHA-1 match openssl x509', {
  skip: needTools('openssl'),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-x509-'));
  try {
    const subj = '/C=US/ST=WA/L=Redmond/O=Picket Test/OU=Detect/CN=picket.test/emailAddress=ops@picket.test';
    const gen = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '30',
      '-subj',
      subj,
      '-keyout',
      join(dir, 'k.pem'),
      '-outform',
      'DER',
      '-out',
      join(dir, 'c.der'),
    ]);
    assert.equal(gen.status, 0, String(gen.stderr));
    const der = new Uint8Array(readFileSync(join(dir, 'c.der')));
    const show = spawnSync(
      'openssl',
      [
        'x509',
        '-inform',
        'DER',
        '-in',
        join(dir, 'c.der'),
        '-noout',
        '-serial',
        '-startdate',
        '-enddate',
        '-fingerprint',
        '-sha1',
      ],
      { encoding: 'utf8' },
    ).stdout;
    const field = (k: string) => new RegExp(`${k}=(.*)`, 'i').exec(show)![1]!.trim();
    const f = parseCertificate(der)!;
    const expected =
      'C=US, ST=WA, L=Redmond, O=Picket Test, OU=Detect, CN=picket.test, Email=ops@picket.test';
    assert.equal(text(f.subject), expected);
    assert.equal(text(f.issuer), expected);
    // openssl prints the serial's value (no leading zero byte); we keep the bytes as sent.
    assert.match(f.serial, /^[0-9A-F]{2}(:[0-9A-F]{2})*$/);
    assert.equal(BigInt(`0x${f.serial.replace(/:/g, '')}`), BigInt(`0x${field('serial')}`));
    assert.equal(f.notBefore, Date.parse(field('notBefore')) / 1000);
    assert.equal(f.notAfter, Date.parse(field('notAfter')) / 1000);
    assert.equal(certFingerprint(der), field('sha1 Fingerprint').toLowerCase());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
