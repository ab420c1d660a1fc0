import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../../test/support/env.js';
import { createDecoder } from '../../decode/index.js';
import { createFlowTable } from '../../flow/index.js';
import { netflowToEvent } from '../../normalize/netflow.js';
import { openCapture } from '../../read/index.js';
import { parseNfdumpCsv } from '../../read/netflow/nfdump-csv.js';
import type { Event } from '../../schema/event.js';
import { createProblemLog } from '../../util/problems.js';
import type { Contact } from './contact.js';
import { contactFromFlow } from './from-flow.js';
import { createNetflowPairer } from './netflow-pair.js';

interface Rec {
  src: string;
  sp?: number;
  dst: string;
  dp?: number;
  proto?: string;
  flags?: number;
  pkts?: number;
  bytes?: number;
  ts: number;
  end?: number;
  icmpType?: number;
  sampling?: number;
}

let seq = 0;
/** A NetFlow `connection` event as normalize/netflow.ts makes them. */
function nf(r: Rec): Event {
  const attrs: Record<string, string | number> = { exporter: '127.0.0.1:0', domain: 0 };
  if (r.end !== undefined) attrs.end = r.end;
  if (r.flags !== undefined) attrs.tcpFlags = r.flags;
  if (r.icmpType !== undefined) {
    attrs.icmpType = r.icmpType;
    attrs.icmpCode = 0;
  }
  if (r.sampling !== undefined) attrs.samplingInterval = r.sampling;
  const e: Event = {
    ts: r.ts,
    uid: `N${++seq}`,
    type: 'connection',
    classUid: 4001,
    activityId: 6,
    src: r.src,
    dst: r.dst,
    proto: r.proto ?? 'tcp',
    message: 'flow',
    source: { kind: 'netflow', format: 'netflow-v9', file: 'unit.nf' },
    attrs,
  };
  if (r.sp !== undefined) e.srcPort = r.sp;
  if (r.dp !== undefined) e.dstPort = r.dp;
  e.packets = r.pkts ?? 1;
  e.bytes = r.bytes ?? 40 * (r.pkts ?? 1);
  return e;
}

function pairer(holdSeconds = 30, maxHeld = 1000) {
  const out: Contact[] = [];
  const p = createNetflowPairer({ holdSeconds, maxHeld, onContact: (c) => out.push(c) });
  return { p, out };
}

const A = '10.99.1.66';
const B = '10.99.0.11';

test('a SYN record and its SYN-ACK reverse make one answered contact from the initiator, in either order', () => {
  for (const order of [0, 1]) {
    const { p, out } = pairer();
    const fwd = nf({ src: A, sp: 52331, dst: B, dp: 22, flags: 0x06, pkts: 2, ts: 100 });
    const rev = nf({ src: B, sp: 22, dst: A, dp: 52331, flags: 0x12, pkts: 1, bytes: 44, ts: 100 });
    for (const e of order ? [rev, fwd] : [fwd, rev]) assert.equal(p.add(e), true);
    assert.equal(out.length, 0, 'held until quiet');
    p.finish();
    assert.equal(out.length, 1);
    const c = out[0]!;
    assert.deepEqual([c.src, c.srcPort, c.dst, c.dstPort], [A, 52331, B, 22]);
    assert.equal(c.outcome, 'answered');
    assert.equal(c.established, false, 'the scanner reset instead of ACKing');
    assert.equal(c.flagClass, 'syn');
    assert.equal(c.uid, fwd.uid);
    assert.equal(c.sourceKind, 'netflow');
    assert.equal(p.stats().paired, 1);
  }
});

