import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../../test/support/env.js';
import { normalizeLogRecord } from '../../normalize/index.js';
import { netflowToEvent } from '../../normalize/netflow.js';
import { firewallReader } from '../../read/firewall/index.js';
import { eveReader } from '../../read/ids/eve.js';
import { readLogFile } from '../../read/logs.js';
import { parseNfdumpCsv } from '../../read/netflow/nfdump-csv.js';
import { sshdReader } from '../../read/sshd/index.js';
import { defaultLineContext, isProblem, type LogReader } from '../../read/syslog/types.js';
import { weblogReader } from '../../read/weblog/index.js';
import { zeekReader } from '../../read/zeek/index.js';
import { type Event, eventTypes, sourceKinds } from '../../schema/event.js';
import { createProblemLog } from '../../util/problems.js';
import type { AuthAttempt, Contact } from './contact.js';
import { authFromEvent, contactFromEvent } from './from-event.js';

/** One log line through the real reader and normalizer. */
function eventOf(reader: LogReader, line: string): Event {
  const ctx = defaultLineContext({ file: 'unit.log', referenceTime: 1795950000 });
  const r = reader.parseLine(line, ctx);
  assert.ok(r && !isProblem(r), `reader ${reader.name} did not parse: ${line}`);
  const e = normalizeLogRecord(r, { file: 'unit.log', line: 1 });
  assert.ok(e, `no event for: ${line}`);
  return e;
}
const contactOf = (reader: LogReader, line: string) => contactFromEvent(eventOf(reader, line));
const authOf = (reader: LogReader, line: string) => authFromEvent(eventOf(reader, line));

const ipt = (prefix: string, rest: string) =>
  `Nov 23 11:12:11 gw kernel: [ 4926.4] ${prefix} IN=eth0 OUT=eth1 SRC=10.99.1.66 DST=10.99.0.23 LEN=40 TOS=0x00 PREC=0x00 TTL=254 ID=1 ${rest}`;
const asa = (body: string) => `Nov 23 11:12:11 asa1 : ${body}`;

test('iptables deny of a SYN is a blocked SYN contact with ports', () => {
  const c = contactOf(
    firewallReader,
    ipt('PICKET-DENY', 'PROTO=TCP SPT=52331 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0'),
  );
  assert.ok(c);
  assert.equal(c.src, '10.99.1.66');
  assert.equal(c.dst, '10.99.0.23');
  assert.equal(c.proto, 'tcp');
  assert.equal(c.srcPort, 52331);
  assert.equal(c.dstPort, 22);
  assert.equal(c.outcome, 'blocked');
  assert.equal(c.flagClass, 'syn');
  assert.equal(c.sourceKind, 'firewall');
  assert.equal(c.format, 'iptables');
  assert.equal(c.origPkts, 1);
  assert.equal(c.respPkts, 0);
});

test('iptables flag words give NULL and Xmas classes; ACCEPT is passed with outcome unknown', () => {
  const nul = contactOf(firewallReader, ipt('DROP', 'PROTO=TCP SPT=1 DPT=80 WINDOW=512 RES=0x00 URGP=0'));
  assert.equal(nul?.flagClass, 'null');
  const xmas = contactOf(
    firewallReader,
    ipt('DROP', 'PROTO=TCP SPT=1 DPT=80 WINDOW=512 RES=0x00 URG PSH FIN URGP=0'),
  );
  assert.equal(xmas?.flagClass, 'xmas');
  const ok = contactOf(
    firewallReader,
    ipt('FW-ACCEPT', 'PROTO=TCP SPT=1 DPT=80 WINDOW=512 RES=0x00 SYN URGP=0'),
  );
  assert.equal(ok?.outcome, 'unknown');
  const plain = contactOf(firewallReader, ipt('LOGGED', 'PROTO=UDP SPT=5353 DPT=53 LEN=20'));
  assert.equal(plain?.outcome, 'unknown');
  assert.equal(plain?.proto, 'udp');
});

