/**
 * Deterministic made-up records for store tests: varied enough to exercise
 * every column and the query filters, and cheap to make by the hundred thousand.
 */
import type { Asset } from '../../../schema/asset.js';
import type { ConnState, FlowRecord } from '../../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../../schema/session.js';

const states: ConnState[] = ['S0', 'SF', 'REJ', 'RSTO', 'OTH'];

/** Flow number `i` of a family named `prefix`; uids are `${prefix}-${i}`. */
export function syntheticFlow(prefix: string, i: number): FlowRecord {
  const f: FlowRecord = {
    ts: 1_700_000_000 + i * 0.001,
    uid: `${prefix}-${i}`,
    origH: `10.0.${(i >> 8) & 3}.${i & 255}`,
    origP: 1024 + (i % 60000),
    respH: i % 7 === 0 ? 'fe80::1' : `192.168.1.${i % 10}`,
    respP: [22, 80, 443, 8080][i % 4]!,
    proto: i % 11 === 0 ? 'udp' : 'tcp',
    service: i % 4 === 1 ? 'http' : '',
    duration: (i % 100) / 10,
    origBytes: i % 1000,
    respBytes: (i * 3) % 5000,
    connState: states[i % states.length]!,
    missedBytes: 0,
    history: 'ShADadFf',
    origPkts: 1 + (i % 9),
    origIpBytes: 40 + (i % 1500),
    respPkts: i % 5,
    respIpBytes: (i % 5) * 60,
    ipProto: i % 11 === 0 ? 17 : 6,
    origWireBytes: 54 + (i % 1500),
    respWireBytes: (i % 5) * 74,
    communityId: `1:${prefix}${i}=`,
  };
  if (i % 3 === 0) f.vlan = 100 + (i % 4000);
  if (i % 6 === 0) f.innerVlan = 7;
  if (i % 2 === 0) f.source = `/captures/${prefix}.pcap`;
  return f;
}

export function syntheticFlows(prefix: string, from: number, count: number): FlowRecord[] {
  const out: FlowRecord[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = syntheticFlow(prefix, from + k);
  return out;
}

/** A transaction with hostile-looking text: quotes, NUL, non-ASCII, SQL and JSON metacharacters. */
export function syntheticHttp(uid: string, transDepth: number): HttpTransaction {
  return {
    ts: 1_700_000_000.25 + transDepth,
    uid,
    origH: '10.0.0.1',
    origP: 40000,
    respH: '10.0.0.2',
    respP: 80,
    transDepth,
    method: 'GET',
    uri: `/a?x=1'); DROP TABLE flows;--&n=${transDepth}`,
    version: '1.1',
    host: 'example.test',
    userAgent: 'Mozilla/5.0 "quoted" \u00e9\u00ff\u0000tail',
    requestHeaders: [
      ['Host', 'example.test'],
      ['X-Dup', 'a'],
      ['X-Dup', 'b"]}'],
    ],
    requestBodyLen: 0,
    requestBodyPrefix: '',
    statusCode: transDepth === 1 ? -1 : 200,
    statusMsg: transDepth === 1 ? '' : 'OK',
    responseHeaders: transDepth === 1 ? [] : [['Content-Type', 'text/html']],
    responseBodyLen: 1234,
    responseBodyPrefix: '<html>\r\n\u0000\u0001',
    responseContentType: 'text/html',
    server: 'nginx/1.24.0',
  };
}

export function syntheticSsh(uid: string): SshBanner {
  return {
    ts: 1_700_000_001.5,
    uid,
    origH: '10.0.0.9',
    origP: 50022,
    respH: '10.0.0.2',
    respP: 22,
    client: 'SSH-2.0-libssh_0.9.6',
    server: 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13',
  };
}

/**
 * One asset observation with every optional field filled when `i` is even and
 * left out when odd, and text an attacker could have put in a banner.
 */
export function syntheticAsset(address: string, ts: number, i = 0): Asset {
  const a: Asset = {
    uid: `A-${address}-${ts}-${i}`,
    ts,
    scanStart: ts - 60,
    address,
    addressType: address.includes(':') ? 'ipv6' : 'ipv4',
    hostnames: [{ name: 'host.example', type: 'PTR' }],
    status: 'up',
    extraPorts: [{ state: 'closed', count: 998 }],
    services: [
      {
        port: 22,
        proto: 'tcp',
        state: 'open',
        reason: 'syn-ack',
        name: 'ssh',
        product: 'OpenSSH',
        version: `9.${i}p1`,
        method: 'probed',
        confidence: 10,
        cpe: [`cpe:/a:openbsd:openssh:9.${i}p1`],
        scripts: { banner: 'SSH-2.0-OpenSSH "quoted" \u202e\u0000\n<script>' },
      },
      { port: 161, proto: 'udp', state: 'open|filtered', cpe: [], scripts: {} },
    ],
    os: [{ name: 'Linux 5.X', accuracy: 95, cpe: ['cpe:/o:linux:linux_kernel:5'], classes: [] }],
    hostScripts: {},
    source: { scanner: 'nmap', version: '7.93', args: 'nmap -sV x', file: '/scans/a.xml', line: 9 },
  };
  if (i % 2 === 0) {
    a.mac = '00:11:22:33:44:55';
    a.macVendor = 'Vendor & Co';
    a.statusReason = 'arp-response';
    a.uptime = 3600;
  } else {
    delete a.scanStart;
    delete a.source.args;
  }
  return a;
}
