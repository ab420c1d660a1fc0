import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Rule } from '../ast.js';
import { accepted } from '../testing.js';
import { compareStateUse, createRuleState, type FlowState, type StateContext, stateUse } from './flowbits.js';

const ctx = (ts = 0, src = '10.0.0.1', dst = '10.0.0.2'): StateContext => ({ ts, src, dst });

/** The engine's step for one rule whose payload part matched: tests, then actions. */
function fire(state: ReturnType<typeof createRuleState>, rule: Rule, flow: FlowState | undefined, c = ctx()) {
  if (!state.testRule(rule, flow, c)) return false;
  state.applyRule(rule, flow, c);
  return true;
}

test('flowbits set, isset, unset, toggle, isnotset on one flow', () => {
  const s = createRuleState();
  const flow = s.createFlowState();
  const isset = accepted('flowbits:isset,a;');
  const isnotset = accepted('flowbits:isnotset,a;');
  assert.equal(fire(s, isset, flow), false);
  assert.equal(fire(s, isnotset, flow), true);
  assert.equal(fire(s, accepted('flowbits:set,a;'), flow), true);
  assert.equal(fire(s, isset, flow), true);
  assert.equal(fire(s, isnotset, flow), false);
  fire(s, accepted('flowbits:toggle,a;'), flow);
  assert.equal(fire(s, isset, flow), false);
  fire(s, accepted('flowbits:toggle,a;'), flow);
  assert.equal(fire(s, isset, flow), true);
  fire(s, accepted('flowbits:unset,a;'), flow);
  assert.equal(fire(s, isset, flow), false);
  // Another flow never sees this flow's bits.
  fire(s, accepted('flowbits:set,a;'), flow);
  assert.equal(fire(s, isset, s.createFlowState()), false);
  // Without a flow neither isset nor isnotset matches.
  assert.equal(fire(s, isset, undefined), false);
  assert.equal(fire(s, isnotset, undefined), false);
});

test('OR lists: isset any set, isnotset any not set; AND lists: all', () => {
  const s = createRuleState();
  const flow = s.createFlowState();
  fire(s, accepted('flowbits:set,b;'), flow);
  assert.equal(s.testRule(accepted('flowbits:isset,a|b;'), flow, ctx()), true);
  assert.equal(s.testRule(accepted('flowbits:isset,a|c;'), flow, ctx()), false);
  assert.equal(s.testRule(accepted('flowbits:isnotset,a|b;'), flow, ctx()), true);
  assert.equal(s.testRule(accepted('flowbits:isnotset,b;'), flow, ctx()), false);
  assert.equal(s.testRule(accepted('flowbits:isset,a&b;'), flow, ctx()), false);
  fire(s, accepted('flowbits:set,a&c;'), flow);
  assert.equal(s.testRule(accepted('flowbits:isset,a&b&c;'), flow, ctx()), true);
  assert.equal(s.testRule(accepted('flowbits:isnotset,a&d;'), flow, ctx()), false);
  assert.equal(s.testRule(accepted('flowbits:isnotset,d&e;'), flow, ctx()), true);
});

test('isnotset then set in one rule fires once per flow; tests are checked before any action', () => {
  const s = createRuleState();
  const flow = s.createFlowState();
  const once = accepted('flowbits:isnotset,seen; flowbits:set,seen;');
  assert.deepEqual([fire(s, once, flow), fire(s, once, flow), fire(s, once, flow)], [true, false, false]);
});

test('many names grow the flow arrays; the name table limit refuses and counts', () => {
  const s = createRuleState({ maxNames: 40 });
  const flow = s.createFlowState();
  for (let i = 0; i < 50; i++) fire(s, accepted(`flowbits:set,n${i};`), flow);
  for (let i = 0; i < 40; i++) assert.equal(s.testRule(accepted(`flowbits:isset,n${i};`), flow, ctx()), true);
  assert.equal(s.testRule(accepted('flowbits:isset,n45;'), flow, ctx()), false);
  assert.equal(s.testRule(accepted('flowbits:isnotset,n45;'), flow, ctx()), true);
  assert.equal(flow.bits.length, 2);
  assert.equal(s.stats.flowbitNames, 40);
  assert.ok(s.stats.namesRefused >= 10);
});