test('iptables ICMP: echo request keeps its type; a denied port unreachable becomes an error reply', () => {
  const echo = contactOf(firewallReader, ipt('DROP', 'PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=1'));
  assert.equal(echo?.icmpType, 8);
  assert.equal(echo?.srcPort, -1);
  assert.equal(echo?.errorReply, undefined);
  const unreach = contactOf(
    firewallReader,
    ipt(
      'DROP',
      'PROTO=ICMP TYPE=3 CODE=3 [SRC=10.99.0.23 DST=10.99.1.66 LEN=32 PROTO=UDP SPT=53 DPT=7 LEN=12 ]',
    ),
  );
  assert.ok(unreach);
  assert.equal(unreach.errorReply, true);
  assert.equal(unreach.src, '10.99.0.23');
  assert.equal(unreach.dst, '10.99.1.66');
  assert.equal(unreach.outcome, 'blocked');
});

test('pf filterlog block with compact flags S is a blocked SYN; pass is unknown', () => {
  const line = (action: string, flags: string) =>
    `Nov 23 11:12:11 fw filterlog[12]: 5,,,1000000103,em0,match,${action},in,4,0x0,,64,0,0,DF,6,tcp,60,1.2.3.4,5.6.7.8,5555,22,0,${flags},1,,1024,,`;
  const b = contactOf(firewallReader, line('block', 'S'));
  assert.equal(b?.format, 'pf');
  assert.equal(b?.outcome, 'blocked');
  assert.equal(b?.flagClass, 'syn');
  const fpu = contactOf(firewallReader, line('block', 'FPU'));
  assert.equal(fpu?.flagClass, 'xmas');
  const p = contactOf(firewallReader, line('pass', 'S'));
  assert.equal(p?.outcome, 'unknown');
});

test('ASA denies: 106023 by access-group and 106001 with flag words', () => {
  const d = contactOf(
    firewallReader,
    asa(
      '%ASA-4-106023: Deny tcp src outside:203.0.113.9/40000 dst inside:10.0.0.5/23 by access-group "acl_in" [0x0, 0x0]',
    ),
  );
  assert.equal(d?.outcome, 'blocked');
  assert.equal(d?.dstPort, 23);
  const f = contactOf(
    firewallReader,
    asa(
      '%ASA-2-106001: Inbound TCP connection denied from 203.0.113.9/40000 to 10.0.0.5/80 flags FIN PSH URG on interface outside',
    ),
  );
  assert.equal(f?.flagClass, 'xmas');
  assert.equal(f?.outcome, 'blocked');
});

test('ASA connections: Built gives none, Teardown tells how it ended', () => {
  assert.equal(
    contactOf(
      firewallReader,
      asa(
        '%ASA-6-302013: Built inbound TCP connection 11 for outside:203.0.113.9/21647 (203.0.113.9/21647) to inside:10.0.0.5/22 (10.0.0.5/22)',
      ),
    ),
    undefined,
  );
  const syn = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302014: Teardown TCP connection 11 for outside:203.0.113.9/21647 to inside:10.0.0.5/22 duration 0:00:30 bytes 0 SYN Timeout',
    ),
  );
  assert.equal(syn?.outcome, 'unanswered');
  assert.equal(syn?.src, '203.0.113.9');
  assert.equal(syn!.end - syn!.ts, 30);
  const rst = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302014: Teardown TCP connection 12 for outside:203.0.113.9/21648 to inside:10.0.0.5/23 duration 0:00:00 bytes 0 TCP Reset-I',
    ),
  );
  assert.equal(rst?.outcome, 'rejected');
  const probe = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302014: Teardown TCP connection 13 for outside:203.0.113.9/21649 to inside:10.0.0.5/80 duration 0:00:00 bytes 0 TCP Reset-O',
    ),
  );
  assert.equal(probe?.outcome, 'answered');
  assert.equal(probe?.established, false);
  const fins = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302014: Teardown TCP connection 14 for outside:203.0.113.9/21650 to inside:10.0.0.5/22 duration 0:00:53 bytes 2436 TCP FINs',
    ),
  );
  assert.equal(fins?.outcome, 'answered');
  assert.equal(fins?.established, true);
  // A client inside reaching a server outside: the teardown names the server first.
  const out = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302014: Teardown TCP connection 9 for outside:198.51.100.7/443 to inside:10.0.0.5/53496 duration 0:00:30 bytes 0 SYN Timeout',
    ),
  );
  assert.equal(out?.src, '10.0.0.5');
  assert.equal(out?.dst, '198.51.100.7');
  assert.equal(out?.dstPort, 443);
  const udp = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302016: Teardown UDP connection 15 for outside:203.0.113.9/5353 to inside:10.0.0.5/53 duration 0:02:01 bytes 124',
    ),
  );
  assert.equal(udp?.outcome, 'unknown');
  assert.equal(udp?.proto, 'udp');
});

