/**
 * One source's votes: how many of its probes matched each tool's packet
 * template, and the sequence features (kept source port, repeated sequence
 * number, source port counting up) that single packets cannot show. Plain
 * numbers only, so a state costs the same whatever the source sends.
 */
import { SmallDistinct } from './small-distinct.js';

/** Which template a probe matched; each keeps its own targets. */
export const Template = {
  NONE: -1,
  MASSCAN: 0,
  ZMAP_OLD: 1,
  ZMAP_NEW: 2,
  NMAP_SYN: 3,
  NMAP_OS: 4,
  NMAP_FLAG: 5,
  HPING: 6,
  NMAP_ECHO: 7,
  EMPTY_UDP: 8,
  STACK: 9,
} as const;
const TEMPLATES = 10;

/** Target addresses kept as text per template. */
export const HOST_SAMPLE = 8;

/** The targets of one template's probes: distinct hosts and ports, and the first hosts as text. */
export class TemplateTargets {
  readonly hosts = new SmallDistinct();
  readonly ports = new SmallDistinct();
  readonly sample: string[] = [];
  get bytes(): number {
    return 64 + this.hosts.bytes + this.ports.bytes + this.sample.length * 48;
  }
}

export interface SourceVotes {
  first: number;
  last: number;
  /** Probes of every class, and by class. */
  probes: number;
  syn: number;
  nullScan: number;
  fin: number;
  xmas: number;
  echo: number;
  udpEmpty: number;
  /** masscan: SYNs whose IP ID is (dst ^ dport ^ seq), and of those with window 1024 / initial TTL 255 / at most an MSS option. */
  masscan: number;
  masscanWin1024: number;
  masscanTtl255: number;
  masscanPlainOpts: number;
  /** ZMap before 3.0: SYNs with IP ID 54321 and window 65535. */
  zmapOld: number;
  /** ZMap 3.x: window 65535, initial TTL 255, no options or its short option sets. */
  zmapNew: number;
  /** Nmap raw SYN probes (window 1024..4096, MSS only), those repeating the previous probe's source port and sequence, and TTL spread. */
  nmapSyn: number;
  nmapRepeat: number;
  nmapTtlMin: number;
  nmapTtlMax: number;
  lastNmapPort: number;
  lastNmapSeq: number;
  /** Nmap OS-detection SYNs (TSval 0xFFFFFFFF). */
  nmapOs: number;
  /** Nmap NULL/FIN/Xmas probes: window 1024..4096, no options, source port kept. */
  nmapFlag: number;
  /** hping3: window 512 and no options, by class, and how often the source port went up by one. */
  hping: number;
  hpingSyn: number;
  hpingNull: number;
  hpingFin: number;
  hpingXmas: number;
  hpingStep: number;
  lastHpingPort: number;
  /** Nmap host discovery: ICMP echo requests with no payload and sequence 0; empty UDP datagrams, to port 40125 (-PU's default), keeping the source port; TTL spread of both. */
  echoNmap: number;
  udpTo40125: number;
  udpPortKept: number;
  lastUdpPort: number;
  pingTtlMin: number;
  pingTtlMax: number;
  /** The operating system's own SYNs (connect scans, browsers), and to ports 80/443 (Nmap's unprivileged host discovery). */
  stackSyn: number;
  stackSyn80or443: number;
  lastFlagPort: number;
  flagPortKept: number;
  /** Targets per Template, created when the template first matches. */
  targets: (TemplateTargets | undefined)[];
}

/** Fixed bytes of a SourceVotes without its counters (about 40 numbers and two objects). */
const FIXED_BYTES = 420;

export function newSourceVotes(ts: number): SourceVotes {
  return {
    first: ts,
    last: ts,
    probes: 0,
    syn: 0,
    nullScan: 0,
    fin: 0,
    xmas: 0,
    echo: 0,
    udpEmpty: 0,
    masscan: 0,
    masscanWin1024: 0,
    masscanTtl255: 0,
    masscanPlainOpts: 0,
    zmapOld: 0,
    zmapNew: 0,
    nmapSyn: 0,
    nmapRepeat: 0,
    nmapTtlMin: 256,
    nmapTtlMax: -1,
    lastNmapPort: -1,
    lastNmapSeq: -1,
    nmapOs: 0,
    nmapFlag: 0,
    hping: 0,
    hpingSyn: 0,
    hpingNull: 0,
    hpingFin: 0,
    hpingXmas: 0,
    hpingStep: 0,
    lastHpingPort: -1,
    echoNmap: 0,
    udpTo40125: 0,
    udpPortKept: 0,
    lastUdpPort: -1,
    pingTtlMin: 256,
    pingTtlMax: -1,
    stackSyn: 0,
    stackSyn80or443: 0,
    lastFlagPort: -1,
    flagPortKept: 0,
    targets: new Array(TEMPLATES),
  };
}

export function sizeOfVotes(v: SourceVotes): number {
  let n = FIXED_BYTES + TEMPLATES * 8;
  for (const t of v.targets) if (t) n += t.bytes;
  return n;
}
