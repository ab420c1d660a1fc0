/**
 * The packet fingerprinter: sees every decoded packet of a capture, keeps
 * per-source votes for the packet templates of masscan, ZMap, Nmap and hping3
 * (see packet-probe.ts), and names the tools when a source's state leaves the
 * table (idle, budget, end). Non-probe packets leave after two comparisons;
 * a probe costs a Map lookup and a few counter updates, and the source's key
 * string is only built when the source changes.
 */
import type { DecodedPacket } from '../../schema/packet.js';
import { formatAddress, ipv4Word } from '../../util/ip.js';
import { hashValue } from '../core/distinct.js';
import { createStateTable, type StateTableStats } from '../core/state-table.js';
import {
  hasMasscanIpId,
  initialTtl,
  isMssOnly,
  isNmapWindow,
  isStackSyn,
  isZmapOptions,
  Probe,
  probeOf,
  tcpOptionBytes,
} from './packet-probe.js';
import { verdict } from './packet-verdict.js';
import {
  HOST_SAMPLE,
  newSourceVotes,
  type SourceVotes,
  sizeOfVotes,
  Template,
  TemplateTargets,
} from './packet-votes.js';
import { addSighting, type ToolSighting } from './types.js';

export interface PacketFingerprinterOptions {
  /** Bytes the per-source votes may hold (default 16 MiB). */
  budgetBytes?: number;
  /** A source quiet this long (capture seconds) is concluded (default 600). */
  idleSeconds?: number;
  /** Sources with a named tool kept for `tools()` (default 65,536); more are counted as dropped. */
  maxResults?: number;
  /** Capture file named in the evidence. */
  file?: string;
}

export interface PacketFingerprinterStats extends StateTableStats {
  packets: number;
  probes: number;
  /** Sources concluded, and those that named at least one tool. */
  concluded: number;
  identified: number;
  /** Identified sources not kept because maxResults was reached. */
  resultsDropped: number;
}

export interface PacketFingerprinter {
  packet(p: DecodedPacket): void;
  /** End of input: concludes every source still held. */
  finish(): void;
  /** Source address → tools seen from it. */
  tools(): Map<string, ToolSighting[]>;
  stats(): PacketFingerprinterStats;
}

/** Probes between two idle sweeps of the state table. */
const ADVANCE_EVERY = 4096;

/**
 * @example
 * const fp = createPacketFingerprinter({ budgetBytes: 1 << 22, idleSeconds: 600 });
 * for (const frame of frames) fp.packet(decoder.decode(frame));
 * fp.finish(); fp.tools().get('10.99.1.66') // [{ name: 'masscan', confidence: 'high', ... }]
 */
export function createPacketFingerprinter(opts: PacketFingerprinterOptions = {}): PacketFingerprinter {
  const maxResults = opts.maxResults ?? 65_536;
  const results = new Map<string, ToolSighting[]>();
  let packets = 0;
  let probes = 0;
  let concluded = 0;
  let identified = 0;
  let resultsDropped = 0;

  const table = createStateTable<SourceVotes>({
    idleSeconds: opts.idleSeconds ?? 600,
    budgetBytes: opts.budgetBytes ?? 16 * 1024 * 1024,
    sizeOf: sizeOfVotes,
    onExpire: (key, votes) => {
      concluded++;
      const found = verdict(votes, opts.file);
      if (found.length === 0) return;
      identified++;
      let list = results.get(key);
      if (!list) {
        if (results.size >= maxResults) {
          resultsDropped++;
          return;
        }
        list = [];
        results.set(key, list);
      }
      for (const s of found) addSighting(list, s);
    },
  });

  // The last source's key, rebuilt only when the source changes (scans come in runs).
  let lastLen = 0;
  let lastWord = -1;
  const lastV6 = new Uint8Array(16);
  let lastKey = '';

  const keyOf = (p: DecodedPacket): string => {
    if (p.addrLen === 4) {
      const w = ipv4Word(p.src);
      if (lastLen === 4 && w === lastWord) return lastKey;
      lastLen = 4;
      lastWord = w;
    } else {
      let same = lastLen === 16;
      for (let i = 0; same && i < 16; i++) same = lastV6[i] === p.src[i];
      if (same) return lastKey;
      lastLen = 16;
      lastV6.set(p.src.subarray(0, 16));
    }
    lastKey = formatAddress(p.src, p.addrLen);
    return lastKey;
  };

  // One factory for new states (no closure per lookup); makeTs is the probe's time.
  let makeTs = 0;
  const makeVotes = () => newSourceVotes(makeTs);
  // The state last returned by the table, for runs of probes from one source.
  let cached: SourceVotes | undefined;
  let cachedKey = '';
  let cachedAt = 0;

  return {
    packet(p) {
      packets++;
      const probe = probeOf(p);
      if (probe === Probe.NONE) return;
      probes++;
      const key = keyOf(p);
      // Scans come in runs from one source: skip the table's move-to-back while
      // the same source keeps probing within a second of its last refresh.
      let v = cached;
      if (v === undefined || key !== cachedKey || p.ts - cachedAt >= 1 || p.ts < cachedAt) {
        makeTs = p.ts;
        v = table.get(key, p.ts, makeVotes);
        cached = v;
        cachedKey = key;
        cachedAt = p.ts;
      }
      if (p.ts > v.last) v.last = p.ts;
      v.probes++;
      let tpl: number;
      if (probe === Probe.SYN) tpl = onSyn(v, p);
      else if (probe === Probe.NULL || probe === Probe.FIN || probe === Probe.XMAS)
        tpl = onFlags(v, p, probe);
      else if (probe === Probe.ECHO) tpl = onEcho(v, p);
      else tpl = onEmptyUdp(v, p);
      if (tpl !== Template.NONE && aim(v, tpl, p, probe !== Probe.ECHO)) table.touched(key);
      if ((probes & (ADVANCE_EVERY - 1)) === 0) {
        table.advance(p.ts);
        cached = undefined;
      }
    },
    finish() {
      cached = undefined;
      table.drain();
    },
    tools: () => results,
    stats: () => ({ ...table.stats(), packets, probes, concluded, identified, resultsDropped }),
  };
}

