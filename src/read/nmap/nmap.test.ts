import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assetLimits, assetSchema, truncatedMark } from '../../schema/asset.js';
import {
  parseNmap,
  sampleFooter,
  sampleHeader,
  sampleRouter,
  sampleScan,
  sampleWeb6,
} from './testing/sample.js';

const codes = (p: ReturnType<typeof parseNmap>['problems']) => Object.fromEntries(p.counts);

test('hosts, addresses, names, ports, services, CPEs, scripts, OS guesses and run stats', () => {
  const { assets, problems, summary } = parseNmap(sampleScan);
  assert.deepEqual(codes(problems), {});
  assert.equal(assets.length, 2, 'the <hosthint> is not a host');
  for (const a of assets) assetSchema.parse(a);
  const [router, web] = assets;

  assert.equal(router!.address, '192.0.2.1');
  assert.equal(router!.addressType, 'ipv4');
  assert.equal(router!.mac, '00:13:49:AA:BB:CC');
  assert.equal(router!.macVendor, 'Zyxel Communications');
  assert.deepEqual(router!.hostnames, [
    { name: 'gw.example', type: 'user' },
    { name: 'router.example', type: 'PTR' },
  ]);
  assert.equal(router!.status, 'up');
  assert.equal(router!.statusReason, 'arp-response');
  assert.equal(router!.ts, 1795420860, 'the host end time');
  assert.equal(router!.scanStart, 1795420800);
  assert.equal(router!.uptime, 86400);
  assert.deepEqual(router!.extraPorts, [{ state: 'closed', count: 997 }]);
  assert.deepEqual(
    router!.services.map((s) => [s.proto, s.port, s.state, s.name, s.method]),
    [
      ['tcp', 23, 'open', 'telnet', 'probed'],
      ['tcp', 80, 'open', 'http', 'probed'],
      ['udp', 161, 'open|filtered', 'snmp', 'table'],
    ],
  );
  const http = router!.services[1]!;
  assert.deepEqual(http, {
    port: 80,
    proto: 'tcp',
    state: 'open',
    reason: 'syn-ack',
    reasonTtl: 64,
    name: 'http',
    product: 'RomPager',
    version: '4.07',
    extraInfo: 'UPnP/1.0 & more',
    osType: 'ZyNOS',
    method: 'probed',
    confidence: 10,
    cpe: ['cpe:/a:allegrosoft:rompager:4.07', 'cpe:/o:zyxel:zynos'],
    scripts: {
      'http-title': 'Title: <Login> AB\nsecond line',
      'http-server-header': 'RomPager/4.07 UPnP/1.0',
    },
  });
  assert.equal(router!.services[0]!.deviceType, 'firewall');
  assert.equal(router!.os.length, 2);
  assert.deepEqual(router!.os[0], {
    name: 'ZyXEL ZyWALL 2 firewall (ZyNOS 3.62)',
    accuracy: 96,
    cpe: ['cpe:/o:zyxel:zynos:3.62', 'cpe:/h:zyxel:zywall_2'],
    classes: [
      {
        type: 'firewall',
        vendor: 'ZyXEL',
        family: 'ZyNOS',
        generation: '3.X',
        accuracy: 96,
        cpe: ['cpe:/o:zyxel:zynos:3.62'],
      },
      {
        type: 'WAP',
        vendor: 'ZyXEL',
        family: 'ZyNOS',
        accuracy: 90,
        cpe: ['cpe:/o:zyxel:zynos:3.62', 'cpe:/h:zyxel:zywall_2'],
      },
    ],
  });
  assert.deepEqual(router!.hostScripts, { 'smb-os-discovery': 'OS: Unix' });
  assert.deepEqual(router!.source, {
    scanner: 'nmap',
    version: '7.93',
    args: 'nmap -sV -O -sC 192.0.2.0/24',
    file: 'scan.xml',
    line: 12,
  });

  assert.equal(web!.address, '2001:db8::10', "the same text form as Picket's flows");
  assert.equal(web!.addressType, 'ipv6');
  assert.deepEqual(web!.hostnames, []);
  assert.equal(web!.services[0]!.tunnel, 'ssl');
  assert.equal(web!.services[0]!.product, 'Microsoft IIS httpd');
  assert.notEqual(web!.uid, router!.uid);

  assert.deepEqual(summary.run, {
    scanner: 'nmap',
    version: '7.93',
    args: 'nmap -sV -O -sC 192.0.2.0/24',
    start: 1795420800,
    finished: 1795420900,
    elapsed: 100.5,
    exit: 'success',
    hostsUp: 2,
    hostsDown: 254,
    hostsTotal: 256,
  });
  assert.equal(summary.hosts, 2);
  assert.equal(summary.stopped, false);
});

