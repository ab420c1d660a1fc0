import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProblemLog } from '../../util/problems.js';
import type { NetflowRecord } from './record.js';
import { createNetflowSession, type NetflowSessionOptions } from './session.js';
import { Bytes, concat, ipfix, set, templateRecord, v9 } from './testing/build.js';

function session(extra: Partial<NetflowSessionOptions> = {}) {
  const problems = createProblemLog();
  const records: NetflowRecord[] = [];
  const s = createNetflowSession({ problems, onRecord: (r) => records.push(r), ...extra });
  return { s, problems, records };
}

// Template 256: src v4, dst v4, src port, dst port, proto, packets(4), bytes(8).
const tpl256 = templateRecord(256, [
  [8, 4],
  [12, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [2, 4],
  [1, 8],
]);
function flow256(a: number, port: number): Uint8Array {
  return new Bytes()
    .u32(0x0a000000 + a)
    .u32(0x0a000001)
    .u16(port)
    .u16(22)
    .u8(6)
    .u32(3)
    .u32(0)
    .u32(180)
    .bytes();
}

test('IPFIX data decoded with its template; padding after records is ignored', () => {
  const { s, problems, records } = session();
  s.datagram(
    ipfix([set(2, tpl256), set(256, concat(flow256(5, 40000), flow256(6, 40001)))]),
    '192.0.2.9:4739',
    10,
  );
  assert.equal(problems.total(), 0, JSON.stringify(problems.samples));
  assert.equal(records.length, 2);
  assert.deepEqual(
    [records[0]!.srcAddr, records[0]!.dstAddr, records[0]!.srcPort, records[0]!.dstPort, records[0]!.proto],
    ['10.0.0.5', '10.0.0.1', 40000, 22, 6],
  );
  assert.equal(records[1]!.bytes, 180);
  assert.equal(records[1]!.packets, 3);
  assert.equal(records[0]!.exporter, '192.0.2.9:4739');
});

test('data before its template is held, then decoded when the template arrives', () => {
  const { s, problems, records } = session();
  s.datagram(ipfix([set(256, flow256(7, 1))]), 'e:1', 10);
  assert.equal(records.length, 0);
  assert.equal(s.stats.pendingHeld, 1);
  s.datagram(ipfix([set(2, tpl256)]), 'e:1', 20);
  assert.equal(records.length, 1);
  assert.equal(records[0]!.srcAddr, '10.0.0.7');
  assert.equal(s.stats.pendingDecoded, 1);
  assert.equal(problems.total(), 0);
});

test('held data expires after pendingMaxAgeSec and overflows past pendingMaxSets, counted with offsets', () => {
  const { s, problems, records } = session({ pendingMaxAgeSec: 60, pendingMaxSets: 2 });
  s.datagram(ipfix([set(256, flow256(1, 1))]), 'e:1', 0);
  s.datagram(ipfix([set(257, flow256(2, 1))]), 'e:1', 100); // first one is now 100 s old
  assert.equal(problems.counts.get('netflow.pending-expired'), 1);
  s.datagram(ipfix([set(258, flow256(3, 1))]), 'e:1', 101);
  s.datagram(ipfix([set(259, flow256(4, 1))]), 'e:1', 102);
  assert.equal(problems.counts.get('netflow.pending-overflow'), 1);
  s.flush();
  assert.equal(problems.counts.get('netflow.pending-unmatched'), 2);
  assert.equal(records.length, 0);
  for (const p of problems.samples) {
    assert.equal(p.offset, 20, 'offset of the data set body in its datagram');
    assert.match(p.message, /exporter e:1/);
  }
});

test('templates are per exporter and per observation domain', () => {
  const { s, records } = session();
  s.datagram(ipfix([set(2, tpl256)], { domain: 1 }), 'a:1', 0);
  s.datagram(ipfix([set(256, flow256(1, 1))], { domain: 2 }), 'a:1', 0);
  s.datagram(ipfix([set(256, flow256(1, 1))], { domain: 1 }), 'b:1', 0);
  assert.equal(records.length, 0);
  s.datagram(ipfix([set(256, flow256(1, 1))], { domain: 1 }), 'a:1', 0);
  assert.equal(records.length, 1);
});

test('template id reused with another layout: the newer wins, counted', () => {
  const { s, records, problems } = session();
  s.datagram(ipfix([set(2, tpl256)]), 'e:1', 0);
  s.datagram(
    ipfix([
      set(
        2,
        templateRecord(256, [
          [27, 16],
          [28, 16],
        ]),
      ),
    ]),
    'e:1',
    1,
  );
  const v6 = new Uint8Array(32);
  v6[0] = 0x20;
  v6[1] = 0x01;
  v6[15] = 1;
  v6[16] = 0xfe;
  v6[17] = 0x80;
  v6[31] = 2;
  s.datagram(ipfix([set(256, v6)]), 'e:1', 2);
  assert.equal(s.stats.templatesRedefined, 1);
  assert.equal(problems.counts.get('netflow.template-redefined'), 1);
  assert.equal(records[0]!.srcAddr, '2001::1');
  assert.equal(records[0]!.dstAddr, 'fe80::2');
});

test('IPFIX template withdrawal (one id, and all with id 2)', () => {
  const { s, records } = session();
  s.datagram(ipfix([set(2, concat(tpl256, templateRecord(300, [[8, 4]])))]), 'e:1', 0);
  assert.equal(s.templateCount('e:1'), 2);
  s.datagram(ipfix([set(2, new Bytes().u16(256).u16(0).bytes())]), 'e:1', 1);
  assert.equal(s.templateCount('e:1'), 1);
  s.datagram(ipfix([set(256, flow256(1, 1))]), 'e:1', 2);
  assert.equal(records.length, 0, 'withdrawn template no longer decodes');
  s.datagram(ipfix([set(2, new Bytes().u16(2).u16(0).bytes())]), 'e:1', 3);
  assert.equal(s.templateCount('e:1'), 0);
  assert.equal(s.stats.templatesWithdrawn, 2);
});

test('templates expire after templateTimeoutSec without refresh', () => {
  const { s, records, problems } = session({ templateTimeoutSec: 1800 });
  s.datagram(ipfix([set(2, tpl256)]), 'e:1', 0);
  s.datagram(ipfix([set(256, flow256(1, 1))]), 'e:1', 1000);
  s.datagram(ipfix([set(2, tpl256)]), 'e:1', 1500); // refresh
  s.datagram(ipfix([set(256, flow256(1, 1))]), 'e:1', 3000);
  assert.equal(records.length, 2);
  s.datagram(ipfix([set(256, flow256(1, 1))]), 'e:1', 3400);
  assert.equal(problems.counts.get('netflow.template-expired'), 1);
  assert.equal(records.length, 2);
});

test('variable-length fields (1-byte and 255 + 2-byte lengths) and enterprise elements are kept', () => {
  const { s, records } = session();
  const tpl = templateRecord(256, [
    [8, 4],
    [82, 0xffff],
    [12, 0xffff, 29305],
    [1, 0xffff, 29305],
  ]);
  const long = 'x'.repeat(300);
  const data = new Bytes()
    .u32(0x01020304)
    .u8(4)
    .raw(Buffer.from('eth0'))
    .u8(255)
    .u16(300)
    .raw(Buffer.from(long))
    .u8(2)
    .u16(0x1234)
    .bytes();
  s.datagram(ipfix([set(2, tpl), set(256, data)]), 'e:1', 0);
  assert.equal(records.length, 1);
  const f = records[0]!.fields;
  assert.equal(f.interfaceName, 'eth0');
  assert.equal(f['29305:12'], long);
  assert.equal(f['29305:1'], '1234', 'an untyped variable-length element that is not text reads as hex');
});

test('IPFIX times: milliseconds, NTP microseconds, and delta microseconds from export time', () => {
  const { s, records } = session();
  const tpl = templateRecord(256, [
    [152, 8],
    [155, 8],
  ]);
  const ntp = 1_700_000_010 + 2208988800;
  const ms = 1_700_000_000_123;
  const d = new Bytes()
    .u32(Math.floor(ms / 2 ** 32))
    .u32(ms % 2 ** 32)
    .u32(ntp)
    .u32(0x80000000)
    .bytes();
  s.datagram(ipfix([set(2, tpl), set(256, d)]), 'e:1', 0);
  assert.equal(records[0]!.start, 1_700_000_000.123);
  assert.ok(Math.abs(records[0]!.end! - 1_700_000_010.5) < 1e-6);
  const { s: s2, records: r2 } = session();
  s2.datagram(
    ipfix(
      [
        set(
          2,
          templateRecord(256, [
            [158, 4],
            [159, 4],
          ]),
        ),
        set(256, new Bytes().u32(2_500_000).u32(500_000).bytes()),
      ],
      {
        exportTime: 1000,
      },
    ),
    'e:1',
    0,
  );
  assert.equal(r2[0]!.start, 997.5);
  assert.equal(r2[0]!.end, 999.5);
});

test('v9: times from sysUptime, options data sets the sampling interval (noted, not applied)', () => {
  const { s, records } = session();
  // options template 300: scope system (4 bytes); fields samplingInterval(4), samplingAlgorithm(1)
  const opt = new Bytes().u16(300).u16(4).u16(8).u16(1).u16(4).u16(34).u16(4).u16(35).u16(1).bytes();
  const optData = new Bytes().u32(0).u32(100).u8(2).bytes();
  const tpl = templateRecord(256, [
    [8, 4],
    [22, 4],
    [21, 4],
    [2, 4],
  ]);
  const data = new Bytes().u32(0x0a000001).u32(90_000).u32(99_500).u32(7).bytes();
  s.datagram(
    v9([set(1, opt), set(300, optData), set(0, tpl), set(256, data)], { uptime: 100_000, unix: 5000 }),
    'r:2055',
    0,
  );
  const flow = records.find((r) => r.kind === 'flow')!;
  assert.equal(flow.start, 4990);
  assert.equal(flow.end, 4999.5);
  assert.equal(flow.samplingInterval, 100);
  assert.equal(flow.packets, 7);
  const opts = records.find((r) => r.kind === 'options')!;
  assert.equal(opts.fields.samplingAlgorithm, 2);
});

test('v5: count checked against length; times from uptime with the header nanoseconds', () => {
  const { s, records, problems } = session();
  const rec = new Bytes()
    .u32(0x0a000001)
    .u32(0x0a000002)
    .u32(0)
    .u16(1)
    .u16(2)
    .u32(10)
    .u32(1000)
    .u32(9_000)
    .u32(9_500)
    .u16(1234)
    .u16(22)
    .u8(0)
    .u8(0x12)
    .u8(6)
    .u8(0)
    .u16(0)
    .u16(0)
    .u8(24)
    .u8(24)
    .u16(0)
    .bytes();
  const hdr = (count: number) =>
    new Bytes().u16(5).u16(count).u32(10_000).u32(2000).u32(500_000_000).u32(1).u8(0).u8(0).u16(0).bytes();
  s.datagram(concat(hdr(1), rec), 'r:1', 0);
  assert.equal(records[0]!.start, 1999.5);
  assert.equal(records[0]!.end, 2000);
  assert.equal(records[0]!.tcpFlags, 0x12);
  s.datagram(concat(hdr(3), rec), 'r:1', 0);
  assert.equal(problems.counts.get('netflow.v5-count'), 1);
  assert.equal(records.length, 2, 'the whole record present is still decoded');
});
