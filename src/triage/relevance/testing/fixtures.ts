/** Small hand-made evidence for relevance unit tests: an alert group, an Nmap-like asset, an HTTP exchange. */
import type { Asset, AssetService } from '../../../schema/asset.js';
import type { FlowRecord } from '../../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../../schema/session.js';
import type { AlertGroup } from '../../group.js';

export const T0 = 1_795_000_000;

export function alertGroup(over: Partial<AlertGroup> & { msg: string }): AlertGroup {
  return {
    key: 'k',
    src: '198.51.100.7',
    dst: '192.0.2.10',
    dstPort: 80,
    proto: 'tcp',
    ts: T0,
    lastSeen: T0,
    count: 1,
    alerts: [],
    sourceKinds: ['pcap'],
    ...over,
  };
}

export function service(port: number, over: Partial<AssetService> = {}): AssetService {
  return { port, proto: 'tcp', state: 'open', method: 'probed', cpe: [], scripts: {}, ...over };
}

export function asset(address: string, services: AssetService[], scanner: 'nmap' | 'verify' = 'nmap'): Asset {
  return {
    uid: `N-${address}-${scanner}`,
    ts: T0 - 3600,
    address,
    addressType: 'ipv4',
    hostnames: [],
    status: 'up',
    extraPorts: [],
    services,
    os: [],
    hostScripts: {},
    source: { scanner, file: `${scanner}.xml`, line: 3 },
  };
}

/** One answered TCP connection from `client` to `server:port`, and its HTTP exchanges. */
export function webExchange(
  uid: string,
  client: string,
  server: string,
  port: number,
  answers: {
    uri: string;
    status: number;
    server?: string;
    body?: string;
    contentType?: string;
    poweredBy?: string;
  }[],
): { flow: FlowRecord; http: HttpTransaction[] } {
  const flow: FlowRecord = {
    ts: T0 - 60,
    uid,
    origH: client,
    origP: 40000,
    respH: server,
    respP: port,
    proto: 'tcp',
    service: 'http',
    duration: 0.01,
    origBytes: 100,
    respBytes: 500,
    connState: 'SF',
    missedBytes: 0,
    history: 'ShADadFf',
    origPkts: 6,
    origIpBytes: 400,
    respPkts: 5,
    respIpBytes: 800,
    ipProto: 6,
    origWireBytes: 480,
    respWireBytes: 870,
    communityId: `1:${uid}`,
  };
  const http = answers.map(
    (a, i): HttpTransaction => ({
      ts: T0 - 60 + i,
      uid,
      origH: client,
      origP: 40000,
      respH: server,
      respP: port,
      transDepth: i,
      method: 'GET',
      uri: a.uri,
      version: '1.1',
      host: server,
      userAgent: 'test',
      requestHeaders: [],
      requestBodyLen: 0,
      requestBodyPrefix: '',
      statusCode: a.status,
      statusMsg: '',
      responseHeaders: a.poweredBy ? [['X-Powered-By', a.poweredBy]] : [],
      responseBodyLen: (a.body ?? '').length,
      responseBodyPrefix: a.body ?? '',
      responseContentType: a.contentType ?? 'text/html',
      server: a.server ?? '',
    }),
  );
  return { flow, http };
}

/** How a TCP attempt went, as the flow table records it. */
const ATTEMPTS = {
  /** SYN answered by RST: the port is closed. */
  refused: { connState: 'REJ', history: 'Sr', respPkts: 1, respBytes: 0 },
  /** SYN with no reply. */
  unanswered: { connState: 'S0', history: 'S', respPkts: 0, respBytes: 0 },
  /** Handshake, then the client closed: the port is open, nothing was said. */
  handshake: { connState: 'SF', history: 'ShAFf', respPkts: 2, respBytes: 0 },
  /** A session with data both ways. */
  session: { connState: 'SF', history: 'ShADadFf', respPkts: 8, respBytes: 1200 },
} as const;

/**
 * One TCP connection attempt from `client` to `server:port`.
 *
 * @example tcpAttempt('Cx', '198.51.100.7', '192.0.2.10', 22, 'refused').connState // 'REJ'
 */
export function tcpAttempt(
  uid: string,
  client: string,
  server: string,
  port: number,
  how: keyof typeof ATTEMPTS,
  service = '',
): FlowRecord {
  const a = ATTEMPTS[how];
  return {
    ts: T0 - 60,
    uid,
    origH: client,
    origP: 41000,
    respH: server,
    respP: port,
    proto: 'tcp',
    service,
    duration: 0.5,
    origBytes: how === 'session' ? 900 : 0,
    respBytes: a.respBytes,
    connState: a.connState,
    missedBytes: 0,
    history: a.history,
    origPkts: how === 'session' ? 9 : 1,
    origIpBytes: 60,
    respPkts: a.respPkts,
    respIpBytes: a.respPkts * 52 + a.respBytes,
    ipProto: 6,
    origWireBytes: 74,
    respWireBytes: a.respPkts * 66 + a.respBytes,
    communityId: `1:${uid}`,
  };
}

/** The SSH banners of a `session` flow. */
export function sshBanners(flow: FlowRecord, server: string, client = 'SSH-2.0-libssh_0.10.6'): SshBanner {
  return {
    ts: flow.ts,
    uid: flow.uid,
    origH: flow.origH,
    origP: flow.origP,
    respH: flow.respH,
    respP: flow.respP,
    client,
    server,
  };
}
