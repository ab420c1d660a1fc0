/**
 * The generic service path over random evidence: flows that answered,
 * refused or went unanswered on random ports with random (hostile) SSH
 * version lines, HTTP answers and Nmap ports, against rules aimed at SSH,
 * FTP, HTTP, telnet or nothing. It never throws, and it never says "yes" (or
 * "no") without a piece of asset evidence that names something recorded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Rule } from '../../rules/ast.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { loadCatalogue } from './catalogue.js';
import { alertGroup, asset, service, sshBanners, tcpAttempt, webExchange } from './testing/fixtures.js';
import { ruleText } from './testing/rule-text.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();
const HOST = '192.0.2.11';
const PEER = '198.51.100.7';

const RULES: (Rule | undefined)[] = [
  ruleText('alert ssh any any -> any 22 (msg:"ET SCAN LibSSH Based Frequent SSH Connections"; sid:1;)'),
  ruleText('alert tcp any any -> any 21 (msg:"GPL FTP something"; sid:2;)'),
  ruleText('alert http any any -> any any (msg:"ET SCAN a scanner"; http.uri; content:"/x"; sid:3;)'),
  ruleText('alert tcp any any -> any any (msg:"GPL TELNET login incorrect"; sid:4;)'),
  ruleText('alert tcp any any -> any any (msg:"TCP NULL scan"; flags:0; sid:5;)'),
  ruleText('alert ssh any any -> any 22 (msg:"ET EXPLOIT OpenSSH user enumeration"; sid:6;)'),
  undefined,
];
const hostile = [
  'SSH-2.0-OpenSSH_9.2p1',
  'SSH-2.0-dropbear',
  '\u001b[31m\u202e',
  'A'.repeat(600),
  '',
  '\ud83d',
];

const flowArb = fc.record({
  port: fc.constantFrom(21, 22, 23, 80, 2222),
  how: fc.constantFrom('refused', 'unanswered', 'handshake', 'session') as fc.Arbitrary<
    'refused' | 'unanswered' | 'handshake' | 'session'
  >,
  service: fc.constantFrom('', 'ssh', 'http', 'ftp', 'telnet'),
  banner: fc.option(fc.constantFrom(...hostile), { nil: undefined }),
  status: fc.option(fc.constantFrom(200, 404, 500), { nil: undefined }),
  reversed: fc.boolean(),
});
const nmapArb = fc.record({
  port: fc.constantFrom(21, 22, 23, 80),
  state: fc.constantFrom('open', 'closed', 'filtered'),
  name: fc.constantFrom('ssh', 'ftp', 'http', 'telnet', 'unknown'),
  method: fc.constantFrom('probed', 'table') as fc.Arbitrary<'probed' | 'table'>,
});

test('property: the service path never says yes (or no) without an evidence ref to something recorded', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: RULES.length - 1 }),
      fc.constantFrom(21, 22, 23, 80, undefined),
      fc.array(flowArb, { maxLength: 6 }),
      fc.array(nmapArb, { maxLength: 3 }),
      async (ruleIndex, dstPort, flowSpecs, nmapSpecs) => {
        const rule = RULES[ruleIndex];
        const msg = rule?.msg ?? 'ET SCAN Potential SSH Scan';
        const group = alertGroup({ msg, dst: HOST, ...(dstPort !== undefined ? { dstPort } : {}) });
        if (dstPort === undefined) delete group.dstPort;
        const flows: FlowRecord[] = [];
        const ssh: SshBanner[] = [];
        const http: HttpTransaction[] = [];
        flowSpecs.forEach((s, i) => {
          const uid = `Cp${i}`;
          // A flow the target started itself says nothing about its own ports.
          const f = s.reversed
            ? tcpAttempt(uid, HOST, PEER, s.port, s.how, s.service)
            : tcpAttempt(uid, PEER, HOST, s.port, s.how, s.service);
          flows.push(f);
          if (s.banner !== undefined) ssh.push(sshBanners(f, s.banner));
          if (s.status !== undefined)
            http.push(
              ...webExchange(uid, f.origH, f.respH, f.respP, [
                { uri: '/', status: s.status, server: s.banner },
              ]).http,
            );
        });
        const assets = nmapSpecs.length
          ? [
              asset(
                HOST,
                nmapSpecs.map((n) => service(n.port, { state: n.state, name: n.name, method: n.method })),
              ),
            ]
          : [];
        const v = await relevanceVerdict(
          group,
          rule,
          memoryLookup({ flows, ssh, http, assets }),
          catalogue,
          undefined,
        );
        assert.ok(['yes', 'no', 'unknown'].includes(v.applicable));
        const recorded = new Set([...flows.map((f) => f.uid), 'nmap.xml:3']);
        const backing = v.evidence.filter((e) => e.kind !== 'rule' && recorded.has(e.ref));
        if (v.applicable === 'yes') assert.ok(backing.length > 0, `yes without evidence: ${v.reason}`);
        if (v.applicable === 'no') assert.ok(backing.length > 0, `no without evidence: ${v.reason}`);
        if (flows.length === 0 && assets.length === 0) assert.equal(v.applicable, 'unknown', v.reason);
        assert.ok(v.reason.length < 4000, 'reasons stay bounded');
        assert.ok(v.evidence.length <= 20);
        assert.ok(!/[\u0000-\u001f\u202e]/.test(v.reason), v.reason);
      },
    ),
    { numRuns: 400 },
  );
});
