/**
 * From one source's votes to named tools. Each rule needs a few matching
 * probes (one coincidence is cheap, three are not) and says in its evidence
 * how many of how many probes matched which fields.
 */

import { type SourceVotes, Template } from './packet-votes.js';
import type { ToolSighting } from './types.js';

/** Probes a rule needs before it names a tool (see docs/detectors/fingerprints.md). */
export const MIN_PROBES = 3;

type Conf = ToolSighting['confidence'];

/**
 * @example verdict(votes, '10.99.1.66', 'lab.pcap').map((s) => s.name) // ['masscan', 'nmap', 'hping3']
 */
export function verdict(v: SourceVotes, file?: string): ToolSighting[] {
  const out: ToolSighting[] = [];
  const add = (
    tpl: number,
    name: string,
    variant: string | undefined,
    confidence: Conf,
    count: number,
    evidence: string,
    proto = 'tcp',
  ) => {
    const t = v.targets[tpl];
    out.push({
      name,
      ...(variant ? { variant } : {}),
      confidence,
      evidence,
      count,
      ts: v.first,
      lastSeen: v.last,
      hosts: t ? [...t.sample] : [],
      hostCount: t ? t.hosts.count() : 0,
      ports: t && proto !== 'icmp' ? t.ports.values() : [],
      portCount: t && proto !== 'icmp' ? t.ports.count() : 0,
      proto,
      uids: [],
      files: file ? [file] : [],
    });
  };

  // masscan: a random IP ID satisfies the relation 1 time in 65,536, so demand
  // more matches than chance would give over all the source's SYNs.
  if (v.masscan >= 1 && v.masscan * 1000 >= v.syn) {
    const plain = v.masscanWin1024 === v.masscan && v.masscanTtl255 === v.masscan;
    const conf: Conf | undefined =
      v.masscan >= MIN_PROBES ? 'high' : plain && v.masscanPlainOpts === v.masscan ? 'medium' : undefined;
    if (conf)
      add(
        Template.MASSCAN,
        'masscan',
        'syn',
        conf,
        v.masscan,
        `${v.masscan} of ${v.syn} SYNs had IP ID = (destination ^ port ^ sequence) & 0xffff; ` +
          `${v.masscanWin1024} with window 1024, ${v.masscanTtl255} with initial TTL 255, ` +
          `${v.masscanPlainOpts} with no options or MSS only`,
      );
  }
  if (v.zmapOld >= 2) {
    add(
      Template.ZMAP_OLD,
      'zmap',
      'syn',
      v.zmapOld >= MIN_PROBES ? 'high' : 'medium',
      v.zmapOld,
      `${v.zmapOld} of ${v.syn} SYNs had IP ID 54321 and window 65535 (ZMap before 3.0)`,
    );
  } else if (v.zmapNew >= MIN_PROBES && v.zmapNew * 2 >= v.syn) {
    add(
      Template.ZMAP_NEW,
      'zmap',
      'syn',
      'medium',
      v.zmapNew,
      `${v.zmapNew} of ${v.syn} SYNs had window 65535, initial TTL 255 and no timestamp option (ZMap 3.x probe templates)`,
    );
  }
  if (v.nmapOs >= 2) {
    add(
      Template.NMAP_OS,
      'nmap',
      'os',
      v.nmapOs >= MIN_PROBES ? 'high' : 'medium',
      v.nmapOs,
      `${v.nmapOs} SYNs carried TCP timestamp 0xFFFFFFFF, as Nmap's OS-detection probes do`,
    );
  }
  if (v.nmapSyn >= 2) {
    const conf: Conf =
      v.nmapRepeat >= 1 && v.nmapSyn >= 2 ? 'high' : v.nmapSyn >= MIN_PROBES ? 'medium' : 'low';
    const ttl =
      v.nmapTtlMax > v.nmapTtlMin ? `TTL varying ${v.nmapTtlMin}-${v.nmapTtlMax}` : `TTL ${v.nmapTtlMin}`;
    add(
      Template.NMAP_SYN,
      'nmap',
      'syn',
      conf,
      v.nmapSyn,
      `${v.nmapSyn} of ${v.syn} SYNs had window 1024/2048/3072/4096 and only an MSS option; ` +
        `${v.nmapRepeat} kept the previous probe's source port and sequence number; ${ttl}`,
    );
  }
  if (v.nmapFlag >= MIN_PROBES && v.flagPortKept >= 1) {
    const flags = v.nullScan + v.fin + v.xmas;
    add(
      Template.NMAP_FLAG,
      'nmap',
      flagVariant(v.nullScan, v.fin, v.xmas),
      'medium',
      v.nmapFlag,
      `${v.nmapFlag} of ${flags} NULL/FIN/Xmas probes had window 1024/2048/3072/4096 and no options, the source port kept`,
    );
  }
  if (v.hping >= 2) {
    const conf: Conf = v.hpingStep >= 1 ? (v.hping >= MIN_PROBES ? 'high' : 'medium') : 'low';
    const variant =
      v.hpingSyn >= v.hpingNull + v.hpingFin + v.hpingXmas
        ? 'syn'
        : flagVariant(v.hpingNull, v.hpingFin, v.hpingXmas);
    add(
      Template.HPING,
      'hping3',
      variant,
      conf,
      v.hping,
      `${v.hping} TCP probes (${v.hpingSyn} SYN, ${v.hpingNull} NULL, ${v.hpingFin} FIN, ${v.hpingXmas} Xmas) ` +
        `had window 512 and no options; ${v.hpingStep} times the source port went up by one`,
    );
  }
  // Nmap's raw pings draw a fresh TTL per packet; a stack's own pings keep one.
  const ttlVaries = v.pingTtlMax > v.pingTtlMin;
  const ttlText = `TTL ${v.pingTtlMin}-${v.pingTtlMax}`;
  if (v.echoNmap >= MIN_PROBES && ttlVaries) {
    add(
      Template.NMAP_ECHO,
      'nmap',
      'ping',
      'medium',
      v.echoNmap,
      `${v.echoNmap} of ${v.echo} ICMP echo requests had no payload and sequence 0, ${ttlText} (Nmap's -PE host discovery)`,
      'icmp',
    );
  }
  if (v.udpEmpty >= MIN_PROBES && v.udpPortKept + 1 >= v.udpEmpty / 2 && (ttlVaries || v.udpTo40125 > 0)) {
    const to40125 = v.udpTo40125 * 2 >= v.udpEmpty;
    add(
      Template.EMPTY_UDP,
      'nmap',
      to40125 ? 'ping' : 'udp',
      to40125 && ttlVaries ? 'high' : 'medium',
      v.udpEmpty,
      `${v.udpEmpty} empty UDP datagrams, ${v.udpTo40125} to port 40125 (Nmap's -PU default), ` +
        `${v.udpPortKept} keeping the source port, ${ttlText}`,
      'udp',
    );
  }
  // Connect scans use the operating system's own SYNs: only the pattern hints at the tool.
  const stack = v.targets[Template.STACK];
  const stackHosts = stack?.hosts.count() ?? 0;
  const stackPorts = stack?.ports.count() ?? 0;
  if (v.stackSyn >= 4 && v.stackSyn80or443 === v.stackSyn && stackHosts >= 2 && stackPorts === 2) {
    add(
      Template.STACK,
      'nmap',
      'ping',
      'low',
      v.stackSyn,
      `${v.stackSyn} ordinary TCP connects, all to ports 80 and 443 of ${stackHosts} hosts: the pattern of Nmap's host discovery without raw sockets`,
    );
  } else if (v.stackSyn >= 20 && stackPorts >= 20) {
    add(
      Template.STACK,
      'nmap',
      'connect',
      'low',
      v.stackSyn,
      `${v.stackSyn} ordinary TCP connects to ${stackPorts} ports: a connect scan (nmap -sT or any other connect scanner)`,
    );
  }
  return out;
}

function flagVariant(nul: number, fin: number, xmas: number): string {
  if (xmas >= nul && xmas >= fin) return nul + fin > 0 ? 'flags' : 'xmas';
  if (fin >= nul) return nul + xmas > 0 ? 'flags' : 'fin';
  return fin + xmas > 0 ? 'flags' : 'null';
}
