/**
 * Hostile input for the rule engine: a rules file full of traps (rejected
 * line by line, good rules around them kept), traffic built to be slow
 * (catastrophic regex, deep relative chains: bounded, never thrown), and
 * fast-check streams of random and half-valid frames fed to engines loaded
 * with varied rules and with the whole ET Open set (never throws, the flow
 * table stays bounded). Outcomes are asserted, never times.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/env.js';
import { createDecoder } from '../../decode/index.js';
import { eth, frame, ipv4, tcp, udp } from '../../decode/testing/packet-builders.js';
import { createProblemLog } from '../../util/problems.js';
import type { Rule } from '../ast.js';
import { loadRules } from '../load.js';
import { createDetectEngine } from './engine.js';
import { createRuleGate } from './rule-gate.js';
import { CaptureScript, ruleText, runScript } from './testing.js';

test('a rules file full of traps: each bad line rejected with file, line and reason; the good ones load', () => {
  const lines = [
    /* 1 */ 'alert tcp any any -> any any (msg:"good one"; content:"a"; sid:1;)',
    /* 2 */ 'this is not a rule at all',
    /* 3 */ 'alert tcp any any -> any any (msg:"unterminated; content:"x"; sid:2;)',
    /* 4 */ 'alert tcp any any -> any any (msg:"good three"; content:"b"; sid:3;)',
    /* 5 */ 'alert tcp any any -> any any (content:"a"; offset:99999999999999999999; sid:4;)',
    /* 6 */ 'alert tcp any any -> any any (msg:"evil regex, bounded when run"; pcre:"/(a+)+$/"; sid:5;)',
    /* 7 */ `alert tcp any any -> any any (msg:"long content"; content:"${'A'.repeat(10_000)}"; sid:6;)`,
    /* 8 */ `alert tcp any any -> any any (pcre:"/${'('.repeat(5_000)}a${')'.repeat(5_000)}/"; sid:7;)`,
    /* 9 */ `alert tcp any any -> any any ${'('.repeat(3_000)}sid:8;${')'.repeat(3_000)}`,
    /* 10 */ 'alert tcp any any -> any any (content:"|zz|"; sid:10;)',
    /* 11 */ 'alert tcp any any -> any any (dsize:>99999999999999999999; sid:11;)',
    /* 12 */ 'alert tcp any any -> any any (byte_test:4,>,99999999999999999999,0; sid:12;)',
    /* 13 */ 'alert tcp any any -> any any (content:"x"; sid:99999999999999999999;)',
    /* 14 */ 'alert tcp 999.1.1.1 any -> any any (sid:14;)',
    /* 15 */ 'alert tcp any any -> any any (msg:"good nine"; content:"c"; sid:9;)',
    /* 16 */ '\u0000\u00ff\u00fe garbage bytes ((((;;;;""""',
    /* 17 */ 'alert tcp any any -> any any (sid:16; content:"a"',
    /* 18 */ 'alert tcp any any -> any any (nosuchkeyword:1; sid:17;)',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'picket-hostile-'));
  const file = join(dir, 'traps.rules');
  writeFileSync(file, lines.join('\n'), 'latin1');
  const r = loadRules([file]);
  assert.deepEqual(
    r.rules.map((x) => [x.sid, x.line]),
    [
      [1, 1],
      [3, 4],
      [5, 6],
      [6, 7],
      [9, 15],
    ],
  );
  assert.equal(r.rules.find((x) => x.sid === 6)!.matches[0]!.kind, 'content');
  const rejected = r.rejected.map((x) => x.line);
  assert.deepEqual(rejected, [2, 3, 5, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18]);
  for (const x of r.rejected) {
    assert.equal(x.file, file);
    assert.ok(
      x.reason.length > 0 && x.reason.length < 400,
      `line ${x.line}: short reason, got ${x.reason.length}`,
    );
    assert.equal(x.disabled, false);
  }
  const reason = (line: number) => r.rejected.find((x) => x.line === line)!.reason;
  assert.match(reason(3), /quote/);
  assert.match(reason(5), /offset.*out of range/);
  assert.match(reason(8), /nested/);
  assert.match(reason(10), /hex/);
  assert.match(reason(11), /dsize.*out of range/);
  assert.match(reason(12), /byte_test.*out of range/);
  assert.match(reason(13), /sid.*out of range/);
  assert.match(reason(14), /999\.1\.1\.1/);
  assert.match(reason(18), /nosuchkeyword/);
  // The rejections name the sid when it can be read.
  assert.equal(r.rejected.find((x) => x.line === 5)!.sid, 4);
});

