/**
 * Test support: a TCP connection as a pcap file (Ethernet, IPv4), with a
 * handshake, data segments of at most `mss` bytes and a FIN, so hand-built
 * application messages can be read by both our parsers and tshark. Test-only.
 */

import { type PcapRecord, pcapFile } from '../../../../read/testing/build-capture.js';
import { eth, ipv4, tcp } from '../../../testing/packet-builders.js';

export interface Exchange {
  toServer: boolean;
  bytes: Uint8Array;
}

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

/**
 * @example
 * writeFileSync(path, tcpSessionPcap([{ toServer: true, bytes: request }], 445));
 */
export function tcpSessionPcap(exchanges: Exchange[], serverPort: number, mss = 1460): Uint8Array {
  const client = '192.168.7.10';
  const server = '192.168.7.20';
  const cport = 50123;
  let cseq = 1000;
  let sseq = 9000;
  const records: PcapRecord[] = [];
  let t = 0;
  const add = (fromClient: boolean, flags: number, payload: Uint8Array = new Uint8Array(0)) => {
    const seg = tcp(
      {
        sport: fromClient ? cport : serverPort,
        dport: fromClient ? serverPort : cport,
        seq: fromClient ? cseq : sseq,
        ack: flags & ACK ? (fromClient ? sseq : cseq) : 0,
        flags,
      },
      payload,
    );
    const pkt = eth(
      0x0800,
      ipv4({ src: fromClient ? client : server, dst: fromClient ? server : client, proto: 6 }, seg),
    );
    records.push({ sec: 1700000000, frac: t++ * 1000, data: pkt });
    const adv = payload.length + (flags & (SYN | FIN) ? 1 : 0);
    if (fromClient) cseq = (cseq + adv) >>> 0;
    else sseq = (sseq + adv) >>> 0;
  };
  add(true, SYN);
  add(false, SYN | ACK);
  add(true, ACK);
  for (const x of exchanges) {
    for (let o = 0; o < x.bytes.length; o += mss) add(x.toServer, ACK | PSH, x.bytes.subarray(o, o + mss));
  }
  add(true, FIN | ACK);
  add(false, FIN | ACK);
  add(true, ACK);
  return pcapFile({}, records);
}
