import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { needTools, sharedData } from '../../../test/support/env.js';
import { createDecoder } from '../../decode/index.js';
import { openCapture } from '../../read/index.js';
import type { Frame } from '../../schema/packet.js';
import { createProblemLog } from '../../util/problems.js';
import type { Contact } from './contact.js';
import { createArpContacts } from './from-arp.js';

let index = 0;
/** An Ethernet ARP frame: op 1 request, 2 reply; sender and target IPv4 as dotted text. */
function arpFrame(op: number, sender: string, target: string, ts: number): Frame {
  const ip = (s: string) => s.split('.').map(Number);
  const mac = [0x02, 0, 0, 0, 0, 1];
  const data = Uint8Array.from([
    ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ...mac,
    0x08,
    0x06,
    0,
    1,
    0x08,
    0,
    6,
    4,
    0,
    op,
    ...mac,
    ...ip(sender),
    ...[0, 0, 0, 0, 0, 0],
    ...ip(target),
  ]);
  return {
    index: index++,
    offset: 0,
    tsSec: Math.floor(ts),
    tsNsec: Math.round((ts % 1) * 1e9),
    linkType: 1,
    interfaceId: 0,
    capLen: data.length,
    origLen: data.length,
    data,
  };
}

function arpRun(holdSeconds = 5, maxHeld?: number) {
  const out: Contact[] = [];
  const arp = createArpContacts({
    holdSeconds,
    onContact: (c) => out.push(c),
    file: 'unit.pcap',
    ...(maxHeld !== undefined ? { maxHeld } : {}),
  });
  const dec = createDecoder(createProblemLog());
  const feed = (op: number, s: string, t: string, ts: number) =>
    arp.packet(dec.decode(arpFrame(op, s, t, ts)));
  return { arp, out, feed };
}

test('a who-has answered by the target is an answered arp contact from the asker', () => {
  const { arp, out, feed } = arpRun();
  feed(1, '10.0.0.128', '10.0.0.7', 100);
  feed(2, '10.0.0.7', '10.0.0.128', 100.001);
  assert.equal(out.length, 1);
  const c = out[0]!;
  assert.deepEqual(
    [c.proto, c.src, c.dst, c.outcome, c.srcPort, c.dstPort],
    ['arp', '10.0.0.128', '10.0.0.7', 'answered', -1, -1],
  );
  assert.equal(c.file, 'unit.pcap');
  arp.finish();
  assert.equal(out.length, 1);
});

test('a who-has with no reply is unanswered after holdSeconds; retries are one contact', () => {
  const { arp, out, feed } = arpRun(5);
  feed(1, '10.0.0.128', '10.0.0.9', 100);
  feed(1, '10.0.0.128', '10.0.0.9', 101);
  arp.advance(105.5);
  assert.equal(out.length, 0, 'waits from the latest retry');
  arp.advance(106.5);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.outcome, 'unanswered');
  assert.equal(out[0]!.origPkts, 2);
});

test('gratuitous ARP and RFC 5227 probes are no contact; replies to nothing are ignored', () => {
  const { arp, out, feed } = arpRun();
  feed(1, '10.0.0.5', '10.0.0.5', 1);
  feed(1, '0.0.0.0', '10.0.0.5', 1);
  feed(2, '10.0.0.5', '10.0.0.6', 1);
  arp.finish();
  assert.equal(out.length, 0);
  assert.equal(arp.stats().gratuitous, 2);
  assert.equal(arp.stats().replies, 1);
});

test('waiting requests are bounded: past maxHeld the oldest goes out as unknown, counted', () => {
  const { arp, out, feed } = arpRun(5, 3);
  for (let i = 1; i <= 10; i++) feed(1, '10.0.0.128', `10.0.0.${i}`, 100);
  assert.equal(arp.stats().held, 3);
  assert.equal(arp.stats().overflow, 7);
  assert.ok(out.every((c) => c.outcome === 'unknown'));
  arp.finish();
  assert.equal(out.length, 10);
});

test('random ARP traffic keeps held ≤ maxHeld; every contact is answered, unanswered or overflow, none to itself', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          op: fc.constantFrom(1, 2, 3),
          s: fc.integer({ min: 0, max: 6 }),
          t: fc.integer({ min: 0, max: 6 }),
          dt: fc.integer({ min: 0, max: 4 }),
        }),
        { maxLength: 150 },
      ),
      fc.integer({ min: 1, max: 5 }),
      (pkts, maxHeld) => {
        const { arp, out, feed } = arpRun(3, maxHeld);
        let ts = 1000;
        for (const p of pkts) {
          ts += p.dt;
          feed(p.op, `10.0.0.${p.s}`, `10.0.0.${p.t}`, ts);
          assert.ok(arp.stats().held <= maxHeld);
        }
        arp.finish();
        const s = arp.stats();
        assert.equal(s.contacts, out.length);
        assert.equal(s.contacts, s.answered + s.unanswered + s.overflow);
        for (const c of out) assert.notEqual(c.src, c.dst);
      },
    ),
    { numRuns: 300 },
  );
});

const arpScan = sharedData('pcaps/sweeps/hs-arpScan.pcap');

test('hs-arpScan.pcap: ARP contacts from the scanner to every target it asked for', {
  skip: arpScan.skip,
}, (t) => {
  const problems = createProblemLog();
  const out: Contact[] = [];
  const arp = createArpContacts({ holdSeconds: 5, onContact: (c) => out.push(c), file: arpScan.path });
  const reader = openCapture(arpScan.path, problems)!;
  const dec = createDecoder(problems, { file: arpScan.path });
  for (let fr = reader.next(); fr; fr = reader.next()) arp.packet(dec.decode(fr));
  reader.close();
  arp.finish();
  const senders = new Set(out.map((c) => c.src));
  assert.deepEqual([...senders], ['10.0.0.128']);
  const targets = new Set(out.map((c) => c.dst));
  assert.equal(targets.size, out.length, 'one contact per target (retries folded)');
  assert.ok(targets.size >= 200, `many targets: ${targets.size}`);
  const s = arp.stats();
  t.diagnostic(
    `${targets.size} targets, ${s.answered} answered, ${s.unanswered} unanswered, ${s.gratuitous} gratuitous`,
  );
  assert.equal(s.contacts, s.answered + s.unanswered);
  const tools = needTools('tshark');
  if (tools === false) {
    // Independent count: distinct (sender, target) requests with sender ≠ target, and the replies.
    const r = spawnSync(
      'tshark',
      [
        '-r',
        arpScan.path,
        '-Y',
        'arp',
        '-T',
        'fields',
        '-e',
        'arp.opcode',
        '-e',
        'arp.src.proto_ipv4',
        '-e',
        'arp.dst.proto_ipv4',
      ],
      {
        encoding: 'utf8',
      },
    );
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const asked = new Set(
      rows.filter(([op, s, t]) => op === '1' && s !== t && s !== '0.0.0.0').map(([, s, t]) => `${s}>${t}`),
    );
    assert.equal(out.length, asked.size);
    const replies = rows.filter(([op]) => op === '2').length;
    assert.ok(s.answered <= replies);
  }
});
