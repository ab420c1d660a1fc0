/**
 * DNS messages from real captures through the real reader, decoder and
 * reassembler, compared with tshark, and checked against what the
 * suricata-verify rules for those captures need from the dns.query buffer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { needTools, sharedData } from '../../../test/support/env.js';
import { type DnsMessage, isDnsError, parseDnsMessage } from './dns.js';
import { createDnsTcpParser } from './dns-tcp.js';
import { visitCapture } from './tls/capture-streams.js';

interface Seen {
  frame: number;
  msg: DnsMessage;
  payload: Uint8Array;
}

/** UDP port-53 messages (and TCP port-53 streams) of a capture. */
function dnsOf(path: string): { udp: Seen[]; tcp: DnsMessage[]; errors: string[] } {
  const out = { udp: [] as Seen[], tcp: [] as DnsMessage[], errors: [] as string[] };
  visitCapture(path, {
    udp(src, dst, payload, frame) {
      if (!src.endsWith(':53') && !dst.endsWith(':53')) return;
      const r = parseDnsMessage(payload);
      if (isDnsError(r)) out.errors.push(`frame ${frame + 1}: ${r.error}`);
      else out.udp.push({ frame, msg: r, payload: payload.slice() });
    },
    tcp(_client, server) {
      if (!server.endsWith(':53')) return undefined;
      const dirs = [true, false].map(() =>
        createDnsTcpParser(
          (m) => out.tcp.push(m),
          (e) => out.errors.push(e),
        ),
      );
      return {
        data: (toServer, b) => dirs[toServer ? 0 : 1]!.feed(b),
        gap: (toServer, len) => dirs[toServer ? 0 : 1]!.gap(len),
        end: () => {
          for (const d of dirs) d.end();
        },
      };
    },
  });
  return out;
}

function tshark(path: string, filter: string, ...fields: string[]): string[] {
  const args = [
    '-r',
    path,
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    ...fields.flatMap((f) => ['-e', f]),
  ];
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const names = (m: DnsMessage) => m.queries.map((q) => Buffer.from(q.name).toString('latin1'));
const dnsQuery = (m: DnsMessage) => (m.response ? [] : names(m));

const captures = [
  'verify/tests/dns/dns-query/dns-detect-query-02/input.pcap',
  'verify/tests/dns/dns-query/dns-detect-query-04/input.pcap',
  'verify/tests/detect-dotprefix-01/input.pcap',
  'verify/tests/datasets-04-http-dns/input.pcap',
  'verify/tests/bug-2736-02/suricata.0400.pcap',
  'verify/tests/bug-5197/input.pcap',
  'pcaps/zeek/wikipedia.pcap',
  'pcaps/zeek/nmap-vsn.pcap',
  'pcaps/zeek/var-services-std-ports.pcap',
  'pcaps/zeek/communityid/udp.pcap',
];

for (const rel of captures) {
  const d = sharedData(rel);
  test(`DNS over UDP in ${rel}: ids, names, answer counts and rcodes match tshark`, {
    skip: d.skip || needTools('tshark'),
  }, () => {
    const r = dnsOf(d.path);
    assert.deepEqual(r.errors, []);
    assert.ok(r.udp.length > 0);
    const ours = r.udp.map(
      (s) =>
        `${s.frame + 1}\t${s.msg.txId}\t${s.msg.response ? 1 : 0}\t${names(s.msg).join(',')}\t${s.msg.response ? s.msg.answers.length : ''}\t${s.msg.rcode}`,
    );
    const theirs = tshark(
      d.path,
      'dns && udp.port == 53',
      'frame.number',
      'dns.id',
      'dns.flags.response',
      'dns.qry.name',
      'dns.count.answers',
      'dns.flags.rcode',
    ).map((l) => {
      const [frame, id, resp, qnames, answers, rcode] = l.split('\t');
      // tshark shows the root as <Root>; we keep it empty, as Suricata does.
      const q = (qnames ?? '').replace(/<Root>/g, '');
      return `${frame}\t${Number(id)}\t${resp === 'True' || resp === '1' ? 1 : 0}\t${q}\t${resp === 'True' || resp === '1' ? answers : ''}\t${Number(rcode)}`;
    });
    assert.deepEqual(ours, theirs);
  });
}

const tcpQuery = sharedData('verify/tests/dns/dns-query/dns-detect-query-03/input.pcap');
test('dns-detect-query-03: a DNS query over TCP (midstream) is framed and its name read', {
  skip: tcpQuery.skip || needTools('tshark'),
}, () => {
  const r = dnsOf(tcpQuery.path);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.tcp.map(names), [tshark(tcpQuery.path, 'dns', 'dns.qry.name')[0]!.split(',')]);
  // The rule: dns_query; content:"google"; nocase.
  assert.ok(r.tcp.flatMap(dnsQuery).some((n) => /google/i.test(n)));
});