test('uids are deterministic: the same scan anywhere gives the same uid, another scan another', () => {
  const a = parseNmap(sampleScan, { file: 'a.xml' }).assets;
  const b = parseNmap(sampleScan, { file: '/elsewhere/b.xml', chunks: [7] }).assets;
  assert.deepEqual(
    a.map((x) => x.uid),
    b.map((x) => x.uid),
  );
  const later = parseNmap(sampleScan.replace('start="1795420800"', 'start="1795500000"')).assets;
  assert.notEqual(later[0]!.uid, a[0]!.uid);
});

test('a DTD is never expanded: billion laughs stays small and literal', () => {
  const lol = [
    '<!ENTITY lol "lol">',
    ...Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
    ),
  ].join('\n');
  const xml = sampleScan
    .replace('<!DOCTYPE nmaprun>', `<!DOCTYPE nmaprun [\n${lol}\n]>`)
    .replace('product="RomPager"', 'product="&lol9;"')
    .replace('<cpe>cpe:/h:zyxel:zywall</cpe>', '<cpe>&lol9;</cpe>');
  const started = performance.now();
  const { assets, problems } = parseNmap(xml);
  assert.ok(performance.now() - started < 2000, 'no expansion work');
  assert.equal(assets.length, 2, 'the hosts are still read');
  assert.equal(assets[0]!.services[1]!.product, '&lol9;', 'the reference stays literal text');
  assert.deepEqual(assets[0]!.services[0]!.cpe, ['&lol9;']);
  assert.ok(JSON.stringify(assets).length < 20_000);
  assert.equal(problems.counts.get('nmap.dtd-ignored'), 1);
  assert.equal(problems.counts.get('nmap.xml-reference'), 2);
  const sample = problems.samples.find((p) => p.code === 'nmap.xml-reference')!;
  assert.equal(sample.file, 'scan.xml');
  assert.ok(sample.line! > 10);
});

test('external entities are never fetched or read', () => {
  const xml = sampleScan
    .replace(
      '<!DOCTYPE nmaprun>',
      '<!DOCTYPE nmaprun [<!ENTITY xxe SYSTEM "file:///etc/hostname"><!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
    )
    .replace('version="4.07"', 'version="&xxe;"');
  const { assets } = parseNmap(xml);
  assert.equal(assets[0]!.services[1]!.version, '&xxe;');
});

test('a file cut anywhere keeps the hosts completed before the cut, and says where it stopped', () => {
  const full = parseNmap(sampleScan).assets;
  const bytes = new TextEncoder().encode(sampleScan);
  const routerEnd = new TextEncoder().encode(sampleHeader + sampleRouter).length;
  for (let cut = 0; cut < bytes.length; cut += 13) {
    const { assets, problems } = parseNmap(bytes.subarray(0, cut));
    assert.deepEqual(assets, full.slice(0, assets.length), `cut at ${cut}`);
    if (cut >= routerEnd) assert.equal(assets.length >= 1, true, `cut at ${cut} keeps the router`);
    if (cut < bytes.length - 20) assert.ok(problems.total() >= 1, `cut at ${cut} is reported`);
  }
  const mid = sampleScan.indexOf('<port protocol="tcp" portid="443">');
  const { problems } = parseNmap(sampleScan.slice(0, mid));
  const p = problems.samples.find((x) => x.code === 'nmap.truncated')!;
  assert.match(p.message, /ends inside <nmaprun><host><ports>/);
  assert.equal(p.file, 'scan.xml');
});

