/**
 * The detector end to end: small captures written as pcap files, read back
 * with the real reader and decoder, run through the engine. Expectations are
 * Suricata's (flow state, flag tests, stream vs packet inspection, HTTP
 * buffers, flowbits, thresholds, IPS drop, midstream pick-up), counted per
 * rule and pinned to frame numbers where the frame matters.
 *
 * Frames of a handshake conversation: 0 SYN, 1 SYN/ACK, 2 ACK, then data.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDecoder } from '../../decode/index.js';
import { openCapture } from '../../read/index.js';
import { createProblemLog } from '../../util/problems.js';
import { createDetectEngine } from './engine.js';
import { createRuleGate } from './rule-gate.js';
import { CaptureScript, type RunResult, ruleText, runScript, TCP } from './testing.js';

const CLIENT = '10.0.0.1';
const SERVER = '10.0.0.2';

/** Frame numbers each sid alerted on, in order. */
function framesOf(r: RunResult, sid: number): number[] {
  return r.alerts.filter((a) => a.rule.sid === sid).map((a) => a.frame);
}

/** 0 SYN, 1 SYN/ACK, 2 ACK, 3 "hello", 4 ACK, 5 "world", 6 ACK, 7 FIN/ACK, 8 FIN/ACK, 9 ACK. */
function helloWorld(): CaptureScript {
  const s = new CaptureScript();
  s.tcp(CLIENT, 40000, SERVER, 80).handshake().request('hello').response('world').close();
  return s;
}