test('ASA rate-limit drops are no contact', () => {
  const e = eventOf(
    firewallReader,
    asa(
      '%ASA-4-733100: [ 203.0.113.9] drop rate-1 exceeded. Current burst rate is 10 per second, max configured rate is 8; Current average rate is 5 per second, max configured rate is 4; Cumulative total count is 3000',
    ),
  );
  assert.equal(e.type, 'rate-limit');
  assert.equal(contactFromEvent(e), undefined);
});

const zeek = (o: Record<string, unknown>) =>
  JSON.stringify({
    _path: 'conn',
    ts: 1795950731.5,
    uid: 'CjQ1a2',
    'id.orig_h': '10.99.1.66',
    'id.orig_p': 40000,
    'id.resp_h': '10.99.0.10',
    'id.resp_p': 81,
    proto: 'tcp',
    ...o,
  });

test('Zeek conn.log: S0 unanswered, REJ rejected, SF established with its service', () => {
  const s0 = contactOf(zeekReader, zeek({ conn_state: 'S0', history: 'S', orig_pkts: 1, resp_pkts: 0 }));
  assert.equal(s0?.outcome, 'unanswered');
  assert.equal(s0?.flagClass, 'syn');
  const rej = contactOf(zeekReader, zeek({ conn_state: 'REJ', history: 'Sr', orig_pkts: 1, resp_pkts: 1 }));
  assert.equal(rej?.outcome, 'rejected');
  const sf = contactOf(
    zeekReader,
    zeek({
      conn_state: 'SF',
      history: 'ShADadFf',
      service: 'ssh',
      duration: 2.5,
      orig_pkts: 20,
      resp_pkts: 18,
      orig_bytes: 2000,
      resp_bytes: 3000,
    }),
  );
  assert.equal(sf?.outcome, 'answered');
  assert.equal(sf?.established, true);
  assert.equal(sf?.service, 'ssh');
  assert.equal(sf?.respBytes, 3000);
  assert.equal(sf!.end - sf!.ts, 2.5);
  // A SYN answered by SYN-ACK and torn down by the scanner's RST: answered, not established.
  const shr = contactOf(zeekReader, zeek({ conn_state: 'RSTO', history: 'ShR', orig_pkts: 2, resp_pkts: 1 }));
  assert.equal(shr?.outcome, 'answered');
  assert.equal(shr?.established, false);
  // A FIN probe reset by a closed port.
  const fin = contactOf(zeekReader, zeek({ conn_state: 'RSTR', history: 'Fr', orig_pkts: 1, resp_pkts: 1 }));
  assert.equal(fin?.outcome, 'rejected');
});

