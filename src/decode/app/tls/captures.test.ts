/**
 * TLS handshakes from captures, compared with tshark: the suricata-verify
 * capture tls-subject-zero (whose rule must be satisfiable from our
 * tls.cert_subject), and real handshakes made here between node:tls peers on
 * loopback (TLS 1.2 and 1.3, OpenSSL's ClientHello) recorded through a relay
 * and written as a pcap, since the shared data holds no other TLS capture.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import tls from 'node:tls';
import { needTools, sharedData } from '../../../../test/support/env.js';
import type { TlsTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { concat, eth, ipv4, tcp } from '../../testing/packet-builders.js';
import { visitCapture } from './capture-streams.js';
import { createTlsParser } from './index.js';

function tlsOf(path: string): { txs: TlsTx[]; problems: number } {
  const txs: TlsTx[] = [];
  const problems = createProblemLog();
  visitCapture(path, {
    tcp() {
      const p = createTlsParser({ problems, file: path, onUpdate: () => {} });
      return {
        data: (toServer, b) => (toServer ? p.toServer(b) : p.toClient(b)),
        end: () => {
          p.end();
          if (p.tx.clientHelloDone || p.tx.serverHelloDone) txs.push(p.tx);
        },
      };
    },
  });
  return { txs, problems: problems.total() };
}

function tshark(path: string, filter: string, ...fields: string[]): string[] {
  const args = ['-r', path, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=|'];
  const r = spawnSync('tshark', [...args, ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const latin1 = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : Buffer.from(b).toString('latin1');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Our facts next to tshark's for every connection of a capture. */
function compareWithTshark(path: string, txs: TlsTx[]): void {
  const ch = tshark(
    path,
    'tls.handshake.type == 1',
    'tls.handshake.extensions_server_name',
    'tls.handshake.ja3_full',
    'tls.handshake.ja3',
  );
  assert.deepEqual(
    txs.filter((t) => t.ja3).map((t) => [latin1(t.sni) ?? '', t.ja3!.string, t.ja3!.hash].join('|')),
    ch,
  );
  const sh = tshark(path, 'tls.handshake.type == 2', 'tls.handshake.ja3s_full', 'tls.handshake.ja3s');
  assert.deepEqual(
    txs.filter((t) => t.ja3s).map((t) => `${t.ja3s!.string}|${t.ja3s!.hash}`),
    sh,
  );
  const certs = tshark(path, 'tls.handshake.type == 11', 'tls.handshake.certificate', 'x509af.serialNumber');
  assert.deepEqual(
    txs
      .filter((t) => t.certificateDone)
      .map(
        (t) =>
          `${t.certs.map(hex).join(',')}|${t.certSerial === undefined ? '' : latin1(t.certSerial)!.replace(/:/g, '').toLowerCase()}`,
      ),
    certs.map((l) => {
      // tshark lists the serial of every certificate; the buffer holds the leaf's.
      const [ders, serials] = l.split('|');
      return `${ders}|${serials!.split(',')[0]}`;
    }),
  );
}

const zero = sharedData('verify/tests/tls/tls-subject-zero/input.pcap');
test('tls-subject-zero: SNI, JA3, JA3S and certificates match tshark; the NUL rule is satisfiable', {
  skip: zero.skip || needTools('tshark'),
}, () => {
  const { txs, problems } = tlsOf(zero.path);
  assert.equal(problems, 0);
  assert.equal(txs.length, 1);
  compareWithTshark(zero.path, txs);
  const tx = txs[0]!;
  // The rule: tls.cert_subject; content:"C=US, ST=WA, L=Redmond, O=Microsoft Corporat|00|on, OU=...".
  const content = Buffer.concat([
    Buffer.from('C=US, ST=WA, L=Redmond, O=Microsoft Corporat'),
    Buffer.of(0),
    Buffer.from('on, OU=Microsoft Corporation, CN=go.microsoft.com'),
  ]);
  assert.ok(Buffer.from(tx.certSubject!).includes(content));
  assert.equal(latin1(tx.certIssuer), 'C=US, O=Microsoft Corporation, CN=Microsoft RSA TLS CA 01');
  assert.equal(latin1(tx.certSerial), '12:00:1F:1F:B8:02:9F:C1:BD:63:55:EC:B2:00:00:00:1F:1F:B8');
  assert.equal(tx.certs.length, 2);
  assert.ok(tx.certNotBefore! < tx.certNotAfter!);
});

// ---- handshakes made on loopback ----

interface Chunk {
  toServer: boolean;
  bytes: Buffer;
}