test('flow: established, not_established, to_server, to_client and stateless on a TCP handshake', () => {
  const r = runScript(helloWorld(), [
    'alert tcp any any -> any any (flow:established,to_server; sid:1;)',
    'alert tcp any any -> any any (flow:established,to_client; sid:2;)',
    'alert tcp any any -> any any (flow:not_established; sid:3;)',
    'alert tcp any any -> any any (flow:stateless; sid:4;)',
    'alert tcp any any -> any any (flow:to_server; content:"hello"; sid:5;)',
    'alert tcp any any -> any any (flow:to_client; content:"hello"; sid:6;)',
    'alert tcp any any -> any any (flow:established; flags:S; sid:7;)',
  ]);
  // Established from the handshake's last ACK on, in both directions.
  assert.deepEqual(framesOf(r, 1), [2, 3, 6, 7, 9]);
  assert.deepEqual(framesOf(r, 2), [4, 5, 8]);
  assert.deepEqual(framesOf(r, 3), [0, 1]);
  assert.deepEqual(framesOf(r, 4), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(framesOf(r, 5), [3]);
  assert.deepEqual(framesOf(r, 6), []);
  assert.deepEqual(framesOf(r, 7), []);
});

test('flow on UDP: the first packet is not established, the reply is; direction follows the first sender', () => {
  const s = new CaptureScript();
  s.udp(CLIENT, 5000, SERVER, 53, 'ping')
    .udp(SERVER, 53, CLIENT, 5000, 'pong')
    .udp(CLIENT, 5000, SERVER, 53, 'ping');
  const r = runScript(s, [
    'alert udp any any -> any any (flow:established; sid:1;)',
    'alert udp any any -> any any (flow:not_established; sid:2;)',
    'alert udp any any -> any any (flow:to_server; sid:3;)',
    'alert udp any any -> any any (flow:to_client; sid:4;)',
    'alert udp any any -> any any (flow:established,to_server; content:"ping"; sid:5;)',
  ]);
  assert.deepEqual(framesOf(r, 1), [1, 2]);
  assert.deepEqual(framesOf(r, 2), [0]);
  assert.deepEqual(framesOf(r, 3), [0, 2]);
  assert.deepEqual(framesOf(r, 4), [1]);
  assert.deepEqual(framesOf(r, 5), [2]);
});

test('flags: exact set, + (and others), * (any of), ! (none of), and a mask of ignored flags', () => {
  const r = runScript(helloWorld(), [
    'alert tcp any any -> any any (flags:S; sid:1;)',
    'alert tcp any any -> any any (flags:SA; sid:2;)',
    'alert tcp any any -> any any (flags:S+; sid:3;)',
    'alert tcp any any -> any any (flags:*FR; sid:4;)',
    'alert tcp any any -> any any (flags:!A; sid:5;)',
    'alert tcp any any -> any any (flags:A,PU; sid:6;)',
    'alert tcp any any -> any any (flags:PA; sid:7;)',
  ]);
  assert.deepEqual(framesOf(r, 1), [0]);
  assert.deepEqual(framesOf(r, 2), [1]);
  assert.deepEqual(framesOf(r, 3), [0, 1]);
  assert.deepEqual(framesOf(r, 4), [7, 8]);
  assert.deepEqual(framesOf(r, 5), [0]);
  // ACK alone once PSH and URG are ignored: every packet after the handshake but the FINs.
  assert.deepEqual(framesOf(r, 6), [2, 3, 4, 5, 6, 9]);
  assert.deepEqual(framesOf(r, 7), [3, 5]);
});

test('dsize, itype/icode, ttl and ip_proto', () => {
  const s = new CaptureScript();
  s.icmp(CLIENT, SERVER, 8, 0, 3) // 0: echo request, ttl 3
    .icmp(SERVER, CLIENT, 0, 0, 128) // 1: echo reply
    .icmp('10.0.0.9', CLIENT, 3, 3, 250) // 2: port unreachable, ttl 250
    .udp(CLIENT, 5000, '10.0.0.3', 53, 'ping') // 3
    .udp('10.0.0.3', 53, CLIENT, 5000, 'pong!'); // 4
  const r = runScript(s, [
    'alert icmp any any -> any any (itype:8; sid:1;)',
    'alert icmp any any -> any any (itype:3; icode:3; sid:2;)',
    'alert icmp any any -> any any (itype:3; icode:1; sid:3;)',
    'alert icmp any any -> any any (icode:>0; sid:4;)',
    'alert ip any any -> any any (ttl:<10; sid:5;)',
    'alert ip any any -> any any (ttl:>200; sid:6;)',
    'alert ip any any -> any any (ttl:64; sid:7;)',
    'alert ip any any -> any any (ip_proto:17; sid:8;)',
    'alert ip any any -> any any (ip_proto:1; sid:9;)',
    'alert udp any any -> any any (dsize:4; sid:10;)',
    'alert udp any any -> any any (dsize:>4; sid:11;)',
    'alert udp any any -> any any (dsize:<4; sid:12;)',
  ]);
  assert.deepEqual(framesOf(r, 1), [0]);
  assert.deepEqual(framesOf(r, 2), [2]);
  assert.deepEqual(framesOf(r, 3), []);
  assert.deepEqual(framesOf(r, 4), [2]);
  assert.deepEqual(framesOf(r, 5), [0]);
  assert.deepEqual(framesOf(r, 6), [2]);
  assert.deepEqual(framesOf(r, 7), [3, 4]);
  assert.deepEqual(framesOf(r, 8), [3, 4]);
  assert.deepEqual(framesOf(r, 9), [0, 1, 2]);
  assert.deepEqual(framesOf(r, 10), [3]);
  assert.deepEqual(framesOf(r, 11), [4]);
  assert.deepEqual(framesOf(r, 12), []);
});

/** 3 "xxEV", 4 ACK, 5 "ILyy" (completes EVIL across segments), 6 ACK, 7 "EVIL!", 8 ACK, close. */
function splitEvil(): CaptureScript {
  const s = new CaptureScript();
  s.tcp(CLIENT, 40001, SERVER, 80).handshake().request('xxEV').request('ILyy').request('EVIL!').close();
  return s;
}

const STREAM_RULES = [
  'alert tcp-stream any any -> any any (content:"EVIL"; sid:1;)',
  'alert tcp-pkt any any -> any any (content:"EVIL"; sid:2;)',
  'alert tcp any any -> any any (content:"EVIL"; sid:3;)',
  'alert tcp-pkt any any -> any any (content:"xxEV"; sid:4;)',
];

test('a content split across two segments: stream rules see it once, packet rules never', () => {
  for (const idsTiming of [false, true]) {
    const r = runScript(splitEvil(), STREAM_RULES, { idsTiming });
    // The split EVIL is completed by frame 5; only the stream holds it.
    assert.equal(framesOf(r, 1)[0], 5, `idsTiming ${idsTiming}`);
    assert.equal(framesOf(r, 1).filter((f) => f === 5).length, 1);
    // Packet inspection finds only the whole EVIL in frame 7.
    assert.deepEqual(framesOf(r, 2), [7]);
    // tcp inspects both: the stream at 5 and the packet at 7, once each.
    assert.deepEqual(framesOf(r, 3), [5, 7]);
    assert.deepEqual(framesOf(r, 4), [3]);
  }
});

test('stream inspection reports a later occurrence in new data too', () => {
  const r = runScript(splitEvil(), STREAM_RULES);
  assert.deepEqual(framesOf(r, 1), [5, 7]);
});

test('stream rules whose fast pattern lies before the new segment, or across its start, are still selected', () => {
  const s = new CaptureScript();
  s.tcp(CLIENT, 40002, SERVER, 80)
    .handshake()
    .request(`LONGFASTPATTERN${'.'.repeat(900)}`)
    .request('..BOUNDARY')
    .request(`PATTERN${'.'.repeat(23)}END`)
    .close();
  const r = runScript(s, [
    // The fast pattern (the longest content) came in frame 3; the match completes in frame 7, 940 bytes on.
    'alert tcp-stream any any -> any any (content:"LONGFASTPATTERN"; content:"END"; distance:0; within:1100; sid:1;)',
    // The fast pattern starts in frame 5's data and ends in frame 7's.
    'alert tcp-stream any any -> any any (content:"BOUNDARYPATTERN"; sid:2;)',
    'alert tcp-pkt any any -> any any (content:"BOUNDARYPATTERN"; sid:3;)',
  ]);
  assert.deepEqual(framesOf(r, 1), [7]);
  assert.deepEqual(framesOf(r, 2), [7]);
  assert.deepEqual(framesOf(r, 3), []);
});

test('response data the capture lost but the client acknowledged is a gap, reported to the HTTP parser', () => {
  const run = (lost: boolean) => {
    const s = new CaptureScript();
    const t = s.tcp(CLIENT, 40003, SERVER, 80).handshake().request('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    // The server's direction carries nothing the capture kept: only the client's ACK tells.
    if (lost) t.lose(false, 100).ack(true);
    const problems = createProblemLog();
    const rules = [ruleText('alert http any any -> any any (http.stat_code; content:"200"; sid:1;)')];
    const engine = createDetectEngine({ rules, problems, onAlert: () => {} });
    const reader = openCapture(s.write(), problems)!;
    const decoder = createDecoder(problems);
    for (let f = reader.next(); f; f = reader.next()) engine.packet(decoder.decode(f));
    reader.close();
    engine.finish();
    return problems.counts.get('http1.gap') ?? 0;
  };
  assert.equal(run(false), 0);
  assert.equal(run(true), 1);
});

const REQUEST = 'GET /admin.php?x=1 HTTP/1.1\r\nHost: victim\r\nUser-Agent: EvilScanner/1.0\r\n\r\n';
const RESPONSE = 'HTTP/1.1 404 Not Found\r\nContent-Length: 11\r\nContent-Type: text/html\r\n\r\nnot here :(';

/** Request at frame 3, response at frame 5. */
function httpExchange(uri = '/admin.php?x=1'): CaptureScript {
  const s = new CaptureScript();
  s.tcp(CLIENT, 40000, SERVER, 80)
    .handshake()
    .request(REQUEST.replace('/admin.php?x=1', uri))
    .response(RESPONSE)
    .close();
  return s;
}

test('HTTP buffers: http.uri, http.user_agent, http.stat_code and file.data on an HTTP/1.1 exchange', () => {
  for (const idsTiming of [false, true]) {
    const r = runScript(
      httpExchange(),
      [
        'alert http any any -> any any (http.uri; content:"/admin.php"; sid:1;)',
        'alert http any any -> any any (http.user_agent; content:"EvilScanner"; sid:2;)',
        'alert http any any -> any any (http.stat_code; content:"404"; sid:3;)',
        'alert http any any -> any any (file.data; content:"not here"; sid:4;)',
        'alert http any any -> any any (http.uri; content:"/index"; sid:5;)',
        'alert http any any -> any any (http.stat_code; content:"200"; sid:6;)',
        'alert http any any -> any any (http.user_agent; content:"Evil"; startswith; http.uri; content:"x=1"; endswith; sid:7;)',
        // The URI buffer is the request line's URI, not the whole request.
        'alert http any any -> any any (http.uri; content:"Host"; sid:8;)',
      ],
      { idsTiming },
    );
    const why = `idsTiming ${idsTiming}`;
    assert.equal(r.count(1), 1, why);
    assert.equal(r.count(2), 1, why);
    assert.equal(r.count(3), 1, why);
    assert.equal(r.count(4), 1, why);
    assert.equal(r.count(5), 0, why);
    assert.equal(r.count(6), 0, why);
    assert.equal(r.count(7), 1, why);
    assert.equal(r.count(8), 0, why);
    const uri = r.alerts.find((a) => a.rule.sid === 1)!;
    assert.equal(uri.src, CLIENT);
    assert.equal(uri.toServer, true);
    assert.equal(Buffer.from(uri.http?.uri ?? []).toString('latin1'), '/admin.php?x=1');
    const stat = r.alerts.find((a) => a.rule.sid === 3)!;
    assert.equal(stat.src, SERVER);
    assert.equal(stat.toServer, false);
  }
});

test('flowbits: set on the request, tested on the response of the same flow only', () => {
  const s = new CaptureScript();
  s.tcp(CLIENT, 40000, SERVER, 80).handshake().request(REQUEST).response(RESPONSE).close();
  s.tcp(CLIENT, 40002, SERVER, 80)
    .handshake()
    .request(REQUEST.replace('/admin.php', '/public'))
    .response(RESPONSE)
    .close();
  const r = runScript(s, [
    'alert http any any -> any any (flow:to_server; http.uri; content:"/admin"; flowbits:set,asked; flowbits:noalert; sid:1;)',
    'alert http any any -> any any (flowbits:isset,asked; http.stat_code; content:"404"; sid:2;)',
    'alert http any any -> any any (flowbits:isnotset,asked; http.stat_code; content:"404"; sid:3;)',
    'alert http any any -> any any (flowbits:isset,never; http.stat_code; content:"404"; sid:4;)',
  ]);
  assert.equal(r.count(1), 0, 'noalert keeps the setter quiet');
  const isset = r.alerts.filter((a) => a.rule.sid === 2);
  assert.equal(isset.length, 1);
  assert.equal(isset[0]!.dstPort, 40000);
  assert.ok(isset[0]!.flowbits?.includes('asked'));
  const isnotset = r.alerts.filter((a) => a.rule.sid === 3);
  assert.equal(isnotset.length, 1);
  assert.equal(isnotset[0]!.dstPort, 40002);
  assert.equal(r.count(4), 0);
});

test('threshold: limit, threshold and both count matches per source', () => {
  const s = new CaptureScript();
  const c = s.tcp(CLIENT, 40000, SERVER, 80).handshake();
  // Knocks at frames 3, 5, 7, 9, 11.
  for (let i = 0; i < 5; i++) c.request(`knock ${i}`);
  c.close();
  const r = runScript(
    s,
    [
      'alert tcp any any -> any any (content:"knock"; threshold: type limit, track by_src, count 2, seconds 60; sid:1;)',
      'alert tcp any any -> any any (content:"knock"; threshold: type both, track by_src, count 3, seconds 60; sid:2;)',
      'alert tcp any any -> any any (content:"knock"; threshold: type threshold, track by_src, count 2, seconds 60; sid:3;)',
      'alert tcp any any -> any any (content:"knock"; sid:4;)',
    ],
    { gate: createRuleGate([]) },
  );
  assert.deepEqual(framesOf(r, 1), [3, 5]);
  assert.deepEqual(framesOf(r, 2), [7]);
  assert.deepEqual(framesOf(r, 3), [5, 9]);
  assert.deepEqual(framesOf(r, 4), [3, 5, 7, 9, 11]);
  assert.equal(r.engine.stats.quiet, 3 + 4 + 3);
});

test('<> matches packets in both directions; -> only the one written', () => {
  const r = runScript(httpExchange(), [
    `alert tcp ${CLIENT} any <> ${SERVER} 80 (content:"HTTP/1.1"; sid:1;)`,
    `alert tcp ${CLIENT} any -> ${SERVER} 80 (content:"HTTP/1.1"; sid:2;)`,
    `alert tcp ${SERVER} 80 -> ${CLIENT} any (content:"HTTP/1.1"; sid:3;)`,
    `alert tcp ${SERVER} any <> ${CLIENT} 81 (content:"HTTP/1.1"; sid:4;)`,
  ]);
  assert.deepEqual(framesOf(r, 1), [3, 5]);
  assert.deepEqual(framesOf(r, 2), [3]);
  assert.deepEqual(framesOf(r, 3), [5]);
  assert.deepEqual(framesOf(r, 4), []);
});

test('drop with IPS simulation blocks the flow: later packets of it raise nothing, other flows do', () => {
  const s = new CaptureScript();
  // Flow A: 3 "bad", 5 "more"; flow B (port 40002) sends "more" at frame 13.
  s.tcp(CLIENT, 40000, SERVER, 80).handshake().request('bad').request('more').close();
  s.tcp(CLIENT, 40002, SERVER, 80).handshake().request('more').close();
  const rules = [
    'drop tcp any any -> any any (content:"bad"; sid:1;)',
    'alert tcp any any -> any any (content:"more"; sid:2;)',
  ];
  const ips = runScript(s, rules, { simulateIps: true });
  assert.deepEqual(
    ips.alerts.map((a) => [a.rule.sid, a.frame, a.action]),
    [
      [1, 3, 'blocked'],
      [2, 13, 'allowed'],
    ],
  );
  const ids = runScript(s, rules, { simulateIps: false });
  assert.deepEqual(
    ids.alerts.map((a) => [a.rule.sid, a.frame, a.action]),
    [
      [1, 3, 'allowed'],
      [2, 5, 'allowed'],
      [2, 13, 'allowed'],
    ],
  );
});

/** No handshake: 0 "xxEV", 1 ACK, 2 "ILyy", 3 ACK. */
function midstreamFlow(): CaptureScript {
  const s = new CaptureScript();
  s.tcp(CLIENT, 40000, SERVER, 80)
    .seg(true, TCP.ACK | TCP.PSH, 'xxEV')
    .ack(false)
    .seg(true, TCP.ACK | TCP.PSH, 'ILyy')
    .ack(false);
  return s;
}

const MIDSTREAM_RULES = [
  'alert tcp-stream any any -> any any (content:"EVIL"; sid:1;)',
  'alert tcp any any -> any any (flow:established; content:"xx"; sid:2;)',
  'alert tcp any any -> any any (content:"xxEV"; sid:3;)',
];

test('midstream off: a flow without its SYN is not a stream and never established; packets are still inspected', () => {
  const r = runScript(midstreamFlow(), MIDSTREAM_RULES, { midstream: false });
  assert.deepEqual(framesOf(r, 1), []);
  assert.deepEqual(framesOf(r, 2), []);
  assert.deepEqual(framesOf(r, 3), [0]);
});

test('midstream on: the flow is picked up as an established stream', () => {
  const r = runScript(midstreamFlow(), MIDSTREAM_RULES, { midstream: true });
  assert.deepEqual(framesOf(r, 1), [2]);
  assert.deepEqual(framesOf(r, 2), [0]);
  assert.deepEqual(framesOf(r, 3), [0]);
});

test('stream data never acknowledged is not reported twice at the end of the flow', () => {
  const s = new CaptureScript();
  // A one-sided midstream capture: no acknowledgements at all.
  s.tcp(CLIENT, 40000, SERVER, 80)
    .seg(true, TCP.ACK | TCP.PSH, 'xxEV')
    .seg(true, TCP.ACK | TCP.PSH, 'ILyy');
  const r = runScript(s, MIDSTREAM_RULES, { midstream: true });
  assert.equal(r.count(1), 1);
  assert.equal(r.count(2), 1);
});