test('a full session (both sides ACK, payload) is established; a RST-only reverse is rejected', () => {
  const { p, out } = pairer();
  p.add(nf({ src: A, sp: 40000, dst: B, dp: 22, flags: 0x1b, pkts: 12, bytes: 2400, ts: 10, end: 12 }));
  p.add(nf({ src: B, sp: 22, dst: A, dp: 40000, flags: 0x1b, pkts: 10, bytes: 3000, ts: 10, end: 12 }));
  p.add(nf({ src: A, sp: 40001, dst: B, dp: 23, flags: 0x02, ts: 11 }));
  p.add(nf({ src: B, sp: 23, dst: A, dp: 40001, flags: 0x14, ts: 11 }));
  p.finish();
  const byPort = new Map(out.map((c) => [c.dstPort, c]));
  assert.equal(byPort.get(22)?.outcome, 'answered');
  assert.equal(byPort.get(22)?.established, true);
  assert.equal(byPort.get(22)?.origBytes, 2400 - 12 * 40);
  assert.equal(byPort.get(22)!.end, 12);
  assert.equal(byPort.get(23)?.outcome, 'rejected');
  assert.equal(byPort.get(23)?.established, false);
});

test('a SYN with no reverse record is unanswered once holdSeconds of record time pass, unknown when sampled', () => {
  const { p, out } = pairer(30);
  p.add(nf({ src: A, sp: 1, dst: '10.99.0.2', dp: 22, flags: 0x02, ts: 100 }));
  p.add(nf({ src: A, sp: 1, dst: '10.99.0.3', dp: 22, flags: 0x02, ts: 100, sampling: 100 }));
  p.advance(129);
  assert.equal(out.length, 0);
  p.advance(131);
  assert.equal(out.length, 2);
  assert.equal(out.find((c) => c.dst === '10.99.0.2')?.outcome, 'unanswered');
  assert.equal(out.find((c) => c.dst === '10.99.0.3')?.outcome, 'unknown');
  assert.equal(out[0]!.respPkts, 0);
  assert.equal(p.stats().unpaired, 2);
});

test('later records of other conversations move record time on and release quiet ones', () => {
  const { p, out } = pairer(30);
  p.add(nf({ src: A, sp: 1, dst: '10.99.0.2', dp: 22, flags: 0x02, ts: 100 }));
  p.add(nf({ src: A, sp: 1, dst: '10.99.0.4', dp: 22, flags: 0x02, ts: 200 }));
  assert.deepEqual(
    out.map((c) => c.dst),
    ['10.99.0.2'],
  );
  assert.equal(p.stats().held, 1);
});

test('a record exported late (its end far behind the records already seen) still waits for its other half', () => {
  const { p, out } = pairer(30);
  p.add(nf({ src: A, sp: 40000, dst: '10.99.0.9', dp: 80, flags: 0x1b, ts: 1000, end: 1000 }));
  p.add(nf({ src: A, sp: 2, dst: B, dp: 22, flags: 0x02, ts: 100, end: 100 }));
  p.add(nf({ src: B, sp: 22, dst: A, dp: 2, flags: 0x12, ts: 100, end: 100 }));
  p.advance(1029);
  assert.equal(
    out.find((c) => c.dst === B),
    undefined,
    'held 30 s of record time from its arrival',
  );
  p.advance(1031);
  const c = out.find((x) => x.dst === B);
  assert.equal(c?.outcome, 'answered');
  assert.equal(p.stats().paired, 1);
});

test('UDP: a reverse record answers, none leaves it unanswered', () => {
  const { p, out } = pairer();
  p.add(nf({ src: '10.99.1.80', sp: 5353, dst: '10.99.0.1', dp: 53, proto: 'udp', ts: 1 }));
  p.add(nf({ src: '10.99.0.1', sp: 53, dst: '10.99.1.80', dp: 5353, proto: 'udp', ts: 1 }));
  p.add(nf({ src: '10.99.1.80', sp: 40000, dst: '10.99.0.12', dp: 7, proto: 'udp', ts: 2 }));
  p.finish();
  const dns = out.find((c) => c.dstPort === 53)!;
  assert.deepEqual([dns.src, dns.outcome, dns.established], ['10.99.1.80', 'answered', true]);
  assert.equal(out.find((c) => c.dstPort === 7)?.outcome, 'unanswered');
});