test('Zeek conn.log ICMP: echo keeps its type, a port unreachable becomes an error reply to the prober', () => {
  const echo = contactOf(
    zeekReader,
    zeek({ proto: 'icmp', 'id.orig_p': 8, 'id.resp_p': 0, conn_state: 'OTH', orig_pkts: 1, resp_pkts: 1 }),
  );
  assert.equal(echo?.icmpType, 8);
  assert.equal(echo?.outcome, 'answered');
  const un = contactOf(
    zeekReader,
    zeek({
      proto: 'icmp',
      'id.orig_h': '10.99.0.12',
      'id.orig_p': 3,
      'id.resp_h': '10.99.1.80',
      'id.resp_p': 3,
      conn_state: 'OTH',
      orig_pkts: 1,
      resp_pkts: 0,
    }),
  );
  assert.equal(un?.errorReply, true);
  assert.equal(un?.src, '10.99.1.80');
  assert.equal(un?.dst, '10.99.0.12');
  assert.equal(un?.outcome, 'rejected');
});

test('Zeek dns.log is no contact (conn.log holds the same exchange)', () => {
  const e = eventOf(zeekReader, zeek({ _path: 'dns', proto: 'udp', query: 'example.com', 'id.resp_p': 53 }));
  assert.equal(contactFromEvent(e), undefined);
});

const eve = (o: Record<string, unknown>) =>
  JSON.stringify({
    timestamp: '2026-11-23T11:13:00.000000+0000',
    flow_id: 1,
    src_ip: '10.99.1.66',
    src_port: 40000,
    dest_ip: '10.99.0.10',
    dest_port: 443,
    proto: 'TCP',
    ...o,
  });

test('Suricata EVE flow: responder flags decide; netflow records are no contact', () => {
  const flow = (tc: string, pktsTc: number, action?: string) =>
    eve({
      event_type: 'flow',
      flow: {
        pkts_toserver: 1,
        pkts_toclient: pktsTc,
        bytes_toserver: 60,
        bytes_toclient: pktsTc * 54,
        start: '2026-11-23T11:12:20.000000+0000',
        end: '2026-11-23T11:12:21.000000+0000',
        state: 'closed',
        ...(action ? { action } : {}),
      },
      tcp: { tcp_flags_ts: '02', tcp_flags_tc: tc },
    });
  const rej = contactOf(eveReader, flow('14', 1));
  assert.equal(rej?.outcome, 'rejected');
  assert.equal(rej?.flagClass, 'syn');
  const ans = contactOf(eveReader, flow('12', 1));
  assert.equal(ans?.outcome, 'answered');
  const none = contactOf(eveReader, flow('00', 0));
  assert.equal(none?.outcome, 'unanswered');
  const dropped = contactOf(eveReader, flow('00', 0, 'drop'));
  assert.equal(dropped?.outcome, 'blocked');
  const nf = eventOf(
    eveReader,
    eve({
      event_type: 'netflow',
      netflow: { pkts: 1, bytes: 60, start: '2026-11-23T11:12:20Z', end: '2026-11-23T11:12:20Z' },
    }),
  );
  assert.equal(contactFromEvent(nf), undefined);
});

test('sshd "Connection from" is an answered, established ssh contact', () => {
  const c = contactOf(
    sshdReader,
    'Nov 23 11:12:20 lab-ssh sshd[27444]: Connection from 10.99.1.67 port 60200 on 10.99.0.11 port 22 rdomain ""',
  );
  assert.ok(c);
  assert.equal(c.outcome, 'answered');
  assert.equal(c.established, true);
  assert.equal(c.service, 'ssh');
  assert.equal(c.dst, '10.99.0.11');
  assert.equal(c.dstPort, 22);
});

test('NetFlow records are no contact by themselves (they are paired first)', () => {
  const csv = readFileSync(join(repoRoot, 'examples/lab/netflow/flows.csv'), 'utf8')
    .split('\n')
    .slice(0, 3)
    .join('\n');
  const events: Event[] = [];
  parseNfdumpCsv(
    csv,
    (r) => {
      const e = netflowToEvent(r, { file: 'flows.csv' });
      if (e) events.push(e);
    },
    () => {},
    { file: 'flows.csv' },
  );
  assert.equal(events.length, 2);
  for (const e of events) assert.equal(contactFromEvent(e), undefined);
});