const q02 = sharedData('verify/tests/dns/dns-query/dns-detect-query-02/input.pcap');
test('dns-detect-query-02: dns.query sees google.com in frame 1 and google.net in frame 3, never the response', {
  skip: q02.skip,
}, () => {
  const r = dnsOf(q02.path);
  const hits = (re: RegExp) =>
    r.udp.filter((s) => dnsQuery(s.msg).some((n) => re.test(n))).map((s) => s.frame + 1);
  assert.deepEqual(hits(/google\.com/i), [1]);
  assert.deepEqual(hits(/google\.net/i), [3]);
});

const dot = sharedData('verify/tests/detect-dotprefix-01/input.pcap');
test('detect-dotprefix-01: with a dot prefixed, the query contains .windowsupdate.com and ends with .com', {
  skip: dot.skip,
}, () => {
  const all = dnsOf(dot.path).udp.flatMap((s) => dnsQuery(s.msg).map((n) => `.${n}`));
  assert.equal(all.length, 1);
  assert.ok(all[0]!.includes('.windowsupdate.com'));
  assert.ok(all[0]!.endsWith('.com'));
});

const ds = sharedData('verify/tests/datasets-04-http-dns/input.pcap');
test('datasets-04-http-dns: the one dns.query value is example.com', { skip: ds.skip }, () => {
  assert.deepEqual(
    dnsOf(ds.path).udp.flatMap((s) => dnsQuery(s.msg)),
    ['example.com'],
  );
});

const b2736 = sharedData('verify/tests/bug-2736-02/suricata.0400.pcap');
test('bug-2736-02: the request parses (txid 0x0400) and carries "suricata" in its name', {
  skip: b2736.skip,
}, () => {
  const r = dnsOf(b2736.path);
  assert.equal(r.udp.length, 1);
  assert.equal(r.udp[0]!.msg.txId, 0x0400);
  assert.ok(names(r.udp[0]!.msg)[0]!.includes('suricata'));
});

const b5197 = sharedData('verify/tests/bug-5197/input.pcap');
test("bug-5197: both messages parse (two dns events); the rules' header bytes are those of the response", {
  skip: b5197.skip,
}, () => {
  const r = dnsOf(b5197.path);
  assert.equal(r.udp.length, 2);
  const header = Buffer.from([0, 1, 0, 1, 0, 0, 0, 0]);
  const [req, resp] = [r.udp.find((s) => !s.msg.response)!, r.udp.find((s) => s.msg.response)!];
  // The rules anchor qd=1 an=1 ns=0 ar=0 at offset 4: only the response has that.
  assert.equal(Buffer.from(resp.payload).indexOf(header), 4);
  assert.notEqual(Buffer.from(req.payload).indexOf(header), 4);
  assert.equal(resp.msg.queries[0]!.type, 16);
  assert.equal(resp.msg.answers[0]!.type, 16);
  assert.ok(resp.msg.answers[0]!.data.includes('456789'));
});