test('ICMP: echo reply pairs with its request (reply first too); unreachable is an error reply at once', () => {
  const { p, out } = pairer();
  p.add(nf({ src: B, dst: A, proto: 'icmp', icmpType: 0, ts: 5 }));
  p.add(nf({ src: A, dst: B, proto: 'icmp', icmpType: 8, ts: 5 }));
  p.add(nf({ src: '10.99.0.12', dst: '10.99.1.80', proto: 'icmp', icmpType: 3, ts: 6 }));
  assert.equal(out.length, 1);
  assert.deepEqual(
    [out[0]!.src, out[0]!.dst, out[0]!.errorReply, out[0]!.outcome],
    ['10.99.1.80', '10.99.0.12', true, 'rejected'],
  );
  p.finish();
  const echo = out[1]!;
  assert.deepEqual([echo.src, echo.dst, echo.icmpType, echo.outcome], [A, B, 8, 'answered']);
  assert.equal(echo.srcPort, -1);
  assert.equal(p.stats().errorReplies, 1);
});

test('a lone SYN-ACK, bare RST or echo reply is no attempt (backscatter) and is counted', () => {
  const { p, out } = pairer();
  p.add(nf({ src: B, sp: 80, dst: A, dp: 40000, flags: 0x12, bytes: 44, ts: 1 }));
  p.add(nf({ src: B, sp: 80, dst: A, dp: 40001, flags: 0x14, ts: 1 }));
  p.add(nf({ src: B, dst: A, proto: 'icmp', icmpType: 0, ts: 1 }));
  p.finish();
  assert.equal(out.length, 0);
  assert.equal(p.stats().repliesAlone, 3);
});

test('a lone client record with SYN, ACK and data had its answer (the reverse went another way)', () => {
  const { p, out } = pairer();
  p.add(nf({ src: A, sp: 40000, dst: B, dp: 80, flags: 0x1b, pkts: 6, bytes: 900, ts: 1 }));
  p.add(nf({ src: B, sp: 80, dst: A, dp: 40001, flags: 0x1b, pkts: 6, bytes: 900, ts: 1 }));
  p.finish();
  assert.equal(out.length, 1, "the server's lone record (lower port) is no attempt");
  assert.deepEqual(
    [out[0]!.src, out[0]!.dstPort, out[0]!.outcome, out[0]!.established],
    [A, 80, 'answered', true],
  );
  assert.equal(p.stats().repliesAlone, 1);
});

test('without flags the earlier start, then the higher port, names the initiator', () => {
  const { p, out } = pairer();
  p.add(nf({ src: B, sp: 22, dst: A, dp: 40000, ts: 10.5 }));
  p.add(nf({ src: A, sp: 40000, dst: B, dp: 22, ts: 10.2 }));
  p.add(nf({ src: B, sp: 3000, dst: A, dp: 50000, ts: 20 }));
  p.add(nf({ src: A, sp: 50000, dst: B, dp: 3000, ts: 20 }));
  p.finish();
  assert.deepEqual(
    out.map((c) => [c.src, c.dstPort]),
    [
      [A, 22],
      [A, 3000],
    ],
  );
});

test('more conversations than maxHeld: the oldest goes out early as unknown, counted', () => {
  const { p, out } = pairer(30, 2);
  for (let i = 0; i < 5; i++)
    p.add(nf({ src: A, sp: 1, dst: `10.99.0.${i + 2}`, dp: 22, flags: 0x02, ts: 100 }));
  assert.equal(p.stats().held, 2);
  assert.equal(p.stats().overflow, 3);
  assert.deepEqual(
    out.map((c) => [c.dst, c.outcome]),
    [
      ['10.99.0.2', 'unknown'],
      ['10.99.0.3', 'unknown'],
      ['10.99.0.4', 'unknown'],
    ],
  );
});

