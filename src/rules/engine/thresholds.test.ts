import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Rule } from '../ast.js';
import { parseThresholdConfig } from '../parse/threshold-config.js';
import { accepted } from '../testing.js';
import { type AlertContext, type AlertVerdict, createAlertGate } from './thresholds.js';
import { createLruTable } from './thresholds-table.js';

const A = 'alert';
const S = 'silent';
const X = 'suppress';

function ctx(ts: number, src = '10.0.0.1', dst = '10.0.0.2', flowKey: number | string = 1): AlertContext {
  return { ts, src, dst, srcPort: 1234, dstPort: 80, flowKey };
}

/** Verdicts for matches at the given times from one source. */
function run(rule: Rule, times: number[], config = ''): AlertVerdict[] {
  const gate = createAlertGate({ config: parseThresholdConfig(config).entries });
  return times.map((t) => gate.decide(rule, ctx(t)));
}

const seq = (n: number, step = 1): number[] => Array.from({ length: n }, (_, i) => i * step);

test('type limit: the first count matches alert, the rest are silent, a new window starts over', () => {
  const r = accepted('threshold:type limit, track by_src, count 2, seconds 10;');
  assert.deepEqual(run(r, [0, 1, 2, 9.999, 10, 11, 12]), [A, A, S, S, A, A, S]);
});

test('type threshold: every count-th match in the window alerts, and the window restarts the count', () => {
  const r = accepted('threshold:type threshold, track by_src, count 3, seconds 60;');
  assert.deepEqual(run(r, seq(7)), [X, X, A, X, X, A, X]);
  // Two matches, then the window expires: the count starts again at 1.
  assert.deepEqual(run(r, [0, 1, 60, 61, 62]), [X, X, X, X, A]);
  const one = accepted('threshold:type threshold, track by_src, count 1, seconds 60;');
  assert.deepEqual(run(one, seq(3)), [A, A, A]);
});

test('type both: one alert when the count is reached, later matches in the window silent', () => {
  const r = accepted('threshold:type both, track by_src, count 3, seconds 60;');
  assert.deepEqual(run(r, [0, 1, 2, 3, 4, 60, 61, 62]), [X, X, A, S, S, X, X, A]);
  const one = accepted('threshold:type both, track by_src, count 1, seconds 5;');
  assert.deepEqual(run(one, [0, 1, 5, 6]), [A, S, A, S]);
});

test('detection_filter: every match after the count-th alerts; nothing before it', () => {
  const r = accepted('detection_filter:track by_src, count 2, seconds 60;');
  assert.deepEqual(run(r, [0, 1, 2, 3, 60, 61, 62]), [X, X, A, A, X, X, A]);
});

test('type backoff: alerts at count, count*m, count*m^2 ...; silent between, suppressed before count', () => {
  const r = accepted('threshold:type backoff, track by_flow, count 1, multiplier 10;');
  const v = run(r, seq(150));
  const alertsAt = v.flatMap((x, i) => (x === A ? [i + 1] : []));
  assert.deepEqual(alertsAt, [1, 10, 100]);
  assert.equal(v.filter((x) => x === X).length, 0);
  const five = accepted('threshold:type backoff, track by_flow, count 5, multiplier 5;');
  const w = run(five, seq(130));
  assert.deepEqual(
    w.flatMap((x, i) => (x === A ? [i + 1] : [])),
    [5, 25, 125],
  );
  assert.deepEqual(w.slice(0, 5), [X, S, S, S, A]);
});

test('tracks: by_src and by_dst per address, by_both per unordered pair, by_flow per flow, by_rule shared', () => {
  const gate = createAlertGate();
  const one = (track: string) => accepted(`threshold:type limit, track ${track}, count 1, seconds 60;`);
  const bySrc = one('by_src');
  assert.equal(gate.decide(bySrc, ctx(0, 'a', 'x')), A);
  assert.equal(gate.decide(bySrc, ctx(1, 'b', 'x')), A);
  assert.equal(gate.decide(bySrc, ctx(2, 'a', 'y')), S);
  const byDst = one('by_dst');
  assert.equal(gate.decide(byDst, ctx(0, 'a', 'x')), A);
  assert.equal(gate.decide(byDst, ctx(1, 'b', 'x')), S);
  const byBoth = one('by_both');
  assert.equal(gate.decide(byBoth, ctx(0, 'a', 'b')), A);
  assert.equal(gate.decide(byBoth, ctx(1, 'b', 'a')), S);
  assert.equal(gate.decide(byBoth, ctx(2, 'a', 'c')), A);
  const byFlow = one('by_flow');
  assert.equal(gate.decide(byFlow, ctx(0, 'a', 'b', 7)), A);
  assert.equal(gate.decide(byFlow, ctx(1, 'a', 'b', 7)), S);
  assert.equal(gate.decide(byFlow, ctx(2, 'a', 'b', 8)), A);
  const byRule = one('by_rule');
  assert.equal(gate.decide(byRule, ctx(0, 'a', 'b')), A);
  assert.equal(gate.decide(byRule, ctx(1, 'c', 'd')), S);
  // Two rules with the same threshold keep separate counters.
  const other = accepted('threshold:type limit, track by_rule, count 1, seconds 60; sid:2;');
  assert.equal(gate.decide(other, ctx(2, 'c', 'd')), A);
});