test('other XML and other scanners are refused with a clear problem', () => {
  const other = parseNmap('<?xml version="1.0"?><svg><host/></svg>');
  assert.equal(other.assets.length, 0);
  assert.match(other.problems.samples[0]!.message, /root element is <svg>/);
  const masscan = parseNmap(
    sampleScan
      .replace('scanner="nmap"', 'scanner="masscan"')
      .replace(/^<\?xml[^>]*>/, '<?xml version="1.0"?>'),
  );
  assert.equal(masscan.assets.length, 0);
  assert.equal(masscan.problems.counts.get('nmap.not-nmap'), 1);
  assert.equal(parseNmap('').problems.counts.get('nmap.no-root'), 1);
  assert.equal(parseNmap('<nmaprun><host>').problems.counts.get('nmap.truncated'), 1);
});

test('not well-formed XML stops reading at the error with its line; hosts before it are kept', () => {
  const bad =
    sampleHeader + sampleRouter + sampleWeb6.replace('<times ', '<times a="1" a="2" ') + sampleFooter;
  const { assets, problems, summary } = parseNmap(bad);
  assert.equal(assets.length, 1);
  const p = problems.samples.find((x) => x.code === 'nmap.xml-malformed')!;
  assert.match(p.message, /duplicate attribute/);
  assert.equal(p.line, (sampleHeader + sampleRouter).split('\n').length + 6);
  assert.equal(summary.stopped, true);
});

test('hosts without an IP address and ports without a number are skipped and counted', () => {
  const weird = sampleRouter
    .replace('addr="192.0.2.1" addrtype="ipv4"', 'addr="999.1.2.3" addrtype="ipv4"')
    .replace('portid="23"', 'portid="70000"');
  const { assets, problems } = parseNmap(sampleHeader + weird + sampleWeb6 + sampleFooter);
  assert.deepEqual(
    assets.map((a) => a.address),
    ['2001:db8::10'],
  );
  assert.equal(problems.counts.get('nmap.host-without-address'), 1);
  assert.match(problems.samples.find((p) => p.code === 'nmap.host-without-address')!.message, /999\.1\.2\.3/);
  assert.equal(problems.counts.get('nmap.bad-port'), 1);
});

test('lists and strings are bounded, and what is dropped is counted', () => {
  const many = Array.from(
    { length: assetLimits.scripts + 5 },
    (_, i) => `<script id="s${i}" output="${i === 0 ? 'x'.repeat(assetLimits.scriptText + 100) : 'ok'}"/>`,
  ).join('');
  const host = sampleWeb6.replace(
    '</service></port>',
    `</service>${many}<script id="__proto__" output="p"/></port>`,
  );
  const { assets, problems } = parseNmap(sampleHeader + host + sampleFooter);
  const scripts = assets[0]!.services[0]!.scripts;
  assert.equal(Object.keys(scripts).length, assetLimits.scripts);
  assert.equal(scripts.s0!.length, assetLimits.scriptText + truncatedMark.length);
  assert.ok(scripts.s0!.endsWith(truncatedMark));
  assert.equal(problems.counts.get('nmap.limit'), 5);
  assert.equal(problems.counts.get('nmap.bad-script-id'), 1);
  assert.equal(Object.getPrototypeOf(scripts), Object.prototype);
  assetSchema.parse(assets[0]);
});

test('one huge token, deep nesting and attribute floods stop reading with a problem', () => {
  const huge = parseNmap(sampleScan.replace('product="RomPager"', `product="${'A'.repeat(300_000)}"`), {
    limits: { maxTokenChars: 100_000 },
  });
  assert.equal(huge.problems.counts.get('nmap.token-too-long'), 1);
  assert.equal(huge.assets.length, 0);

  const deep = parseNmap(`${sampleHeader}${'<x>'.repeat(10_000)}`);
  assert.equal(deep.problems.counts.get('nmap.too-deep'), 1);

  const attrs = Array.from({ length: 1000 }, (_, i) => `a${i}="1"`).join(' ');
  const flood = parseNmap(
    sampleHeader + sampleRouter + sampleWeb6.replace('<times ', `<times ${attrs} `) + sampleFooter,
  );
  assert.equal(flood.problems.counts.get('nmap.too-many-attributes'), 1);
  assert.equal(flood.assets.length, 1, 'the router, completed before, is kept');
});