/** Runs one TLS session through a recording relay; resolves with the bytes each way, in order. */
async function recordSession(key: Buffer, cert: Buffer, version: 'TLSv1.2' | 'TLSv1.3'): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  const server = tls.createServer({ key, cert, minVersion: version, maxVersion: version }, (s) => {
    s.on('data', () => s.end('pong'));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const serverPort = (server.address() as net.AddressInfo).port;
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(serverPort, '127.0.0.1');
    inbound.on('data', (b) => {
      chunks.push({ toServer: true, bytes: Buffer.from(b) });
      outbound.write(b);
    });
    outbound.on('data', (b) => {
      chunks.push({ toServer: false, bytes: Buffer.from(b) });
      inbound.write(b);
    });
    inbound.on('end', () => outbound.end());
    outbound.on('end', () => inbound.end());
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const relayPort = (relay.address() as net.AddressInfo).port;
  try {
    await new Promise<void>((resolve, reject) => {
      const c = tls.connect({
        port: relayPort,
        host: '127.0.0.1',
        servername: 'picket.test',
        rejectUnauthorized: false,
      });
      c.on('secureConnect', () => c.write('ping'));
      c.on('data', () => c.end());
      c.on('close', () => resolve());
      c.on('error', reject);
    });
  } finally {
    relay.close();
    server.close();
  }
  return chunks;
}

/** Writes the recorded bytes as one TCP connection in a pcap (segments of at most 1400 bytes). */
function writePcap(path: string, chunks: Chunk[]): void {
  const frames: Uint8Array[] = [];
  const seq = { c: 1000, s: 5000 };
  const pkt = (toServer: boolean, flags: number, payload = new Uint8Array(0)) => {
    const t = tcp(
      {
        sport: toServer ? 50000 : 443,
        dport: toServer ? 443 : 50000,
        seq: toServer ? seq.c : seq.s,
        ack: toServer ? seq.s : seq.c,
        flags,
      },
      payload,
    );
    frames.push(
      eth(
        0x0800,
        ipv4({ src: toServer ? '10.0.0.1' : '10.0.0.2', dst: toServer ? '10.0.0.2' : '10.0.0.1' }, t),
      ),
    );
    const adv = payload.length + (flags & 0x03 ? 1 : 0);
    if (toServer) seq.c += adv;
    else seq.s += adv;
  };
  pkt(true, 0x02);
  pkt(false, 0x12);
  pkt(true, 0x10);
  for (const c of chunks) {
    for (let i = 0; i < c.bytes.length; i += 1400)
      pkt(c.toServer, 0x18, new Uint8Array(c.bytes.subarray(i, i + 1400)));
  }
  pkt(true, 0x11);
  pkt(false, 0x11);
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const records = frames.map((f, i) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(1_700_000_000 + i, 0);
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    return concat(h, f);
  });
  writeFileSync(path, concat(head, ...records));
}

const tools = needTools('tshark', 'openssl');
for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
  test(`a ${version} handshake between node:tls peers on loopback matches tshark`, {
    skip: tools,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'picket-tls-'));
    try {
      const subj = '/C=US/ST=WA/O=Picket Test/CN=picket.test';
      const gen = spawnSync('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        subj,
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
      ]);
      assert.equal(gen.status, 0, String(gen.stderr));
      const chunks = await recordSession(
        readFileSync(join(dir, 'k.pem')),
        readFileSync(join(dir, 'c.pem')),
        version,
      );
      const pcap = join(dir, 'session.pcap');
      writePcap(pcap, chunks);
      const { txs, problems } = tlsOf(pcap);
      assert.equal(problems, 0);
      assert.equal(txs.length, 1);
      const tx = txs[0]!;
      assert.equal(latin1(tx.sni), 'picket.test');
      assert.ok(tx.ja3 && tx.ja3s);
      compareWithTshark(pcap, txs);
      if (version === 'TLSv1.2') {
        assert.equal(tx.serverVersion, 0x0303);
        assert.equal(latin1(tx.certSubject), 'C=US, ST=WA, O=Picket Test, CN=picket.test');
        assert.equal(latin1(tx.certIssuer), latin1(tx.certSubject));
        assert.ok(tx.certNotAfter! - tx.certNotBefore! === 2 * 86400);
      } else {
        // The certificate travels encrypted in TLS 1.3: nothing to see, and nothing claimed.
        assert.equal(tx.serverVersion, 0x0304);
        assert.equal(tx.certificateDone, false);
        assert.equal(tx.certSubject, undefined);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
