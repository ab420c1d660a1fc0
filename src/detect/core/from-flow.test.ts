import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureFlows } from '../testing/flows.js';
import { tcpFlagClass, tcpFlagsFromWords } from './contact.js';
import { contactFromFlow } from './from-flow.js';

const lab = 'examples/lab/capture.pcap';

test('scan flag classes from TCP flag bytes and firewall words', () => {
  assert.equal(tcpFlagClass(0x02), 'syn');
  assert.equal(tcpFlagClass(0x00), 'null');
  assert.equal(tcpFlagClass(0x01), 'fin');
  assert.equal(tcpFlagClass(0x29), 'xmas');
  assert.equal(tcpFlagClass(0x10), 'ack');
  assert.equal(tcpFlagClass(0x11), 'maimon');
  assert.equal(tcpFlagClass(0x04), 'other');
  assert.equal(tcpFlagClass(tcpFlagsFromWords('URG PSH FIN')), 'xmas');
  assert.equal(tcpFlagClass(tcpFlagsFromWords('SYN')), 'syn');
});

test('lab capture: masscan SYNs to dark hosts are unanswered, sshd answered, and never established', () => {
  const contacts = captureFlows(lab).map((f) => contactFromFlow(f));
  const sweep = contacts.filter((c) => c.src === '10.99.1.66' && c.dstPort === 22 && c.flagClass === 'syn');
  assert.ok(sweep.length >= 10, `masscan contacts: ${sweep.length}`);
  const ssh = sweep.filter((c) => c.dst === '10.99.0.11');
  assert.ok(ssh.length >= 1 && ssh.every((c) => c.outcome === 'answered' && !c.established));
  const dark = sweep.filter((c) => c.dst === '10.99.0.2');
  assert.ok(dark.length >= 1 && dark.every((c) => c.outcome === 'unanswered'));
  // The web host has no sshd: RST.
  const web = sweep.filter((c) => c.dst === '10.99.0.10');
  assert.ok(web.length >= 1 && web.every((c) => c.outcome === 'rejected'));
});

test('lab capture: hping3 NULL, FIN and Xmas probes keep their class; closed port 81 rejects, open 80 is silent', () => {
  const contacts = captureFlows(lab)
    .map((f) => contactFromFlow(f))
    .filter(
      (c) => c.src === '10.99.1.66' && c.dst === '10.99.0.10' && (c.dstPort === 80 || c.dstPort === 81),
    );
  for (const cls of ['null', 'fin', 'xmas'] as const) {
    const probes = contacts.filter((c) => c.flagClass === cls);
    assert.ok(probes.length >= 2, `${cls}: ${probes.length}`);
    for (const c of probes)
      assert.equal(c.outcome, c.dstPort === 81 ? 'rejected' : 'unanswered', `${cls} ${c.dstPort}`);
  }
});

test('lab capture: the benign SSH login is an established, answered contact with service ssh', () => {
  const c = captureFlows(lab)
    .map((f) => contactFromFlow(f))
    .find((x) => x.src === '10.99.1.80' && x.dstPort === 22);
  assert.ok(c);
  assert.equal(c.outcome, 'answered');
  assert.equal(c.established, true);
  assert.equal(c.service, 'ssh');
});

test('an ICMP port unreachable becomes a rejection notice for the original sender', () => {
  const notices = captureFlows(lab)
    .map((f) => contactFromFlow(f))
    .filter((c) => c.errorReply);
  const udp = notices.find((c) => c.src === '10.99.1.80' && c.dst === '10.99.0.12');
  assert.ok(udp, 'the benign UDP datagram to the idle host draws an unreachable');
  assert.equal(udp.outcome, 'rejected');
  assert.equal(udp.icmpType, 3);
});
