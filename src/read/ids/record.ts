/**
 * Records of the IDS log readers: Suricata EVE JSON (every event type) and
 * Snort alerts (2's fast and full text, 3's alert_json). Plain data, as the
 * log gave it; normalize/ids.ts turns them into Events.
 */
import type { LogRecordBase } from '../syslog/types.js';

export type IdsFormat = 'suricata-eve' | 'snort-fast' | 'snort-full' | 'snort3-json';

/** Fields every IDS record has: the packet's or flow's endpoints as logged. */
export interface IdsRecordBase extends LogRecordBase {
  reader: 'ids';
  format: IdsFormat;
  src?: string;
  srcPort?: number;
  dst?: string;
  dstPort?: number;
  /** Lowercase transport name ('tcp', 'udp', 'icmp', 'ipv6-icmp') or the protocol number as text. */
  proto?: string;
}

/** A signature match, in the words both engines share. */
export interface IdsSignature {
  gid: number;
  sid: number;
  rev: number;
  /** The rule's msg (Suricata's `signature`). */
  msg: string;
  /** Short classtype name (Snort 3 `class`), when the log gives it. */
  classtype?: string;
  /** Classification description (EVE `category`, fast.log `[Classification: ...]`). */
  category?: string;
  /** 1 = most severe (EVE `severity`, Snort `priority`). */
  priority?: number;
  /** As logged: EVE allowed/blocked, Snort 3 allow/drop/block/reset/..., fast.log's bracketed word. */
  action?: string;
}

export interface EveFlowInfo {
  pktsToServer?: number;
  pktsToClient?: number;
  bytesToServer?: number;
  bytesToClient?: number;
  /** Seconds since the epoch. */
  start?: number;
  end?: number;
  age?: number;
  /** new, established, closed, bypassed, local-bypassed... */
  state?: string;
  /** timeout, forced, shutdown. */
  reason?: string;
  alerted?: boolean;
  /** pass / drop (IPS verdict on the flow). */
  action?: string;
  /** TCP flags seen from the client and from the server (hex text as logged, e.g. "1e"). */
  tcpFlagsToServer?: number;
  tcpFlagsToClient?: number;
  tcpState?: string;
}

export interface EveHttpInfo {
  hostname?: string;
  url?: string;
  method?: string;
  protocol?: string;
  status?: number;
  length?: number;
  userAgent?: string;
  referrer?: string;
  contentType?: string;
  port?: number;
}

export interface EveSshInfo {
  clientVersion?: string;
  clientSoftware?: string;
  serverVersion?: string;
  serverSoftware?: string;
  clientHassh?: string;
  serverHassh?: string;
}

export interface DnsQuestion {
  rrname: string;
  rrtype?: string;
}
export interface DnsAnswer {
  rrname?: string;
  rrtype?: string;
  rdata?: string;
  ttl?: number;
}

/** One DNS record in the shape every Suricata version's layout folds into. */
export interface EveDnsInfo {
  /** Logging format: 1 (flat, before Suricata 5), 2 (5 to 7), 3 (8 on). Guessed when not written. */
  version: number;
  /** 'query' or 'answer' (version 3's request/response are mapped to these). */
  type: string;
  id?: number;
  rcode?: string;
  flags?: string;
  queries: DnsQuestion[];
  answers: DnsAnswer[];
  /** Questions and answers past the per-record limit, counted but not kept. */
  dropped?: number;
}

export interface EveTlsInfo {
  sni?: string;
  subject?: string;
  issuer?: string;
  version?: string;
  fingerprint?: string;
  ja3?: string;
  ja3s?: string;
  ja4?: string;
  sessionResumed?: boolean;
}

export interface EveFileInfo {
  filename?: string;
  size?: number;
  state?: string;
  stored?: boolean;
  md5?: string;
  sha256?: string;
  magic?: string;
}

export interface EveAnomalyInfo {
  type?: string;
  event?: string;
  layer?: string;
  code?: number;
}

/** One EVE JSON line. Unknown event types keep the common part (`eventType`, tuple, flow id). */
export interface EveRecord extends IdsRecordBase {
  format: 'suricata-eve';
  /** `event_type` as logged: alert, flow, netflow, http, ssh, dns, tls, fileinfo, anomaly, drop, stats... */
  eventType: string;
  /** 64-bit flow id as decimal text (JSON numbers lose its low bits). */
  flowId?: string;
  pcapCnt?: number;
  txId?: number;
  appProto?: string;
  communityId?: string;
  inIface?: string;
  direction?: string;
  icmpType?: number;
  icmpCode?: number;
  alert?: IdsSignature & { targetIp?: string; targetPort?: number; sourceIp?: string; sourcePort?: number };
  flow?: EveFlowInfo;
  http?: EveHttpInfo;
  ssh?: EveSshInfo;
  dns?: EveDnsInfo;
  tls?: EveTlsInfo;
  fileinfo?: EveFileInfo;
  anomaly?: EveAnomalyInfo;
}

/** One Snort alert, from any of the three formats. */
export interface SnortAlertRecord extends IdsRecordBase {
  format: 'snort-fast' | 'snort-full' | 'snort3-json';
  alert: IdsSignature;
  /** 1-based line where a multi-line (full) alert starts. */
  line?: number;
  /** Snort 3 `pkt_num`. */
  pktNum?: number;
  /** Snort 3 `dir`: C2S, S2C, UNK. */
  dir?: string;
  /** Snort 3 `service` or fast.log `[AppID: ...]`. */
  service?: string;
  /** Snort's packet type word when not a transport (e.g. 'IP', 'ARP'). */
  pktType?: string;
  /** Further scalar fields worth keeping (ttl, tcp_flags, iface, Xref...). */
  extra: Record<string, string | number>;
}

export type IdsRecord = EveRecord | SnortAlertRecord;
