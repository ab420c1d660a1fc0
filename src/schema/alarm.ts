/**
 * Triage: what Picket concludes about an IDS alert, step by step as the first
 * seed's analyst works (connection, rule, response, relevance, action), each
 * step tri-state and carrying its evidence. Alerts grouped per rule, source
 * and target become one Alarm.
 */
import type { SourceKind } from './event.js';

/** Never claim more than the evidence: 'unknown' is a value (house rule 4). */
export type TriState = 'yes' | 'no' | 'unknown';

export const dispositions = [
  /** Nothing to do (e.g. a research scanner's probe that reached nothing). */
  'no-action',
  /** The firewall (or an IPS) stopped it; the connection never formed. */
  'blocked',
  /** It reached the target and failed (400/404, login refused, nothing answered). */
  'failed-attempt',
  /** The target does not run what the attack is aimed at. */
  'not-applicable',
  /** The evidence cannot tell; an analyst should look. */
  'needs-investigation',
  /** It may have worked: a success status, a leaked file, a login after guesses. */
  'likely-compromise',
] as const;
export type Disposition = (typeof dispositions)[number];

/** Low to critical, as OCSF severity ids 2–5 are named. */
export type Priority = 'low' | 'medium' | 'high' | 'critical';

/** One piece of evidence a verdict rests on, enough to find it again. */
export interface EvidenceRef {
  kind: 'flow' | 'event' | 'alert' | 'http' | 'log-line' | 'rule' | 'asset' | 'finding' | 'probe' | 'netflow';
  /** Flow or event uid, `sid:N`, `file:line`, asset address ... */
  ref: string;
  /** Short plain note: "3 packets to the server, 0 back", "HTTP 404 text/html 162 bytes". */
  note?: string;
  sourceKind?: SourceKind;
}

/** Step 1: did the connection form, and how much passed between the two hosts. */
export interface ConnectionVerdict {
  established: TriState;
  dataExchanged: TriState;
  /** A firewall log (or IPS drop) says it was stopped. */
  blocked: TriState;
  /** Packets and bytes each way, when a capture, NetFlow or Zeek record says (summed over the grouped alerts' flows). */
  packetsToServer?: number;
  packetsToClient?: number;
  bytesToServer?: number;
  bytesToClient?: number;
  /** Which kinds of evidence were consulted and held something. */
  basis: SourceKind[];
  summary: string;
  evidence: EvidenceRef[];
}

export interface RuleReference {
  /** 'cve', 'bugtraq', 'url', 'md5', 'nessus' ... as the rule names it. */
  type: string;
  value: string;
  /** The resolved link (CVE → NVD, bugtraq → SecurityFocus archive, url → https://value). */
  url?: string;
}

/** A span of the session the rule matched, shown inert (escaped) and highlighted by position. */
export interface MatchedBytes {
  /** Buffer name as the rule uses it: 'http.user_agent', 'http.uri', 'pkt_data' ... */
  buffer: string;
  /** Printable excerpt with non-printing bytes as \xNN; never evaluated. */
  excerpt: string;
  /** Offsets of the matched span within the excerpt. */
  start: number;
  end: number;
}

/** Step 2: what the rule says and detects. */
export interface RuleUnderstanding {
  sid?: number;
  gid?: number;
  rev?: number;
  msg: string;
  classtype?: string;
  /** Rule family ('scan', 'brute-force', 'exploit', 'web-attack', 'policy', 'trojan' ...). */
  family: string;
  /** Human alarm title: "Someone is scanning your network with Nessus". */
  alarmTitle: string;
  /** Plain-language explanation of the rule (from the rule explainer), when the rule text is known. */
  explanation?: string;
  references: RuleReference[];
  /** ET metadata (affected_product, attack_target, cve, signature_severity ...). */
  metadata: Record<string, string[]>;
  matched: MatchedBytes[];
  evidence: EvidenceRef[];
}

/** Step 3: what the server answered in the same session. */
export interface ResponseVerdict {
  /** The server answered at all. */
  answered: TriState;
  /** The attempt failed by what was answered (400/404, login refused). */
  attemptFailed: TriState;
  /** SSH: a login succeeded for this source. */
  loginSucceeded?: TriState;
  http?: { status?: number; server?: string; contentType?: string; bodyBytes?: number };
  /** Where the answer was read: 'http' (capture), 'weblog', 'eve', 'sshd', 'session-shape', 'none'. */
  basis: string;
  /** What the answer means for this kind of attack, in a sentence. */
  meaning: string;
  evidence: EvidenceRef[];
}

export interface ProductClaim {
  /** Normalised product name: 'joomla', 'zyxel-zynos', 'iis', 'cisco-ios', 'openssh' ... */
  product: string;
  version?: string;
  /** Affected version range, e.g. '>=1.5 <=3.4.5'. */
  versions?: string;
  /** The port the product runs on, when the claim is about one service rather than the host. */
  port?: number;
  /** Where the claim came from: 'metadata', 'msg', 'catalogue', 'nmap', 'passive', 'inventory', 'verify'. */
  source: string;
}

/** Step 4: does the target run what the attack is aimed at. */
export interface RelevanceVerdict {
  applicable: TriState;
  /** What the rule targets. */
  targets: ProductClaim[];
  /** What the asset is known to run. */
  asset: ProductClaim[];
  reason: string;
  evidence: EvidenceRef[];
}

export type ActionKind =
  | 'block-source'
  | 'prevention-mode'
  | 'suppress'
  | 'restrict-ssh'
  | 'waf-rule'
  | 'patch'
  | 'investigate'
  | 'no-action';

/** Step 5: what to do, with ready snippets. */
export interface ActionRecommendation {
  kind: ActionKind;
  reason: string;
  snippets: { format: string; text: string }[];
}

/**
 * One triaged alarm: alerts of one rule from one source to one target.
 *
 * @example
 * const a: Alarm = { uid: 'A…', title: 'Someone is scanning your network with JCE Joomla Scanner',
 *   disposition: 'failed-attempt', priority: 'low', … };
 */
export interface Alarm {
  uid: string;
  ts: number;
  lastSeen: number;
  src: string;
  dst: string;
  dstPort?: number;
  proto?: string;
  sid?: number;
  msg: string;
  title: string;
  /** Alerts grouped into this alarm, and up to 20 of their event uids. */
  count: number;
  alertUids: string[];
  /** Where the alerts came from: Picket's engine ('pcap'), Suricata EVE, Snort ... */
  alertSources: SourceKind[];
  disposition: Disposition;
  priority: Priority;
  /** One sentence: the conclusion and why. */
  conclusion: string;
  connection: ConnectionVerdict;
  rule: RuleUnderstanding;
  response: ResponseVerdict;
  relevance: RelevanceVerdict;
  actions: ActionRecommendation[];
  /** The incident of the source, when detection made one. */
  incident?: string;
}