const ALL_A = 'a'.repeat(64 * 1024 - 100);

test('a catastrophic regex over 64 KiB of "a": bounded, counted, never thrown', () => {
  const s = new CaptureScript();
  // The lookahead keeps it off the linear-time engine, and its prescreen (without the lookahead)
  // matches the "a"s, so both packets reach the worker; no "b" follows, so it backtracks.
  s.udp('10.0.0.1', 5000, '10.0.0.2', 9999, ALL_A).udp('10.0.0.1', 5000, '10.0.0.2', 9999, `${ALL_A}!`);
  const r = runScript(s, ['alert udp any any -> any any (content:"a"; pcre:"/(a+)+(?=b)/"; sid:1;)']);
  assert.equal(r.engine.stats.packets, 2);
  assert.equal(r.engine.stats.inspections, 2);
  assert.equal(r.alerts.length, 0);
  assert.equal(r.engine.stats.regexBounded, 2);
});

test('(a+)+$ over 64 KiB of "a" runs on the linear-time engine: exact answers, no bound', () => {
  const s = new CaptureScript();
  // One packet of all "a" (it matches), one ending in "!" (a backtracking engine would never finish).
  s.udp('10.0.0.1', 5000, '10.0.0.2', 9999, ALL_A).udp('10.0.0.1', 5000, '10.0.0.2', 9999, `${ALL_A}!`);
  const r = runScript(s, ['alert udp any any -> any any (content:"a"; pcre:"/(a+)+$/"; sid:1;)']);
  assert.deepEqual(
    r.alerts.map((a) => a.frame),
    [0],
  );
  assert.equal(r.engine.stats.regexBounded, 0);
});

test('twenty chained relative contents over 64 KiB of "a": the inspection budget ends the search', () => {
  const chain = `content:"a"; fast_pattern;${' content:"a"; distance:0;'.repeat(19)}`;
  const s = new CaptureScript();
  s.udp('10.0.0.1', 5000, '10.0.0.2', 9999, ALL_A);
  const r = runScript(s, [
    // Never matches (no "b"): without a budget the retries are combinatorial.
    `alert udp any any -> any any (${chain} content:"b"; distance:0; sid:1;)`,
    // Matches at once.
    `alert udp any any -> any any (${chain} sid:2;)`,
    // Within:1 chains leave one candidate per step: linear, and they fail on the missing "b".
    `alert udp any any -> any any (content:"a"; fast_pattern;${' content:"a"; within:1;'.repeat(19)} content:"b"; within:1; sid:3;)`,
  ]);
  assert.equal(r.count(1), 0);
  assert.equal(r.count(2), 1);
  assert.equal(r.count(3), 0);
  assert.equal(r.engine.stats.inspections, 3);
});

/** A few dozen rules touching every part of the engine. */
const VARIED_RULES = [
  'alert tcp any any -> any any (content:"GET"; depth:3; sid:101;)',
  'alert tcp any any -> any any (content:"a"; content:"b"; within:1; sid:102;)',
  'alert tcp any any -> any any (content:"|00 00|"; byte_test:2,>,100,0,relative; sid:103;)',
  'alert tcp any any -> any any (content:"|01|"; byte_jump:2,0,relative,align; content:"|ff|"; distance:0; sid:104;)',
  'alert tcp any any -> any any (byte_extract:1,0,n; content:"x"; offset:n; depth:4; sid:105;)',
  'alert tcp any any -> any any (content:"PASS"; isdataat:20,relative; content:!"|0a|"; within:20; sid:106;)',
  'alert tcp any any -> any any (pcre:"/(a|b)+c{2,}$/s"; sid:107;)',
  'alert tcp any any -> any any (content:"a"; pcre:"/(a+)+$/R"; sid:108;)',
  'alert tcp any any -> any any (flow:established,to_server; content:"USER "; nocase; sid:109;)',
  'alert tcp any any -> any any (flags:S; flow:not_established; sid:110;)',
  'alert tcp any any -> any any (flags:*FR; sid:111;)',
  'alert tcp any any -> any any (flags:!A; dsize:>0; sid:112;)',
  'alert tcp any any -> any any (dsize:1<>10; sid:113;)',
  'alert tcp-stream any any -> any any (content:"EVIL"; sid:114;)',
  'alert tcp-pkt any any -> any any (content:"EVIL"; sid:115;)',
  'alert tcp any any -> any any (flowbits:set,seen; flowbits:noalert; content:"HELLO"; sid:116;)',
  'alert tcp any any -> any any (flowbits:isset,seen; content:"BYE"; sid:117;)',
  'alert tcp any any -> any any (content:"knock"; threshold: type both, track by_src, count 3, seconds 60; sid:118;)',
  'alert http any any -> any any (http.uri; content:"/admin"; sid:119;)',
  'alert http any any -> any any (http.user_agent; content:"curl"; nocase; sid:120;)',
  'alert http any any -> any any (http.stat_code; content:"404"; sid:121;)',
  'alert http any any -> any any (file.data; content:"<script"; nocase; sid:122;)',
  'alert http any any -> any any (http.method; content:"POST"; http.uri; pcre:"/\\.php$/"; sid:123;)',
  'alert dns any any -> any any (dns.query; content:"evil"; nocase; sid:124;)',
  'alert tls any any -> any any (tls.sni; content:"bad"; sid:125;)',
  'alert ssh any any -> any any (ssh.proto; content:"2.0"; sid:126;)',
  'alert udp any any -> any any (content:"|00 01 00 00|"; offset:4; depth:4; sid:127;)',
  'alert icmp any any -> any any (itype:8; icode:0; sid:128;)',
  'alert ip any any -> any any (ttl:<5; sid:129;)',
  'alert ip any any -> any any (ip_proto:!6; ip_proto:!17; sid:130;)',
  `alert tcp any any <> any any (content:"a"; fast_pattern;${' content:"a"; distance:0;'.repeat(19)} content:"b"; distance:0; sid:131;)`,
  'drop tcp any any -> any 6666 (content:"drop me"; sid:132;)',
  'alert tcp any any -> any any (content:"tail"; endswith; sid:133;)',
  'alert tcp any any -> any any (content:"head"; startswith; base64_decode:relative; base64_data; content:"x"; sid:134;)',
];

