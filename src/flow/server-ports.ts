/**
 * Zeek's `likely_server_ports`: the ports its default protocol scripts
 * register. Zeek uses them to guess who the responder is when a connection
 * starts midstream (TCP without SYN, SYN-ACK first) or for UDP, and marks
 * such a flip with `^` in the history. This list follows the port sets of
 * Zeek's base/protocols scripts (and the default tunnel decapsulation ports).
 */

const TCP_PORTS = [
  21, 22, 23, 25, 80, 81, 88, 110, 135, 139, 143, 389, 443, 445, 502, 563, 585, 587, 614, 631, 636, 989, 990,
  992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306, 3389, 5222, 5223, 5269, 5432, 6666, 6667, 6668,
  6669, 8000, 8080, 8888, 20000,
];
const UDP_PORTS = [
  53, 67, 88, 123, 137, 161, 162, 389, 443, 514, 1812, 2123, 2152, 3478, 3544, 4789, 5060, 5072, 5247, 5353,
  5355, 6081, 20000,
];

const tcpSet = new Uint8Array(65536);
const udpSet = new Uint8Array(65536);
for (const p of TCP_PORTS) tcpSet[p] = 1;
for (const p of UDP_PORTS) udpSet[p] = 1;

/** True when Zeek would consider `port` a likely server port for TCP. */
export function isLikelyTcpServerPort(port: number): boolean {
  return tcpSet[port] === 1;
}

/** True when Zeek would consider `port` a likely server port for UDP. */
export function isLikelyUdpServerPort(port: number): boolean {
  return udpSet[port] === 1;
}
