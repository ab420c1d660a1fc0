import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { needTools, sharedData } from '../../../test/support/env.js';
import { createPcapWriter } from './pcap-writer.js';
import { exportSession } from './session.js';

const tmp = mkdtempSync(join(tmpdir(), 'picket-export-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tshark(...args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const err = r.stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('Running as user'))
    .join('\n');
  return { out: r.stdout, err, status: r.status };
}

/** The conversation lines of `-z conv,tcp`, with the file-relative start column dropped. */
function convLines(file: string): string[] {
  const { out, err, status } = tshark('-r', file, '-q', '-z', 'conv,tcp');
  assert.equal(status, 0, err);
  assert.equal(err, '', `tshark complained about ${file}`);
  return out
    .split('\n')
    .filter((l) => l.includes('<->'))
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      cols.splice(cols.length - 2, 1); // relative start
      return cols.join(' ');
    });
}

/** Time and length of each frame matching a display filter. */
function frames(file: string, filter?: string): string[] {
  const args = [
    '-r',
    file,
    '-T',
    'fields',
    '-e',
    'frame.time_epoch',
    '-e',
    'frame.len',
    '-e',
    'frame.cap_len',
  ];
  if (filter) args.push('-Y', filter);
  const { out, status, err } = tshark(...args);
  assert.equal(status, 0, err);
  return out.trim().split('\n').filter(Boolean);
}

function flowFromSource(file: string, a: string, ap: number, b: string, bp: number) {
  const filter = `ip.addr==${a} && ip.addr==${b} && tcp.port==${ap} && tcp.port==${bp}`;
  const rows = frames(file, filter);
  const first = Number(rows[0]!.split('\t')[0]);
  const last = Number(rows.at(-1)!.split('\t')[0]);
  const flow = {
    uid: 'Ctest',
    ts: first,
    duration: last - first,
    origH: a,
    origP: ap,
    respH: b,
    respP: bp,
    ipProto: 6,
  };
  return { flow, rows, filter };
}

for (const [rel, a, ap, b, bp] of [
  ['pcaps/zeek/http/get.pcap', '141.142.228.5', 59856, '192.150.187.43', 80],
  // Overlaps other connections between the same hosts in time: only the ports tell them apart.
  ['pcaps/zeek/http/methods.pcap', '128.2.6.136', 46562, '173.194.75.103', 80],
] as const) {
  const d = sharedData(rel);
  test(`export of one session from ${rel} holds exactly that conversation`, {
    skip: d.skip || needTools('tshark'),
  }, () => {
    const { flow, rows } = flowFromSource(d.path, a, ap, b, bp);
    const out = join(tmp, `${ap}.pcap`);
    const n = exportSession({ source: d.path, flow }, out);
    assert.equal(n, rows.length);
    const srcConv = convLines(d.path).filter(
      (l) => l.startsWith(`${a}:${ap} `) || l.startsWith(`${b}:${bp} `),
    );
    assert.equal(srcConv.length, 1);
    assert.deepEqual(convLines(out), srcConv);
    // Same frames, same timestamps and lengths, same link type.
    assert.deepEqual(frames(out), rows);
    const srcLink = tshark('-r', d.path, '-c', '1', '-T', 'fields', '-e', 'frame.encap_type').out.trim();
    assert.equal(tshark('-r', out, '-c', '1', '-T', 'fields', '-e', 'frame.encap_type').out.trim(), srcLink);
  });
}

const getPcap = sharedData('pcaps/zeek/http/get.pcap');
test('a nanosecond source gives a nanosecond pcap with the same timestamps', {
  skip: getPcap.skip || needTools('tshark', 'editcap'),
}, () => {
  const ns = join(tmp, 'ns.pcap');
  const r = spawnSync('editcap', ['-F', 'nsecpcap', getPcap.path, ns]);
  assert.equal(r.status, 0);
  const { flow, rows } = flowFromSource(ns, '141.142.228.5', 59856, '192.150.187.43', 80);
  const out = join(tmp, 'ns-out.pcap');
  assert.equal(exportSession({ source: ns, flow }, out), rows.length);
  assert.equal(readFileSync(out).readUInt32LE(0), 0xa1b23c4d);
  assert.deepEqual(frames(out), rows);
});

test('a flow outside the capture writes a valid empty pcap; an unreadable source throws', {
  skip: getPcap.skip,
}, () => {
  const out = join(tmp, 'none.pcap');
  const flow = {
    uid: 'C0',
    ts: 1,
    duration: 1,
    origH: '10.9.9.9',
    origP: 1,
    respH: '10.9.9.8',
    respP: 2,
    ipProto: 6,
  };
  assert.equal(exportSession({ source: getPcap.path, flow }, out), 0);
  assert.equal(readFileSync(out).length, 24);
  assert.throws(() => exportSession({ source: join(tmp, 'missing.pcap'), flow }, out), /cannot read/);
  assert.throws(
    () => exportSession({ source: getPcap.path, flow: { ...flow, origH: 'nope' } }, out),
    /unusable addresses/,
  );
});

test('pcap writer: header, record layout and microsecond rounding', () => {
  const out = join(tmp, 'w.pcap');
  const w = createPcapWriter(out, { linkType: 101 });
  w.write(1_700_000_000, 123_456_789, 60, new Uint8Array([0x45, 0, 0, 20]));
  w.write(1_700_000_001, 999, 4, new Uint8Array(300_000).fill(1)); // bigger than the write buffer
  w.close();
  assert.equal(w.count, 2);
  const b = readFileSync(out);
  assert.equal(b.readUInt32LE(0), 0xa1b2c3d4);
  assert.equal(b.readUInt16LE(4), 2);
  assert.equal(b.readUInt32LE(20), 101);
  assert.equal(b.readUInt32LE(24), 1_700_000_000);
  assert.equal(b.readUInt32LE(28), 123_456);
  assert.equal(b.readUInt32LE(32), 4);
  assert.equal(b.readUInt32LE(36), 60);
  assert.equal(b.readUInt32LE(24 + 16 + 4 + 8), 300_000);
  assert.equal(b.readUInt32LE(24 + 16 + 4 + 12), 300_000, 'origLen is never below capLen');
  assert.equal(b.length, 24 + 16 + 4 + 16 + 300_000);
});