const sshd = (msg: string) => `Nov 23 11:12:20 lab-ssh sshd[27444]: ${msg}`;

test('sshd failures, invalid users and successes are login attempts with user and host', () => {
  const f = authOf(sshdReader, sshd('Failed password for root from 10.99.1.67 port 60222 ssh2'));
  assert.deepEqual(
    [f?.src, f?.service, f?.user, f?.result, f?.host, f?.sourceKind],
    ['10.99.1.67', 'ssh', 'root', 'failure', 'lab-ssh', 'sshd'],
  );
  const fi = authOf(
    sshdReader,
    sshd('Failed password for invalid user admin from 10.99.1.67 port 60206 ssh2'),
  );
  assert.equal(fi?.result, 'invalid-user');
  assert.equal(fi?.user, 'admin');
  const inv = authOf(sshdReader, sshd('Invalid user admin from 10.99.1.67 port 60206'));
  assert.equal(inv?.result, 'invalid-user');
  const ok = authOf(sshdReader, sshd('Accepted password for labuser from 10.99.1.80 port 48186 ssh2'));
  assert.equal(ok?.result, 'success');
  assert.equal(ok?.user, 'labuser');
});

test('sshd PAM failure and max-auth lines repeat a logged try, and disconnects are none', () => {
  assert.equal(
    authOf(
      sshdReader,
      sshd(
        'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.99.1.67  user=root',
      ),
    ),
    undefined,
  );
  assert.equal(
    authOf(
      sshdReader,
      sshd(
        'error: maximum authentication attempts exceeded for root from 10.99.1.67 port 60222 ssh2 [preauth]',
      ),
    ),
    undefined,
  );
  assert.equal(
    authOf(sshdReader, sshd('Received disconnect from 10.99.1.67 port 60194:11: Bye Bye [preauth]')),
    undefined,
  );
});

test('Zeek ssh.log auth_success F / T are a failure / a success against the server', () => {
  const line = (ok: boolean) =>
    JSON.stringify({
      _path: 'ssh',
      ts: 1795950740,
      uid: 'C1',
      'id.orig_h': '10.99.1.67',
      'id.orig_p': 60200,
      'id.resp_h': '10.99.0.11',
      'id.resp_p': 22,
      auth_success: ok,
      auth_attempts: 3,
    });
  const f = authOf(zeekReader, line(false));
  assert.equal(f?.result, 'failure');
  assert.equal(f?.dst, '10.99.0.11');
  assert.equal(f?.dstPort, 22);
  assert.equal(f?.service, 'ssh');
  assert.equal(authOf(zeekReader, line(true))?.result, 'success');
});

const nginx = (method: string, uri: string, status: number, user = '-') =>
  `10.99.1.68 - ${user} [23/Nov/2026:11:12:20 +0000] "${method} ${uri} HTTP/1.1" ${status} 153 "-" "curl/7.88.1"`;

test('HTTP 401 is a failed http login with its basic-auth user; 403 is not a login try', () => {
  const a = authOf(weblogReader, nginx('GET', '/admin/', 401, 'bob'));
  assert.equal(a?.result, 'failure');
  assert.equal(a?.service, 'http');
  assert.equal(a?.user, 'bob');
  assert.equal(authOf(weblogReader, nginx('GET', '/admin/', 403)), undefined);
  assert.equal(authOf(weblogReader, nginx('GET', '/', 200)), undefined);
});

test('WordPress form logins: POST wp-login.php 200 fails, 302 succeeds; other actions and GET are none', () => {
  assert.equal(authOf(weblogReader, nginx('POST', '/wp-login.php', 200))?.result, 'failure');
  assert.equal(authOf(weblogReader, nginx('POST', '/blog/wp-login.php', 302))?.result, 'success');
  assert.equal(authOf(weblogReader, nginx('POST', '/wp-login.php?action=lostpassword', 302)), undefined);
  assert.equal(authOf(weblogReader, nginx('GET', '/wp-login.php', 200)), undefined);
  assert.equal(authOf(weblogReader, nginx('POST', '/wp-login.php.bak', 200)), undefined);
});

