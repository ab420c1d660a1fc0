import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { firewallReader } from '../../read/firewall/index.js';
import type { LogReader } from '../../read/syslog/types.js';
import type { Contact } from './contact.js';
import { contactFromEvent } from './from-event.js';
import { eventOf, logEvents } from './testing/log-events.js';

const contactOf = (reader: LogReader, line: string) => contactFromEvent(eventOf(reader, line));
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
  assert.equal(fins!.end - fins!.ts, 53);
  const long = contactOf(
    firewallReader,
    asa(
      '%ASA-6-302014: Teardown TCP connection 16 for outside:203.0.113.9/21651 to inside:10.0.0.5/22 duration 1:02:03 bytes 90210 TCP FINs',
    ),
  );
  assert.equal(long!.end - long!.ts, 3723);
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

test('lab firewall.log: blocked SYN contacts from the scanner to 10.99.0.16/28 and the gateway on 22, and to the nmap ports it logged', async () => {
  const contacts = (await logEvents(repoRoot, 'examples/lab/firewall.log'))
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