test('the same endpoints after a quiet spell longer than holdSeconds are a new conversation', () => {
  const { p, out } = pairer(30);
  p.add(nf({ src: A, sp: 1, dst: B, dp: 22, flags: 0x02, ts: 100 }));
  p.add(nf({ src: A, sp: 1, dst: B, dp: 22, flags: 0x02, ts: 100 }));
  p.add(nf({ src: A, sp: 1, dst: B, dp: 22, flags: 0x02, ts: 200 }));
  p.finish();
  assert.equal(out.length, 2);
  assert.equal(out[0]!.origPkts, 2, 'records of one direction are summed');
});

test('events that are not unidirectional flow records are ignored; bad configuration throws', () => {
  const { p } = pairer();
  const e = nf({ src: A, dst: B, ts: 1 });
  assert.equal(p.add({ ...e, source: { kind: 'zeek', format: 'zeek-conn' } }), false);
  assert.equal(p.add({ ...e, type: 'firewall-deny' }), false);
  assert.equal(p.stats().ignored, 2);
  assert.throws(
    () => createNetflowPairer({ holdSeconds: -1, maxHeld: 1, onContact: () => {} }),
    /holdSeconds/,
  );
  assert.throws(() => createNetflowPairer({ holdSeconds: 1, maxHeld: 0, onContact: () => {} }), /maxHeld/);
});

test('Suricata EVE netflow records pair too', () => {
  const { p, out } = pairer();
  const eve = (src: string, sp: number, dst: string, dp: number): Event => ({
    ...nf({ src, sp, dst, dp, proto: 'udp', ts: 1 }),
    source: { kind: 'eve', format: 'suricata-eve' },
    attrs: { eventType: 'netflow' },
  });
  p.add(eve(A, 4000, B, 161));
  p.add(eve(B, 161, A, 4000));
  p.finish();
  assert.equal(out.length, 1);
  assert.equal(out[0]!.outcome, 'answered');
  assert.equal(out[0]!.dstPort, 161);
});

/** Paired nfdump CSV contacts and capture flow contacts of the lab run. */
function labContacts(): { netflow: Contact[]; capture: Contact[] } {
  const problems = createProblemLog();
  const netflow: Contact[] = [];
  const p = createNetflowPairer({ holdSeconds: 60, maxHeld: 10_000, onContact: (c) => netflow.push(c) });
  parseNfdumpCsv(
    readFileSync(join(repoRoot, 'examples/lab-nfdump/flows.csv'), 'utf8'),
    (r) => {
      const e = netflowToEvent(r, { file: 'flows.csv' });
      if (e) p.add(e);
    },
    (pr) => problems.add(pr),
    { file: 'flows.csv' },
  );
  p.finish();
  const s = p.stats();
  assert.equal(s.records, s.ignored + s.errorReplies + s.recordsEmitted);
  const capture: Contact[] = [];
  const path = join(repoRoot, 'examples/lab/capture.pcap');
  const reader = openCapture(path, problems)!;
  const dec = createDecoder(problems, { file: path });
  const table = createFlowTable({ source: path, onFlow: (f) => capture.push(contactFromFlow(f)) });
  for (let fr = reader.next(); fr; fr = reader.next()) table.packet(dec.decode(fr));
  table.flush();
  reader.close();
  assert.equal(problems.total(), 0);
  return { netflow, capture };
}

