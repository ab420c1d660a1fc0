import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TlsTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createTlsParser, isGrease, looksLikeTls, type TlsUpdate } from './index.js';

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be24 = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const ext = (type: number, data: number[]) => [...be16(type), ...be16(data.length), ...data];
const handshake = (type: number, body: number[]) => [type, ...be24(body.length), ...body];
const record = (type: number, body: number[], minor = 3) => [type, 3, minor, ...be16(body.length), ...body];

function clientHelloBody(): number[] {
  const sni = Buffer.from('www.example.com');
  const exts = [
    ...ext(0x1a1a, []),
    ...ext(0, [...be16(sni.length + 3), 0, ...be16(sni.length), ...sni]),
    ...ext(10, [...be16(6), ...be16(0x2a2a), ...be16(29), ...be16(23)]),
    ...ext(11, [1, 0]),
    ...ext(43, [4, 0x03, 0x04, 0x03, 0x03]),
  ];
  return [
    ...be16(0x0303),
    ...new Array(32).fill(7),
    0,
    ...be16(6),
    ...be16(0x0a0a),
    ...be16(0x1301),
    ...be16(0xc02f),
    1,
    0,
    ...be16(exts.length),
    ...exts,
  ];
}
const JA3 = '771,4865-49199,0-10-11-43,29-23,0';

function serverHelloBody(tls13 = false): number[] {
  const exts = [...ext(0xff01, [0]), ...(tls13 ? ext(43, [0x03, 0x04]) : ext(11, [1, 0]))];
  return [...be16(0x0303), ...new Array(32).fill(9), 0, ...be16(0xc02f), 0, ...be16(exts.length), ...exts];
}

function run(client: number[][], server: number[][]) {
  const updates: TlsUpdate[] = [];
  const problems = createProblemLog();
  let seen: TlsTx | undefined;
  const p = createTlsParser({
    problems,
    onUpdate: (tx, what) => {
      updates.push(what);
      seen = tx;
    },
  });
  for (const c of client) p.toServer(Uint8Array.from(c));
  for (const s of server) p.toClient(Uint8Array.from(s));
  p.end();
  return { tx: p.tx, updates, problems, seen };
}

test('GREASE values are 0x?a?a with equal bytes', () => {
  assert.ok(isGrease(0x0a0a) && isGrease(0xfafa) && isGrease(0x3a3a));
  assert.ok(!isGrease(0x0a1a) && !isGrease(0x1301) && !isGrease(0x000a));
});

test('ClientHello: version, SNI and JA3 with GREASE left out; ServerHello: JA3S', () => {
  const ch = record(22, handshake(1, clientHelloBody()), 1);
  const sh = record(22, handshake(2, serverHelloBody()));
  const { tx, updates, problems, seen } = run([ch], [sh]);
  assert.deepEqual(updates, ['client_hello', 'server_hello']);
  assert.equal(seen, tx);
  assert.equal(tx.clientVersion, 0x0303);
  assert.equal(Buffer.from(tx.sni!).toString(), 'www.example.com');
  assert.equal(tx.ja3!.string, JA3);
  assert.equal(tx.ja3!.hash, createHash('md5').update(JA3).digest('hex'));
  assert.equal(tx.ja3s!.string, '771,49199,65281-11');
  assert.equal(tx.serverVersion, 0x0303);
  assert.equal(problems.total(), 0);
});

test('handshake messages split across records and records split across chunks give the same facts', () => {
  const msg = handshake(1, clientHelloBody());
  const twoRecords = [...record(22, msg.slice(0, 50)), ...record(22, msg.slice(50))];
  for (let cut = 0; cut <= twoRecords.length; cut += 7) {
    const { tx } = run([twoRecords.slice(0, cut), twoRecords.slice(cut)], []);
    assert.equal(tx.ja3?.string, JA3, `cut at ${cut}`);
  }
  const { tx } = run(
    twoRecords.map((b) => [b]),
    [],
  );
  assert.equal(Buffer.from(tx.sni!).toString(), 'www.example.com');
});

test('a TLS 1.3 ServerHello sets the negotiated version and ends the server side', () => {
  const sh = record(22, handshake(2, serverHelloBody(true)));
  const cert = record(22, handshake(11, [...be24(3), ...be24(0)]));
  const { tx, updates } = run([], [sh, cert]);
  assert.equal(tx.serverVersion, 0x0304);
  assert.deepEqual(updates, ['server_hello']);
  assert.equal(tx.certificateDone, false);
});