test('flowint: counting, comparing with literals and other counters, wrap-around', () => {
  const s = createRuleState();
  const flow = s.createFlowState();
  const count = accepted('flowint:n,+,1;');
  const over2 = accepted('flowint:n,>,2;');
  assert.equal(s.testRule(accepted('flowint:n,notset;'), flow, ctx()), true);
  assert.equal(s.testRule(over2, flow, ctx()), false, 'an unset counter compares false');
  assert.equal(s.testRule(accepted('flowint:n,<,2;'), flow, ctx()), false);
  const seen: boolean[] = [];
  for (let i = 0; i < 4; i++) {
    fire(s, count, flow);
    seen.push(s.testRule(over2, flow, ctx()));
  }
  assert.deepEqual(seen, [false, false, true, true]);
  assert.equal(s.testRule(accepted('flowint:n,isset;'), flow, ctx()), true);
  assert.equal(s.testRule(accepted('flowint:n,==,4;'), flow, ctx()), true);
  fire(s, accepted('flowint:n,-,1;'), flow);
  assert.equal(s.testRule(accepted('flowint:n,==,3;'), flow, ctx()), true);
  // Subtracting from an unset counter leaves it unset.
  fire(s, accepted('flowint:m,-,1;'), flow);
  assert.equal(s.testRule(accepted('flowint:m,notset;'), flow, ctx()), true);
  // Compare with another counter, then with an unset one.
  fire(s, accepted('flowint:max,=,3;'), flow);
  assert.equal(s.testRule(accepted('flowint:n,==,max;'), flow, ctx()), true);
  assert.equal(s.testRule(accepted('flowint:n,!=,max;'), flow, ctx()), false);
  assert.equal(s.testRule(accepted('flowint:n,<=,nothing;'), flow, ctx()), false);
  fire(s, accepted('flowint:n,=,max;'), flow);
  fire(s, accepted('flowint:n,+,max;'), flow);
  assert.equal(s.testRule(accepted('flowint:n,==,6;'), flow, ctx()), true);
  fire(s, accepted('flowint:z,=,0;'), flow);
  fire(s, accepted('flowint:z,-,1;'), flow);
  assert.equal(s.testRule(accepted('flowint:z,==,4294967295;'), flow, ctx()), true);
  assert.equal(s.testRule(over2, undefined, ctx()), false);
});

test('xbits per source, destination and pair, with expiry and renewal', () => {
  const s = createRuleState();
  const setSrc = accepted('xbits:set,bad,track ip_src,expire 60;');
  const issetSrc = accepted('xbits:isset,bad,track ip_src;');
  const issetDst = accepted('xbits:isset,bad,track ip_dst;');
  fire(s, setSrc, undefined, ctx(0, 'A', 'B'));
  assert.equal(s.testRule(issetSrc, undefined, ctx(10, 'A', 'C')), true, 'any flow from A');
  assert.equal(s.testRule(issetSrc, undefined, ctx(10, 'B', 'A')), false);
  assert.equal(s.testRule(issetDst, undefined, ctx(10, 'B', 'A')), true, 'one host table for src and dst');
  assert.equal(s.testRule(issetSrc, undefined, ctx(60, 'A', 'C')), false, 'expired at ts + expire');
  fire(s, setSrc, undefined, ctx(50, 'A', 'B'));
  assert.equal(s.testRule(issetSrc, undefined, ctx(100, 'A', 'C')), true, 'renewed');
  assert.equal(
    s.testRule(accepted('xbits:isnotset,bad,track ip_src;'), undefined, ctx(100, 'A', 'C')),
    false,
  );
  fire(s, accepted('xbits:toggle,bad,track ip_src;'), undefined, ctx(101, 'A', 'B'));
  assert.equal(s.testRule(issetSrc, undefined, ctx(102, 'A', 'C')), false);
  fire(s, accepted('xbits:toggle,bad,track ip_src;'), undefined, ctx(103, 'A', 'B'));
  assert.equal(s.testRule(issetSrc, undefined, ctx(132, 'A', 'C')), true, 'default expiry 30 s');
  assert.equal(s.testRule(issetSrc, undefined, ctx(133, 'A', 'C')), false);
  const pairSet = accepted('xbits:set,p,track ip_pair;');
  const pairIsset = accepted('xbits:isset,p,track ip_pair;');
  fire(s, pairSet, undefined, ctx(0, 'A', 'B'));
  assert.equal(s.testRule(pairIsset, undefined, ctx(1, 'B', 'A')), true);
  assert.equal(s.testRule(pairIsset, undefined, ctx(1, 'A', 'C')), false);
  fire(s, accepted('xbits:unset,p,track ip_pair;'), undefined, ctx(2, 'B', 'A'));
  assert.equal(s.testRule(pairIsset, undefined, ctx(3, 'A', 'B')), false);
  assert.equal(s.testRule(issetSrc, undefined, ctx(3, '', '')), false, 'no addresses, no match');
});

