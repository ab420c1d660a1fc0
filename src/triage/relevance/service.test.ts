/**
 * Rules that name no product, judged by the service they aim at: the rule's
 * protocol, buffers, port and words; the target offering the service (SSH
 * banner, HTTP answer, Nmap, inventory), refusing the port (not applicable),
 * or nothing known (unknown); and the product path always first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { loadCatalogue } from './catalogue.js';
import { parseInventory } from './inventory.js';
import { ruleService } from './rule-service.js';
import { alertGroup, asset, service, sshBanners, tcpAttempt, webExchange } from './testing/fixtures.js';
import { ruleText } from './testing/rule-text.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();
const HOST = '192.0.2.11';
const PEER = '198.51.100.7';

/** ET Open 5.0's 2006546 as shipped: no affected_product, no product in its message. */
const LIBSSH = ruleText(
  'alert ssh $EXTERNAL_NET any -> $HOME_NET 22 (msg:"ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack"; flow:established,to_server; content:"SSH-"; content:"libssh"; within:20; threshold: type both, count 5, seconds 30, track by_src; classtype:attempted-admin; sid:2006546; rev:9; metadata:created_at 2010_07_30, updated_at 2019_07_26;)',
);
const sshGroup = alertGroup({ msg: LIBSSH.msg, sid: 2006546, dst: HOST, dstPort: 22 });

test('the service a rule aims at: protocol, buffers, server port, then words; ambiguous signs decide nothing', () => {
  const g = alertGroup({ msg: 'x' });
  const of = (text: string) => {
    const s = ruleService(g, ruleText(text));
    return s && { id: s.service.id, port: s.rulePort, how: s.how };
  };
  assert.deepEqual(of(LIBSSH.text), { id: 'ssh', port: 22, how: 'its protocol is ssh' });
  assert.deepEqual(of('alert tcp any any -> any any (msg:"x"; ssh.software; content:"libssh"; sid:2;)'), {
    id: 'ssh',
    port: undefined,
    how: 'it inspects ssh.software',
  });
  assert.deepEqual(of('alert tcp any any -> any $SSH_PORTS (msg:"x"; flags:S; sid:3;)'), {
    id: 'ssh',
    port: 22,
    how: 'its server port is $SSH_PORTS',
  });
  assert.equal(of('alert tcp any any -> any 21 (msg:"x"; sid:4;)')?.id, 'ftp');
  assert.equal(of('alert tcp any any -> any 3389 (msg:"x"; sid:5;)')?.id, 'rdp');
  assert.equal(of('alert tcp any any -> any 445 (msg:"x"; sid:6;)')?.id, 'smb');
  assert.equal(of('alert udp any any -> any 53 (msg:"x"; sid:7;)')?.id, 'dns');
  assert.equal(of('alert tcp any any -> any 25 (msg:"x"; sid:8;)')?.id, 'smtp');
  // Three services' ports at once: the message decides.
  assert.deepEqual(of('alert tcp any any -> any [21,22,23] (msg:"GPL TELNET login attempt"; sid:9;)'), {
    id: 'telnet',
    port: undefined,
    how: 'its message names telnet',
  });
  // Written on the server's answer: the server's port is the header's source port.
  assert.equal(
    of('alert tcp $HOME_NET 22 -> any any (msg:"x"; flow:established,to_client; content:"SSH-1"; sid:10;)')
      ?.port,
    22,
  );
  assert.equal(
    of('alert tcp any any -> any any (msg:"x"; classtype:web-application-attack; sid:11;)')?.id,
    'http',
  );
  assert.equal(of('alert tcp any any -> any any (msg:"TCP NULL scan"; flags:0; sid:12;)'), undefined);
  assert.equal(of('alert tcp any any -> any !22 (msg:"x"; sid:13;)'), undefined, '!22 names no service');
  assert.equal(
    of('alert tcp any any -> any any (msg:"SSH over HTTP"; sid:14;)'),
    undefined,
    'two services named',
  );
  // Without the rule text only the words remain.
  assert.equal(ruleService(alertGroup({ msg: 'ET SCAN Potential SSH Scan' }), undefined)?.service.id, 'ssh');
  assert.equal(ruleService(alertGroup({ msg: 'ET SCAN Nessus User Agent' }), undefined), undefined);
});