test('after ChangeCipherSpec nothing more is parsed', () => {
  const ccs = record(20, [1]);
  const sh = record(22, handshake(2, serverHelloBody()));
  const { tx, problems } = run([], [ccs, sh]);
  assert.equal(tx.serverHelloDone, false);
  assert.equal(problems.total(), 0);
});

test('Certificate: every DER kept, a bad leaf is a problem, not an exception', () => {
  const certs = [
    [0x30, 0x03, 2, 1, 1],
    [0x30, 0x00],
  ];
  const list = certs.flatMap((c) => [...be24(c.length), ...c]);
  const sh = record(22, [
    ...handshake(2, serverHelloBody()),
    ...handshake(11, [...be24(list.length), ...list]),
  ]);
  const { tx, updates, problems } = run([], [sh]);
  assert.deepEqual(updates, ['server_hello', 'certificate']);
  assert.deepEqual(
    tx.certs.map((c) => [...c]),
    certs,
  );
  assert.equal(tx.certSubject, undefined);
  assert.equal(
    Buffer.from(tx.certFingerprint!).toString(),
    createHash('sha1')
      .update(Uint8Array.from(certs[0]!))
      .digest('hex')
      .replace(/(..)(?!$)/g, '$1:'),
  );
  assert.equal(problems.counts.get('tls.bad-certificate'), 1);
});

test('an SSLv2-compatible ClientHello gives its version', () => {
  const v2 = [0x80, 0x2e, 1, 0x03, 0x01, ...be16(21), ...be16(0), ...be16(16), ...new Array(21 + 16).fill(0)];
  const { tx, updates } = run([v2], []);
  assert.deepEqual(updates, ['client_hello']);
  assert.equal(tx.clientVersion, 0x0301);
  assert.equal(tx.ja3, undefined);
});

test('non-TLS bytes, oversized records and messages, and cut handshakes are problems', () => {
  assert.equal(run([[0x47, 0x45, 0x54, 0x20, 0x2f]], []).problems.counts.get('tls.bad-record'), 1);
  assert.equal(run([[22, 3, 3, 0x50, 0x00]], []).problems.counts.get('tls.record-too-long'), 1);
  const huge = run([record(22, [1, 0x10, 0, 0])], []).problems;
  assert.equal(huge.counts.get('tls.handshake-too-long'), 1);
  const cut = run([record(22, handshake(1, clientHelloBody())).slice(0, 40)], []).problems;
  assert.equal(cut.counts.get('tls.truncated-handshake'), 1);
  const bad = run([record(22, handshake(1, [3, 3, 1]))], []).problems;
  assert.equal(bad.counts.get('tls.bad-client-hello'), 1);
});

test('looksLikeTls: handshake records with hellos and SSLv2 hellos, not HTTP or SSH', () => {
  assert.ok(looksLikeTls(Uint8Array.from(record(22, handshake(1, clientHelloBody()), 1))));
  assert.ok(looksLikeTls(Uint8Array.of(0x16)));
  assert.ok(looksLikeTls(Uint8Array.of(0x80, 0x2e, 1, 3, 1)));
  assert.ok(!looksLikeTls(Buffer.from('GET / HTTP/1.1\r\n')));
  assert.ok(!looksLikeTls(Buffer.from('SSH-2.0-x\r\n')));
  assert.ok(!looksLikeTls(Uint8Array.of(0x16, 3, 1, 0, 10, 11)));
  assert.ok(!looksLikeTls(new Uint8Array(0)));
});

const sample = [
  ...record(22, handshake(1, clientHelloBody())),
  ...record(22, [
    ...handshake(2, serverHelloBody()),
    ...handshake(11, [...be24(8), ...be24(5), 0x30, 3, 2, 1, 1]),
  ]),
];

test('random and mutated streams in random chunks never throw, and state stays bounded', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.array(fc.nat(400), { maxLength: 6 }),
      (garbage, edits, cuts) => {
        const mutated = Uint8Array.from(sample);
        for (const [at, v] of edits) mutated[at] = v;
        for (const input of [garbage, mutated]) {
          const p = createTlsParser({
            onUpdate: () => {},
            problems: createProblemLog(),
            maxHandshakeBytes: 4096,
          });
          let at = 0;
          for (const c of [...cuts].sort((a, b) => a - b)) {
            const piece = input.subarray(at, Math.max(at, c));
            p.toServer(piece);
            p.toClient(piece);
            at = Math.max(at, c);
          }
          p.toServer(input.subarray(at));
          p.toClient(input.subarray(at));
          p.end();
          assert.ok(p.tx.certs.length <= 16);
          assert.ok(p.tx.certs.every((c) => c.length <= 4096));
        }
      },
    ),
    { numRuns: 1500 },
  );
});