test('lab NetFlow paired agrees with the capture flows on each (proto, src, dst, dport) outcome', (t) => {
  const { netflow, capture } = labContacts();
  const key = (c: Contact) =>
    `${c.proto} ${c.src} -> ${c.dst}:${c.dstPort}${c.errorReply ? ' error-reply' : ''}`;
  const group = (cs: Contact[]) => {
    const m = new Map<string, string[]>();
    for (const c of cs)
      m.set(key(c), [...(m.get(key(c)) ?? []), `${c.outcome}${c.established ? '+est' : ''}`]);
    for (const v of m.values()) v.sort();
    return m;
  };
  const n = group(netflow);
  const cap = group(capture);
  const disagreements: string[] = [];
  let agree = 0;
  for (const [k, v] of n) {
    const w = cap.get(k);
    if (w && w.join() === v.join()) agree++;
    else disagreements.push(`${k}: netflow ${v.join()} capture ${w?.join() ?? 'none'}`);
  }
  for (const k of cap.keys()) if (!n.has(k)) disagreements.push(`${k}: capture only`);
  const rate = agree / (n.size + [...cap.keys()].filter((k) => !n.has(k)).length);
  t.diagnostic(`agreement ${agree}/${n.size} keys (${(rate * 100).toFixed(1)}%)`);
  for (const d of disagreements) t.diagnostic(`disagree: ${d}`);
  assert.ok(n.size >= 20, 'enough conversations to compare');
  assert.ok(rate >= 0.95, `agreement ${rate}; ${disagreements.join('; ')}`);
  // The masscan sweep behind the firewall: SYN-ACK from the ssh server, RST from live hosts, silence from dark ones.
  const sweep = netflow.filter((c) => c.src === '10.99.1.66' && c.dstPort === 22 && c.srcPort === 52331);
  const outcome = (dst: string) => sweep.find((c) => c.dst === dst)?.outcome;
  assert.equal(outcome('10.99.0.11'), 'answered');
  assert.equal(outcome('10.99.0.10'), 'rejected');
  assert.equal(outcome('10.99.0.2'), 'unanswered');
  assert.ok(sweep.every((c) => c.flagClass === 'syn'));
});

const arbRecord = fc.record({
  a: fc.integer({ min: 0, max: 5 }),
  b: fc.integer({ min: 0, max: 5 }),
  sp: fc.constantFrom(22, 80, 40000, 50000),
  dp: fc.constantFrom(22, 80, 40000, 50000),
  proto: fc.constantFrom('tcp', 'udp', 'icmp', 'ipv6-icmp', '47'),
  flags: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  icmpType: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  pkts: fc.integer({ min: 0, max: 5 }),
  ts: fc.oneof(fc.integer({ min: 0, max: 500 }), fc.constant(Number.NaN)),
  dur: fc.integer({ min: -5, max: 50 }),
  odd: fc.integer({ min: 0, max: 9 }),
});

test('random record streams keep held ≤ maxHeld and account for every record', () => {
  fc.assert(
    fc.property(
      fc.array(arbRecord, { maxLength: 200 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 0, max: 60 }),
      (recs, maxHeld, hold) => {
        const out: Contact[] = [];
        const p = createNetflowPairer({ holdSeconds: hold, maxHeld, onContact: (c) => out.push(c) });
        for (const r of recs) {
          let e = nf({
            src: `10.0.0.${r.a}`,
            sp: r.sp,
            dst: `10.0.0.${r.b}`,
            dp: r.dp,
            proto: r.proto,
            ...(r.flags !== undefined ? { flags: r.flags } : {}),
            ...(r.icmpType !== undefined ? { icmpType: r.icmpType } : {}),
            pkts: r.pkts,
            ts: r.ts,
            end: r.ts + r.dur,
          });
          if (r.odd === 1) e = { ...e, dst: '' };
          if (r.odd === 2) e = { ...e, attrs: { tcpFlags: 'x', end: 'y', icmpType: Number.NaN } };
          if (r.odd === 3) e = { ...e, type: 'connection-refused' };
          p.add(e);
          const s = p.stats();
          assert.ok(s.held <= maxHeld);
          assert.equal(s.records, s.ignored + s.errorReplies + s.recordsHeld + s.recordsEmitted);
        }
        p.finish();
        const s = p.stats();
        assert.equal(s.held, 0);
        assert.equal(s.recordsHeld, 0);
        assert.equal(s.records, s.ignored + s.errorReplies + s.recordsEmitted);
        assert.equal(s.contacts, out.length);
        assert.equal(s.contacts, s.errorReplies + s.paired + s.unpaired);
        assert.ok(s.peakHeld <= maxHeld);
        for (const c of out) assert.ok(c.src !== '' && c.dst !== '');
      },
    ),
    { numRuns: 500 },
  );
});