const TOKENS = [
  'GET /admin HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8\r\n\r\n',
  'POST /a.php HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello',
  'HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n<script>',
  'SSH-2.0-OpenSSH_9.0\r\n',
  'USER root\r\n',
  'PASS ',
  'EVIL',
  'HELLO',
  'BYE',
  'knock',
  'head',
  'tail',
  'drop me',
  'aaaa',
  '\u0000\u0000\u00ff\u00ff',
  '\u0001\u0000\u0004',
  '\r\n\r\n',
];

const tokenBytes = TOKENS.map((t) => new Uint8Array(Buffer.from(t, 'latin1')));

/** Payloads: random bytes, protocol-looking tokens, or a mix of both. */
const payloadArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .array(fc.oneof(fc.constantFrom(...tokenBytes), fc.uint8Array({ maxLength: 20 })), { maxLength: 6 })
    .map(concatAll),
);

function concatAll(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

interface PacketSpec {
  proto: 6 | 17 | 1;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
  ttl: number;
  payload: Uint8Array;
}

/** Valid Ethernet/IPv4/TCP, UDP or ICMP headers with random fields and payloads; few hosts, common ports. */
const packetArb: fc.Arbitrary<PacketSpec> = fc.record({
  proto: fc.constantFrom(6, 6, 6, 17, 1) as fc.Arbitrary<6 | 17 | 1>,
  src: fc.integer({ min: 1, max: 6 }),
  dst: fc.integer({ min: 1, max: 6 }),
  sport: fc.oneof(fc.constantFrom(80, 22, 53, 443, 6666), fc.integer({ min: 1024, max: 1040 })),
  dport: fc.oneof(fc.constantFrom(80, 22, 53, 443, 6666), fc.integer({ min: 1024, max: 1040 })),
  flags: fc.oneof(fc.constantFrom(0x02, 0x12, 0x10, 0x18, 0x11, 0x04), fc.integer({ min: 0, max: 255 })),
  seq: fc.oneof(fc.constant(1000), fc.integer({ min: 0, max: 0xffffffff })),
  ack: fc.integer({ min: 0, max: 0xffffffff }),
  ttl: fc.integer({ min: 0, max: 255 }),
  payload: payloadArb,
});

function frameBytes(p: PacketSpec): Uint8Array {
  const src = `10.0.0.${p.src}`;
  const dst = `10.0.0.${p.dst}`;
  let l4: Uint8Array;
  if (p.proto === 6)
    l4 = tcp({ sport: p.sport, dport: p.dport, seq: p.seq, ack: p.ack, flags: p.flags }, p.payload);
  else if (p.proto === 17) l4 = udp(p.sport, p.dport, p.payload);
  else l4 = concatAll([new Uint8Array([p.flags & 0x0f ? 8 : 0, 0, 0, 0]), p.payload]);
  return eth(0x0800, ipv4({ src, dst, proto: p.proto, ttl: p.ttl }, l4));
}

/** A frame: valid headers, valid headers with bytes flipped, or nothing but noise. */
const frameArb = fc.oneof(
  { weight: 6, arbitrary: packetArb.map(frameBytes) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        packetArb.map(frameBytes),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      )
      .map(([b, flips]) => {
        for (const [at, v] of flips) b[at % b.length] = v;
        return b;
      }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
);

function feed(rules: readonly Rule[], frames: readonly Uint8Array[], maxFlows: number) {
  const problems = createProblemLog();
  let alerts = 0;
  const engine = createDetectEngine({
    rules,
    problems,
    maxFlows,
    simulateIps: true,
    gate: createRuleGate([]),
    onAlert: () => alerts++,
  });
  const decoder = createDecoder(problems);
  for (const f of frames) engine.packet(decoder.decode(frame(f)));
  engine.finish();
  return { engine, alerts };
}

const varied = VARIED_RULES.map(ruleText);

test('fast-check: random and half-valid frames never make the engine throw', () => {
  fc.assert(
    fc.property(fc.array(frameArb, { maxLength: 60 }), (frames) => {
      const { engine } = feed(varied, frames, 64);
      assert.equal(engine.stats.packets, frames.length);
    }),
    { numRuns: 150 },
  );
});

test('fast-check: conversations on the well-known ports reach the app layer and stay within bounds', () => {
  // Same two hosts, replies mirrored: flows are established and the HTTP/DNS/TLS/SSH parsers see garbage.
  const convo = fc.array(fc.tuple(fc.boolean(), packetArb), { minLength: 2, maxLength: 40 }).map((steps) =>
    steps.map(([reply, p]) => {
      const sport = p.proto === 1 ? 0 : 1030;
      const port = [80, 22, 53, 443][p.sport % 4]!;
      return frameBytes(
        reply
          ? { ...p, src: 2, dst: 1, sport: port, dport: sport }
          : { ...p, src: 1, dst: 2, sport, dport: port },
      );
    }),
  );
  let inspections = 0;
  let alerts = 0;
  fc.assert(
    fc.property(convo, (frames) => {
      const r = feed(varied, frames, 64);
      assert.equal(r.engine.stats.packets, frames.length);
      inspections += r.engine.stats.inspections;
      alerts += r.alerts;
    }),
    { numRuns: 150, seed: 11 },
  );
  // The runs did reach rule evaluation and alerts, not just the header checks.
  assert.ok(inspections > 0 && alerts > 0, `inspections ${inspections}, alerts ${alerts}`);
});

test('many distinct 5-tuples: the flow table holds at most maxFlows and evicts the rest', () => {
  const maxFlows = 64;
  fc.assert(
    fc.property(fc.array(packetArb, { minLength: 100, maxLength: 300 }), (specs) => {
      // Give every packet its own 5-tuple (distinct source ports on TCP/UDP; distinct hosts on ICMP).
      const frames = specs.map((p, i) =>
        frameBytes({ ...p, proto: p.proto === 1 ? 17 : p.proto, src: 1 + (i % 200), sport: 2000 + i }),
      );
      const { engine } = feed(varied, frames, maxFlows);
      // One new flow per packet: each one past the limit evicts the least recently used.
      assert.equal(engine.stats.flowsEvicted, frames.length - maxFlows);
    }),
    { numRuns: 20 },
  );
});

const et = sharedData('rules/et-open-suricata-5.0');

test('the whole ET Open set over a few hundred random frames: no throw, bounded flows', {
  skip: et.skip,
}, () => {
  const loaded = loadRules([et.path]);
  assert.ok(loaded.rules.length > 10_000, `ET rules loaded: ${loaded.rules.length}`);
  const samples = fc.sample(fc.array(frameArb, { minLength: 300, maxLength: 300 }), { numRuns: 2, seed: 7 });
  for (const frames of samples) {
    // Fresh 5-tuples past the limit, then the random frames.
    const fresh = Array.from({ length: 100 }, (_, i) =>
      frameBytes({
        proto: 6,
        src: 1 + (i % 50),
        dst: 200,
        sport: 3000 + i,
        dport: 80,
        flags: 0x02,
        seq: 1,
        ack: 0,
        ttl: 64,
        payload: new Uint8Array(0),
      }),
    );
    const { engine } = feed(loaded.rules, [...fresh, ...frames], 64);
    assert.equal(engine.stats.packets, 400);
    assert.ok(engine.stats.flowsEvicted >= 100 - 64);
  }
});