test('the xbits host table is bounded', () => {
  const s = createRuleState({ maxHosts: 10 });
  const set = accepted('xbits:set,x,track ip_src,expire 1000;');
  for (let i = 0; i < 100; i++) fire(s, set, undefined, ctx(i, `10.0.0.${i}`, 'D'));
  assert.equal(s.stats.hosts, 10);
  assert.equal(s.stats.hostEvictions, 90);
  const isset = accepted('xbits:isset,x,track ip_src;');
  assert.equal(s.testRule(isset, undefined, ctx(100, '10.0.0.99', 'D')), true);
  assert.equal(s.testRule(isset, undefined, ctx(100, '10.0.0.0', 'D')), false);
});

test('ordering: writers before read-writers before readers before rules without state', () => {
  const w = accepted('flowbits:set,a; sid:4;');
  const rw = accepted('flowbits:isnotset,a; flowbits:set,a; sid:3;');
  const r = accepted('flowbits:isset,a; sid:2;');
  const none = accepted('flowbits:noalert; sid:1;');
  assert.deepEqual(stateUse(rw), { flowbits: 3, flowint: 1, xbits: 1 });
  const sorted = [none, r, rw, w].sort((a, b) => compareStateUse(a, b) || a.sid - b.sid).map((x) => x.sid);
  assert.deepEqual(sorted, [4, 3, 2, 1]);
  const fi = accepted('flowint:n,+,1; sid:5;');
  assert.ok(compareStateUse(fi, none) < 0);
  assert.ok(compareStateUse(w, fi) < 0, 'flowbits rank first');
});

test('property: random state programs never throw and keep their bounds', () => {
  const names = ['a', 'b', 'c', 'd'];
  const cond = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('set', 'unset', 'toggle', 'isset', 'isnotset'),
        fc.subarray(names, { minLength: 1 }),
      )
      .map(([cmd, ns]) => {
        const isTest = cmd === 'isset' || cmd === 'isnotset';
        return `flowbits:${cmd},${ns.join(isTest ? '|' : '&')};`;
      }),
    fc
      .tuple(
        fc.constantFrom(...names),
        fc.constantFrom('=', '+', '-', '==', '!=', '<', '<=', '>', '>='),
        fc.oneof(fc.nat(0xffffffff).map(String), fc.constantFrom(...names)),
      )
      .map(([n, op, v]) => `flowint:${n},${op},${v};`),
    fc
      .tuple(
        fc.constantFrom('set', 'unset', 'toggle', 'isset', 'isnotset'),
        fc.constantFrom(...names),
        fc.constantFrom('ip_src', 'ip_dst', 'ip_pair'),
      )
      .map(([cmd, n, t]) => `xbits:${cmd},${n},track ${t};`),
  );
  const rules = fc.array(fc.array(cond, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 });
  const packet = fc.record({
    rule: fc.nat(7),
    flow: fc.nat(5),
    src: fc.nat(20),
    dst: fc.nat(20),
    dt: fc.nat(20),
  });
  fc.assert(
    fc.property(rules, fc.array(packet, { maxLength: 200 }), (ruleTexts, packets) => {
      const parsed = ruleTexts.map((opts, i) => accepted(`${opts.join(' ')} sid:${i + 1};`));
      const s = createRuleState({ maxHosts: 5, maxNames: 3 });
      const flows = Array.from({ length: 6 }, (_, i) => (i === 0 ? undefined : s.createFlowState()));
      let ts = 0;
      for (const p of packets) {
        ts += p.dt;
        const rule = parsed[p.rule % parsed.length]!;
        fire(s, rule, flows[p.flow], ctx(ts, `10.0.0.${p.src}`, `10.0.0.${p.dst}`));
        assert.ok(s.stats.hosts <= 5);
      }
      for (const f of flows) if (f) assert.ok(f.bits.length <= 1 && f.ints.length <= 3);
    }),
    { numRuns: 200 },
  );
});