test('unique_on counts distinct ports in the window, duplicates add nothing', () => {
  const r = accepted('detection_filter:track by_dst, count 2, seconds 60, unique_on dst_port;');
  const gate = createAlertGate();
  const at = (ts: number, port: number, dst = '10.0.0.9') =>
    gate.decide(r, { ts, src: '10.0.0.1', dst, srcPort: 40000, dstPort: port, flowKey: 0 });
  assert.deepEqual([at(0, 22), at(1, 22), at(2, 23), at(3, 23), at(4, 25), at(5, 22)], [X, X, X, X, A, A]);
  // Another destination has its own set; the window restarts the set.
  assert.equal(at(6, 80, '10.0.0.10'), X);
  assert.deepEqual([at(60, 22), at(61, 23), at(62, 25)], [X, X, A]);
  assert.equal(gate.stats.distinctEntries, 2);
});

test('suppress: plain lines make the rule silent, track/ip lines only for matching addresses', () => {
  const r = accepted('sid:100;');
  assert.deepEqual(run(r, [0, 1], 'suppress gen_id 1, sig_id 100'), [S, S]);
  const gate = createAlertGate({
    config: parseThresholdConfig(
      [
        'suppress gen_id 1, sig_id 100, track by_src, ip [192.168.0.0/16,10.1.0.0/16]',
        'suppress gen_id 1, sig_id 0, track by_dst, ip 172.16.0.1',
        'suppress gen_id 0, sig_id 0, track by_either, ip 2001:db8::/32',
      ].join('\n'),
    ).entries,
  });
  assert.equal(gate.decide(r, ctx(0, '192.168.4.4', '8.8.8.8')), S);
  assert.equal(gate.decide(r, ctx(0, '10.1.2.3', '8.8.8.8')), S);
  assert.equal(gate.decide(r, ctx(0, '10.2.2.3', '8.8.8.8')), A);
  assert.equal(gate.decide(r, ctx(0, '10.2.2.3', '172.16.0.1')), S);
  assert.equal(gate.decide(r, ctx(0, '8.8.8.8', '2001:db8::1')), S);
  assert.equal(gate.stats.suppressedByConfig, 4);
  // gid 3 rules are not touched by the gen_id 1 wildcard.
  const g3 = accepted('gid:3; sid:100;');
  assert.equal(gate.decide(g3, ctx(0, '10.2.2.3', '172.16.0.1')), A);
});

test('a suppressed match does not count toward the threshold', () => {
  const r = accepted('detection_filter:track by_rule, count 1, seconds 60; sid:5;');
  const gate = createAlertGate({
    config: parseThresholdConfig('suppress gen_id 1, sig_id 5, track by_src, ip 10.9.9.9').entries,
  });
  assert.equal(gate.decide(r, ctx(0, '10.9.9.9')), S);
  assert.equal(gate.decide(r, ctx(1, '10.0.0.1')), X);
  assert.equal(gate.decide(r, ctx(2, '10.0.0.1')), A);
});

test('threshold.config: an exact threshold replaces the rule one; wildcards only for rules without one', () => {
  const own = accepted('threshold:type limit, track by_src, count 1, seconds 60; sid:7;');
  const replaced = 'threshold gen_id 1, sig_id 7, type limit, track by_src, count 3, seconds 60';
  assert.deepEqual(run(own, seq(4), replaced), [A, A, A, S]);
  const wildcard = 'event_filter gen_id 0, sig_id 0, type limit, track by_src, count 2, seconds 60';
  assert.deepEqual(run(own, seq(3), wildcard), [A, S, S]);
  const plain = accepted('sid:8;');
  assert.deepEqual(run(plain, seq(3), wildcard), [A, A, S]);
  const gate = createAlertGate({ config: parseThresholdConfig(replaced).entries });
  assert.deepEqual(
    gate.plan(own).limiters.map((l) => [l.kind, l.count, l.origin]),
    [['limit', 3, 'threshold.config line 1']],
  );
});

test('rate_filter: after count matches in the window the new action holds for timeout seconds', () => {
  const r = accepted('sid:888;');
  const gate = createAlertGate({
    config: parseThresholdConfig(
      'rate_filter gen_id 1, sig_id 888, track by_src, count 2, seconds 60, new_action drop, timeout 10',
    ).entries,
  });
  const actions: Array<string | undefined> = [];
  for (const t of [0, 1, 2, 3, 12, 13.5, 14]) {
    assert.equal(gate.decide(r, ctx(t)), A, 'a rate_filter never holds back the alert');
    actions.push(gate.rateAction);
  }
  // Matches 1-2 count; the 3rd (t=2) exceeds the count: drop until t=12; t=13.5 ends it, and
  // as the 60 s window is still open the next match exceeds the count again.
  assert.deepEqual(actions, [undefined, undefined, 'drop', 'drop', 'drop', undefined, 'drop']);
  assert.equal(gate.stats.rateActions, 4);
});

