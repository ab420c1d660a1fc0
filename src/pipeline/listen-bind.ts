/**
 * Opening the collectors' sockets, with errors that say which collector and
 * address failed and why (EADDRINUSE, EACCES...), and the kernel's count of
 * datagrams a UDP socket dropped.
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, isIP, type Server, type Socket as TcpSocket } from 'node:net';
import type { CollectorKind } from './listen-stats.js';
import { formatHostPort } from './listen-stats.js';

export interface ListenAddress {
  /** An IP address or host name; '0.0.0.0' or '::' for every interface. */
  host: string;
  /** 0 picks a free port (see the collector's `address` for the one bound). */
  port: number;
}

/** A collector could not open its socket: unusable configuration, so thrown. */
export class ListenBindError extends Error {
  constructor(
    readonly collector: CollectorKind,
    readonly address: string,
    /** The system error code, e.g. 'EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'. */
    readonly code: string,
    detail: string,
  ) {
    super(`${collector} cannot listen on ${address}: ${detail}`);
  }
}

/**
 * Binds a UDP socket; the receive buffer is raised towards `receiveBuffer`
 * (the kernel caps it at net.core.rmem_max).
 *
 * @example const s = await bindUdp('netflow-udp', { host: '127.0.0.1', port: 0 }, 4 << 20);
 */
export async function bindUdp(
  kind: CollectorKind,
  at: ListenAddress,
  receiveBuffer: number,
): Promise<Socket> {
  const sock = createSocket({ type: isIP(at.host) === 6 ? 'udp6' : 'udp4', recvBufferSize: receiveBuffer });
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      sock.close();
      reject(bindError(kind, at, err));
    };
    sock.once('error', fail);
    sock.bind(at.port, at.host, () => {
      sock.off('error', fail);
      resolve();
    });
  });
  return sock;
}

/**
 * Starts a TCP server.
 *
 * @example const srv = await listenTcp('syslog-tcp', { host: '127.0.0.1', port: 0 }, (s) => ...);
 */
export async function listenTcp(
  kind: CollectorKind,
  at: ListenAddress,
  onConnection: (s: TcpSocket) => void,
): Promise<Server> {
  const server = createServer({ noDelay: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(bindError(kind, at, err));
    server.once('error', fail);
    server.listen(at.port, at.host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  return server;
}

function bindError(kind: CollectorKind, at: ListenAddress, err: NodeJS.ErrnoException): ListenBindError {
  const code = err.code ?? 'UNKNOWN';
  const why: Record<string, string> = {
    EADDRINUSE: 'the port is already in use',
    EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
    EADDRNOTAVAIL: 'no interface of this machine has that address',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name does not resolve',
  };
  return new ListenBindError(kind, formatHostPort(at.host, at.port), code, why[code] ?? err.message);
}

/**
 * Datagrams the kernel dropped on UDP sockets bound to `port` (receive buffer
 * full), summed over /proc/net/udp and udp6; undefined where that file does
 * not exist (not Linux). Sockets are matched by port alone.
 *
 * @example udpKernelDrops(2055) // 0
 */
export function udpKernelDrops(port: number): number | undefined {
  let found = false;
  let drops = 0;
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    found = true;
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      // sl local rem st tx:rx tr:when retr uid timeout inode ref pointer drops
      if (cols.length < 13 || !cols[1]!.endsWith(hexPort)) continue;
      const n = Number(cols[cols.length - 1]);
      if (Number.isFinite(n)) drops += n;
    }
  }
  return found ? drops : undefined;
}