test('ET 2006546 against a host whose sshd answered: applies (OpenSSH 9.2p1 on 22), with the flow as evidence', async () => {
  const f = tcpAttempt('Cssh1', PEER, HOST, 22, 'session', 'ssh');
  const lookup = memoryLookup({ flows: [f], ssh: [sshBanners(f, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3')] });
  const v = await relevanceVerdict(sshGroup, LIBSSH, lookup, catalogue, undefined);
  assert.equal(v.applicable, 'yes', v.reason);
  assert.match(v.reason, /aims at an SSH server \(its protocol is ssh\), and 192\.0\.2\.11 runs one/);
  assert.match(v.reason, /OpenSSH 9\.2p1 answers on port 22 \(passive\)/);
  assert.deepEqual(v.targets, [{ product: 'ssh-server', source: 'service', port: 22 }]);
  assert.ok(v.evidence.some((e) => e.kind === 'flow' && e.ref === 'Cssh1'));
  assert.ok(v.evidence.some((e) => e.kind === 'rule' && e.ref === 'sid:2006546'));
  assert.ok(v.asset.some((a) => a.product === 'openssh' && a.version === '9.2p1' && a.port === 22));
});

test('an SSH server the catalogue does not know still counts: its own version line is quoted (inert)', async () => {
  const f = tcpAttempt('Cssh2', PEER, HOST, 22, 'session', 'ssh');
  const lookup = memoryLookup({ flows: [f], ssh: [sshBanners(f, 'SSH-2.0-dropbear_2022.83\u001b[2J')] });
  const v = await relevanceVerdict(sshGroup, LIBSSH, lookup, catalogue, undefined);
  assert.equal(v.applicable, 'yes', v.reason);
  assert.match(v.reason, /dropbear_2022\.83\\x1b\[2J answers on port 22/);
  assert.ok(!v.reason.includes('\u001b'));
});

test('port 22 refused (RST) or left unanswered, and nothing saw it answer: not applicable, with the attempt as evidence', async () => {
  for (const how of ['refused', 'unanswered'] as const) {
    const f = tcpAttempt(`C${how}`, PEER, HOST, 22, how);
    const v = await relevanceVerdict(sshGroup, LIBSSH, memoryLookup({ flows: [f] }), catalogue, undefined);
    assert.equal(v.applicable, 'no', `${how}: ${v.reason}`);
    assert.match(v.reason, /offers none: nothing answers on port 22, so no SSH service is there/);
    assert.deepEqual(
      v.evidence.filter((e) => e.kind === 'flow').map((e) => e.ref),
      [`C${how}`],
    );
  }
});

test('a refused attempt does not outweigh a session that did answer on the same port', async () => {
  const refused = tcpAttempt('Crej', PEER, HOST, 22, 'refused');
  const answered = tcpAttempt('Cok', PEER, HOST, 22, 'handshake');
  const v = await relevanceVerdict(
    sshGroup,
    LIBSSH,
    memoryLookup({ flows: [refused, answered] }),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'unknown', v.reason);
  assert.match(v.reason, /port 22 answered, but nothing recorded shows it speaks SSH/);
});

test('nothing recorded about the target: unknown, with no asset evidence', async () => {
  const v = await relevanceVerdict(sshGroup, LIBSSH, memoryLookup({}), catalogue, undefined);
  assert.equal(v.applicable, 'unknown');
  assert.match(v.reason, /nothing is known about whether 192\.0\.2\.11 offers SSH on port 22/);
  assert.ok(v.evidence.every((e) => e.kind === 'rule'));
});

test('Nmap and the inventory speak for the service too; a closed port in Nmap is "no"', async () => {
  const nmapSsh = asset(HOST, [service(22, { name: 'ssh', product: 'OpenSSH', version: '8.4p1' })]);
  let v = await relevanceVerdict(sshGroup, LIBSSH, memoryLookup({ assets: [nmapSsh] }), catalogue, undefined);
  assert.equal(v.applicable, 'yes', v.reason);
  assert.match(v.reason, /OpenSSH 8\.4p1 answers on port 22 \(nmap\)/);

  // A name Nmap only took from its port table is not evidence.
  const guessed = asset(HOST, [service(22, { name: 'ssh', method: 'table' })]);
  v = await relevanceVerdict(sshGroup, LIBSSH, memoryLookup({ assets: [guessed] }), catalogue, undefined);
  assert.equal(v.applicable, 'unknown', v.reason);

  const closed = asset(HOST, [service(22, { state: 'closed', reason: 'reset' })]);
  v = await relevanceVerdict(sshGroup, LIBSSH, memoryLookup({ assets: [closed] }), catalogue, undefined);
  assert.equal(v.applicable, 'no', v.reason);
  assert.ok(v.evidence.some((e) => e.kind === 'asset' && /22\/tcp closed \(reset\)/.test(e.note ?? '')));

  const inv = parseInventory(
    `version: 1\nassets:\n  - address: ${HOST}\n    runs: [{ product: openssh, port: 22 }]\n`,
    'inventory.yaml',
    catalogue,
  );
  assert.ok(inv.ok);
  v = await relevanceVerdict(sshGroup, LIBSSH, memoryLookup({ assets: [closed] }), catalogue, inv.inventory);
  assert.equal(v.applicable, 'yes', 'a stated service outranks an old closed port');
  assert.match(v.reason, /OpenSSH answers on port 22 \(inventory\)/);
});

test('the product path comes first: a generic service never overrides a product verdict', async () => {
  // alert http, and nginx answers: "an HTTP server" would say yes, but the rule names Joomla, which is shown absent.
  const joomla = ruleText(
    'alert http any any -> any any (msg:"ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)"; http.user_agent; content:"JDatabaseDriverMysqli"; sid:2022263;)',
  );
  const ex = webExchange('Cweb', PEER, HOST, 80, [
    { uri: '/index.php', status: 404, server: 'nginx/1.22.1' },
  ]);
  const v = await relevanceVerdict(
    alertGroup({ msg: joomla.msg, sid: 2022263, dst: HOST }),
    joomla,
    memoryLookup({ flows: [ex.flow], http: ex.http }),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'no', v.reason);
  assert.ok(v.targets.every((t) => t.source !== 'service'));
  assert.doesNotMatch(v.reason, /HTTP server/);

  // A rule that names OpenSSH keeps its product verdict even where the port refused.
  const openssh = ruleText(
    'alert ssh any any -> any 22 (msg:"ET EXPLOIT OpenSSH user enumeration"; sid:99;)',
  );
  const refused = tcpAttempt('Crej2', PEER, HOST, 22, 'refused');
  const w = await relevanceVerdict(
    alertGroup({ msg: openssh.msg, sid: 99, dst: HOST, dstPort: 22 }),
    openssh,
    memoryLookup({ flows: [refused] }),
    catalogue,
    undefined,
  );
  assert.deepEqual(
    w.targets.map((t) => t.product),
    ['openssh'],
  );
  assert.doesNotMatch(w.reason, /SSH server/);
});

test('an HTTP rule that names no product: applies where an HTTP server answered', async () => {
  const nessus = ruleText(
    'alert http any any -> any any (msg:"ET SCAN Nessus User Agent"; http.user_agent; content:"Nessus"; sid:2002664;)',
  );
  const ex = webExchange('Cweb2', PEER, HOST, 80, [{ uri: '/', status: 200, server: 'nginx/1.22.1' }]);
  const v = await relevanceVerdict(
    alertGroup({ msg: nessus.msg, sid: 2002664, dst: HOST }),
    nessus,
    memoryLookup({ flows: [ex.flow], http: ex.http }),
    catalogue,
    undefined,
  );
  assert.equal(v.applicable, 'yes', v.reason);
  assert.match(v.reason, /aims at an HTTP server .* nginx 1\.22\.1 answers on port 80 \(passive\)/);
  assert.deepEqual(v.targets, [{ product: 'http-server', source: 'service', port: 80 }]);
});