test('Suricata EVE http 401 is a failed http login against the server', () => {
  const a = authOf(
    eveReader,
    eve({
      event_type: 'http',
      dest_port: 80,
      http: {
        hostname: 'x',
        url: '/admin',
        http_method: 'GET',
        status: 401,
        protocol: 'HTTP/1.1',
        length: 10,
      },
    }),
  );
  assert.equal(a?.result, 'failure');
  assert.equal(a?.dst, '10.99.0.10');
  assert.equal(a?.dstPort, 80);
});

/** All events of a log file through the real reader (sniffed) and normalizer. */
async function logEvents(rel: string): Promise<Event[]> {
  const out: Event[] = [];
  const problems = createProblemLog();
  await readLogFile(join(repoRoot, rel), problems, (r, _reader, ctx) => {
    const e = normalizeLogRecord(r, { file: rel, line: ctx.line });
    if (e) out.push(e);
  });
  assert.equal(problems.total(), 0, `problems reading ${rel}`);
  return out;
}

test('lab firewall.log: blocked SYN contacts from the scanner to 10.99.0.16/28 and the gateway on 22, and to the nmap ports it logged', async () => {
  const contacts = (await logEvents('examples/lab/firewall.log'))
    .map(contactFromEvent)
    .filter((c): c is Contact => c !== undefined);
  const lines = readFileSync(join(repoRoot, 'examples/lab/firewall.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('SRC='));
  assert.equal(contacts.length, lines.length, 'every LOG line is a contact');
  for (const c of contacts) {
    assert.equal(c.src, '10.99.1.66');
    assert.equal(c.outcome, 'blocked');
    assert.equal(c.flagClass, 'syn');
  }
  const lab = JSON.parse(readFileSync(join(repoRoot, 'examples/lab/lab.json'), 'utf8')) as {
    dark_addresses: string[];
  };
  const truth = readFileSync(join(repoRoot, 'examples/lab/truth.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; src: string; ports: number[]; targets: string[] });
  // truth: masscan's port-22 probes to 10.99.0.16/28 and to the gateway are dropped and logged.
  const sweep = new Set(contacts.filter((c) => c.dstPort === 22).map((c) => c.dst));
  const expected = new Set(['10.99.0.1', ...Array.from({ length: 16 }, (_, i) => `10.99.0.${16 + i}`)]);
  assert.deepEqual([...sweep].sort(), [...expected].sort());
  const darkInRange = lab.dark_addresses.filter((a) => Number(a.split('.')[3]) >= 16);
  for (const a of darkInRange) assert.ok(sweep.has(a), `dark ${a} probed on 22`);
  const nmap = truth.find((t) => t.id === 'nmap-syn-web')!;
  const scanned = contacts.filter((c) => c.dst === nmap.targets[0]);
  assert.ok(scanned.length > 0);
  for (const c of scanned) assert.ok(nmap.ports.includes(c.dstPort), `port ${c.dstPort} is one nmap scanned`);
  assert.deepEqual(
    [...new Set(scanned.map((c) => c.dstPort))].sort((a, b) => a - b),
    [23, 443, 3389],
  );
});

test('lab auth.log: every Failed/Invalid line from the brute forcer is an attempt, one success from the benign client', async () => {
  const attempts = (await logEvents('examples/lab/auth.log'))
    .map(authFromEvent)
    .filter((a): a is AuthAttempt => a !== undefined);
  const text = readFileSync(join(repoRoot, 'examples/lab/auth.log'), 'utf8');
  const failLines = text
    .split('\n')
    .filter((l) => /sshd\[\d+\]: (Failed \S+ for|Invalid user) .* from 10\.99\.1\.67 /.test(l));
  const brute = attempts.filter((a) => a.src === '10.99.1.67');
  assert.equal(brute.length, failLines.length);
  assert.equal(brute.length, 28);
  assert.ok(brute.every((a) => a.result !== 'success' && a.service === 'ssh' && a.host === 'lab-ssh'));
  assert.deepEqual([...new Set(brute.map((a) => a.user))].sort(), [
    'admin',
    'labuser',
    'oracle',
    'root',
    'test',
    'ubuntu',
  ]);
  const benign = attempts.filter((a) => a.src === '10.99.1.80');
  assert.deepEqual(
    benign.map((a) => [a.result, a.user]),
    [['success', 'labuser']],
  );
  assert.equal(attempts.length, brute.length + benign.length);
});

const arbEvent: fc.Arbitrary<Event> = fc.record(
  {
    ts: fc.oneof(fc.double(), fc.integer()),
    uid: fc.string({ minLength: 1, maxLength: 8 }),
    type: fc.constantFrom(...eventTypes),
    classUid: fc.constantFrom(4001 as const, 4002 as const, 4007 as const, 3002 as const, 2004 as const),
    activityId: fc.integer({ min: 0, max: 99 }),
    src: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 10 })),
    srcPort: fc.integer({ min: 0, max: 65535 }),
    dst: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')),
    dstPort: fc.integer({ min: 0, max: 65535 }),
    proto: fc.constantFrom('tcp', 'udp', 'icmp', 'icmp6', 'ipv6-icmp', '47', 'TCP', ''),
    user: fc.string({ maxLength: 10 }),
    bytes: fc.nat(),
    packets: fc.nat(),
    count: fc.nat(),
    http: fc.record(
      {
        method: fc.constantFrom('GET', 'POST', 'post', 'X'),
        uri: fc.oneof(
          fc.constantFrom('/wp-login.php', '/wp-login.php?action=', '/'),
          fc.string({ maxLength: 30 }),
        ),
        status: fc.constantFrom(200, 302, 401, 403, -1),
      },
      { requiredKeys: [] },
    ),
    message: fc.constant('m'),
    source: fc.record({
      kind: fc.constantFrom(...sourceKinds),
      format: fc.constantFrom(
        'iptables',
        'asa',
        'pf',
        'zeek-conn',
        'zeek-ssh',
        'openssh',
        'nfdump-csv',
        'suricata-eve',
        '',
      ),
    }),
    attrs: fc.dictionary(
      fc.constantFrom(
        'flags',
        'icmpType',
        'icmp_type',
        'messageId',
        'outcome',
        'direction',
        'duration',
        'reason',
        'conn_state',
        'history',
        'orig_pkts',
        'resp_pkts',
        'resp_bytes',
        'service',
        'eventType',
        'pktsToClient',
        'tcpFlagsToClient',
        'tcpFlagsToServer',
        'verdict',
        'sshdEvent',
        'invalidUser',
        'end',
      ),
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.double(),
        fc.integer(),
        fc.constantFrom('302014', 'Teardown', 'flow', 'S0'),
      ),
    ),
  },
  {
    requiredKeys: ['ts', 'uid', 'type', 'classUid', 'activityId', 'src', 'message', 'source'],
  },
) as fc.Arbitrary<Event>;

test('random and odd events never throw and give well-formed contacts and attempts', () => {
  fc.assert(
    fc.property(arbEvent, (e) => {
      const c = contactFromEvent(e);
      if (c) {
        assert.equal(typeof c.src, 'string');
        assert.ok(c.dst !== '');
        assert.ok(['answered', 'rejected', 'unanswered', 'blocked', 'unknown'].includes(c.outcome));
        assert.ok(Number.isFinite(c.ts));
      }
      const a = authFromEvent(e);
      if (a) assert.ok(['failure', 'success', 'invalid-user'].includes(a.result));
    }),
    { numRuns: 3000 },
  );
});