test('noalert rules are silent: the rule action still applies, the alert does not', () => {
  assert.deepEqual(run(accepted('flowbits:noalert;'), [0]), [S]);
  assert.deepEqual(run(accepted('noalert;'), [0]), [S]);
  const both = accepted('noalert; threshold:type threshold, track by_src, count 2, seconds 60;');
  assert.deepEqual(run(both, [0, 1]), [X, S]);
});

test('packets without addresses bypass thresholds', () => {
  const r = accepted('threshold:type limit, track by_src, count 1, seconds 60;');
  const gate = createAlertGate();
  for (let i = 0; i < 3; i++) assert.equal(gate.decide(r, { ...ctx(i), src: '', dst: '' }), A);
});

test('detectionFilter then decide(..., true) counts each match once (Snort ordering)', () => {
  const r = accepted('detection_filter:track by_src, count 2, seconds 60;');
  const gate = createAlertGate();
  const out = seq(4).map((t) => {
    if (!gate.detectionFilter(r, ctx(t))) return 'no match';
    return gate.decide(r, ctx(t), true);
  });
  assert.deepEqual(out, ['no match', 'no match', A, A]);
});

test('bad suppress addresses are reported, not thrown', () => {
  const gate = createAlertGate({
    config: parseThresholdConfig('suppress gen_id 1, sig_id 1, track by_src, ip $NOPE_NET').entries,
  });
  assert.equal(gate.configProblems.length, 1);
  assert.match(gate.configProblems[0]!.reason, /undefined variable \$NOPE_NET/);
  assert.equal(gate.decide(accepted('sid:1;'), ctx(0)), A);
});

test('the tracker table is bounded: the least recently used goes and is counted', () => {
  const r = accepted('threshold:type limit, track by_src, count 1, seconds 600;');
  const gate = createAlertGate({ maxEntries: 100 });
  for (let i = 0; i < 1000; i++) gate.decide(r, ctx(i, `10.0.${i >> 8}.${i & 255}`));
  assert.equal(gate.stats.entries, 100);
  assert.equal(gate.stats.evictions, 900);
  // The newest source is still tracked, the oldest was forgotten and alerts again.
  assert.equal(gate.decide(r, ctx(1000, '10.0.3.231')), S);
  assert.equal(gate.decide(r, ctx(1001, '10.0.0.0')), A);
  const t = createLruTable<number>(2);
  t.set('a', 1);
  t.set('b', 2);
  t.get('a');
  t.set('c', 3);
  assert.deepEqual([t.get('a'), t.get('b'), t.get('c'), t.evictions], [1, undefined, 3, 1]);
  assert.throws(() => createLruTable(0), /positive integer/);
});

test('property: random matches over random rules never throw and stay within the bounds', () => {
  const rules = [
    accepted('threshold:type limit, track by_src, count 2, seconds 5; sid:1;'),
    accepted('threshold:type threshold, track by_dst, count 3, seconds 5; sid:2;'),
    accepted('threshold:type both, track by_both, count 2, seconds 5; sid:3;'),
    accepted('threshold:type backoff, track by_flow, count 2, multiplier 3; sid:4;'),
    accepted('detection_filter:track by_src, count 2, seconds 5; sid:5;'),
    accepted('detection_filter:track by_dst, count 2, seconds 5, unique_on dst_port; sid:6;'),
    accepted('threshold:type limit, track by_rule, count 1, seconds 5; sid:7;'),
    accepted('sid:8;'),
  ];
  const config = parseThresholdConfig(
    [
      'suppress gen_id 1, sig_id 8, track by_src, ip 10.0.0.0/30',
      'rate_filter gen_id 1, sig_id 8, track by_dst, count 2, seconds 3, new_action reject, timeout 2',
    ].join('\n'),
  ).entries;
  const match = fc.record({
    rule: fc.nat(rules.length - 1),
    dt: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })),
    src: fc.nat(40),
    dst: fc.nat(40),
    port: fc.integer({ min: -1, max: 70000 }),
    flow: fc.nat(30),
  });
  fc.assert(
    fc.property(fc.array(match, { maxLength: 300 }), (ms) => {
      const gate = createAlertGate({ config, maxEntries: 16, maxDistinctTrackers: 3 });
      let ts = 1_700_000_000;
      for (const m of ms) {
        ts += m.dt;
        const v = gate.decide(rules[m.rule]!, {
          ts,
          src: m.src === 0 ? '' : `10.0.0.${m.src}`,
          dst: `10.0.1.${m.dst}`,
          srcPort: m.port,
          dstPort: m.port,
          flowKey: m.flow,
        });
        assert.ok(v === A || v === S || v === X);
        assert.ok(gate.stats.entries <= 16 && gate.stats.distinctEntries <= 3);
      }
      const s = gate.stats;
      assert.equal(s.alerts + s.silent + s.suppressed, ms.length);
    }),
    { numRuns: 200 },
  );
});