function dstHash(p: DecodedPacket): number {
  if (p.addrLen === 4) return ipv4Word(p.dst);
  let h = 0;
  for (let i = 0; i < 16; i += 4) h = hashValue(h ^ ipv4Word(p.dst, i));
  return h;
}

/** Counts the probe's target under its template; true when the state grew (so the table recounts it). */
function aim(v: SourceVotes, tpl: number, p: DecodedPacket, hasPort: boolean): boolean {
  let t = v.targets[tpl];
  const fresh = t === undefined;
  if (t === undefined) {
    t = new TemplateTargets();
    v.targets[tpl] = t;
  }
  const before = t.bytes;
  if (t.hosts.add(dstHash(p)) && t.sample.length < HOST_SAMPLE)
    t.sample.push(formatAddress(p.dst, p.addrLen));
  if (hasPort && p.dstPort >= 0) t.ports.add(p.dstPort);
  return fresh || t.bytes !== before;
}

function onSyn(v: SourceVotes, p: DecodedPacket): number {
  v.syn++;
  const opt = tcpOptionBytes(p);
  const ttl255 = initialTtl(p.ttl) === 255;
  if (hasMasscanIpId(p)) {
    v.masscan++;
    if (p.window === 1024) v.masscanWin1024++;
    if (ttl255) v.masscanTtl255++;
    if (opt === 0 || isMssOnly(p, opt)) v.masscanPlainOpts++;
    return Template.MASSCAN;
  }
  if (p.tsVal === 0xffffffff) {
    v.nmapOs++;
    return Template.NMAP_OS;
  }
  if (p.window === 65535 && p.ipId === 54321 && ttl255) {
    v.zmapOld++;
    return Template.ZMAP_OLD;
  }
  if (isNmapWindow(p.window) && isMssOnly(p, opt)) {
    v.nmapSyn++;
    if (p.srcPort === v.lastNmapPort && p.seq === v.lastNmapSeq) v.nmapRepeat++;
    v.lastNmapPort = p.srcPort;
    v.lastNmapSeq = p.seq;
    if (p.ttl < v.nmapTtlMin) v.nmapTtlMin = p.ttl;
    if (p.ttl > v.nmapTtlMax) v.nmapTtlMax = p.ttl;
    return Template.NMAP_SYN;
  }
  if (p.window === 65535 && ttl255 && isZmapOptions(p, opt)) {
    v.zmapNew++;
    return Template.ZMAP_NEW;
  }
  if (p.window === 512 && opt === 0) {
    v.hping++;
    v.hpingSyn++;
    hpingStep(v, p);
    return Template.HPING;
  }
  if (isStackSyn(p)) {
    v.stackSyn++;
    if (p.dstPort === 80 || p.dstPort === 443) v.stackSyn80or443++;
    return Template.STACK;
  }
  return Template.NONE;
}

function onFlags(v: SourceVotes, p: DecodedPacket, probe: number): number {
  if (probe === Probe.NULL) v.nullScan++;
  else if (probe === Probe.FIN) v.fin++;
  else v.xmas++;
  const opt = tcpOptionBytes(p);
  if (p.window === 512 && opt === 0) {
    v.hping++;
    if (probe === Probe.NULL) v.hpingNull++;
    else if (probe === Probe.FIN) v.hpingFin++;
    else v.hpingXmas++;
    hpingStep(v, p);
    return Template.HPING;
  }
  if (isNmapWindow(p.window) && opt === 0) {
    v.nmapFlag++;
    if (p.srcPort === v.lastFlagPort) v.flagPortKept++;
    v.lastFlagPort = p.srcPort;
    return Template.NMAP_FLAG;
  }
  return Template.NONE;
}

function hpingStep(v: SourceVotes, p: DecodedPacket): void {
  if (v.lastHpingPort >= 0 && p.srcPort === ((v.lastHpingPort + 1) & 0xffff)) v.hpingStep++;
  v.lastHpingPort = p.srcPort;
}

function onEcho(v: SourceVotes, p: DecodedPacket): number {
  v.echo++;
  if (p.payload.length !== 0 || icmpSequence(p) !== 0) return Template.NONE;
  v.echoNmap++;
  pingTtl(v, p.ttl);
  return Template.NMAP_ECHO;
}

function onEmptyUdp(v: SourceVotes, p: DecodedPacket): number {
  v.udpEmpty++;
  if (p.dstPort === 40125) v.udpTo40125++;
  if (p.srcPort === v.lastUdpPort) v.udpPortKept++;
  v.lastUdpPort = p.srcPort;
  pingTtl(v, p.ttl);
  return Template.EMPTY_UDP;
}

function pingTtl(v: SourceVotes, ttl: number): void {
  if (ttl < v.pingTtlMin) v.pingTtlMin = ttl;
  if (ttl > v.pingTtlMax) v.pingTtlMax = ttl;
}

/** The ICMP echo sequence number, -1 when the header is not in the frame. */
function icmpSequence(p: DecodedPacket): number {
  const off = p.l4Offset;
  const d = p.frame.data;
  if (off < 0 || off + 8 > d.length) return -1;
  return (d[off + 6]! << 8) | d[off + 7]!;
}
