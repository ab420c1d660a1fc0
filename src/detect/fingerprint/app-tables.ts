/**
 * Tools named by the strings they send: HTTP User-Agents, SSH client
 * banners, and the IDS signature messages that already name a tool.
 *
 * Where the line is drawn: a string names a tool here only when that tool is
 * built to scan or attack (Nmap, Nessus, Nikto, sqlmap, hydra, ZGrab ...).
 * General clients and libraries (curl, Wget, python-requests, Go's
 * net/http, paramiko, OpenSSH, PuTTY) are not tools: anyone uses them, and
 * their volume is for the scan detectors to judge. SSH libraries that
 * brute-force kits are built on (libssh, libssh2, Go's x/crypto/ssh) are
 * named with low confidence, saying so.
 *
 * Every pattern is a plain literal or a short anchored expression with no
 * nested repetition, run on at most the first 512 characters: attacker text
 * cannot make matching slow.
 */
import type { ToolMatch } from '../../schema/finding.js';

/** Longest prefix of attacker text the tables look at. */
const MAX_TEXT = 512;

interface Pattern {
  re: RegExp;
  name: string;
  variant?: string;
  confidence: ToolMatch['confidence'];
  /** What the match means, for the evidence sentence. */
  why: string;
}

const userAgents: readonly Pattern[] = [
  {
    re: /Nmap Scripting Engine|\bNmap NSE\b/i,
    name: 'nmap',
    variant: 'nse',
    confidence: 'high',
    why: "Nmap Scripting Engine's default User-Agent",
  },
  { re: /\bNessus\b/i, name: 'nessus', confidence: 'high', why: "Nessus's User-Agent" },
  { re: /\bNikto\b/i, name: 'nikto', confidence: 'high', why: "Nikto's User-Agent" },
  { re: /\bsqlmap\//i, name: 'sqlmap', confidence: 'high', why: "sqlmap's default User-Agent" },
  { re: /\bzgrab\//i, name: 'zgrab', confidence: 'high', why: "ZGrab's User-Agent" },
  {
    re: /^BOT\/0\.1 \(BOT for JCE\)/,
    name: 'jce-bot',
    confidence: 'high',
    why: 'the Joomla JCE exploit bot\'s User-Agent "BOT/0.1 (BOT for JCE)"',
  },
  {
    re: /^masscan\/\d/i,
    name: 'masscan',
    variant: 'banner',
    confidence: 'high',
    why: "masscan's banner-grab User-Agent",
  },
  { re: /\bOpenVAS\b/i, name: 'openvas', confidence: 'high', why: "OpenVAS's User-Agent" },
  {
    re: /\(Hydra\)|\bHydra\b/,
    name: 'hydra',
    variant: 'http',
    confidence: 'high',
    why: "THC Hydra's HTTP User-Agent",
  },
  {
    re: /\bMedusa\b/,
    name: 'medusa',
    variant: 'http',
    confidence: 'medium',
    why: "Medusa's HTTP User-Agent",
  },
  { re: /\bWPScan\b/i, name: 'wpscan', confidence: 'high', why: "WPScan's User-Agent" },
  {
    re: /projectdiscovery\/nuclei|\bNuclei\b/i,
    name: 'nuclei',
    confidence: 'high',
    why: "Nuclei's User-Agent",
  },
  { re: /^gobuster\//i, name: 'gobuster', confidence: 'high', why: "gobuster's User-Agent" },
  { re: /DirBuster/i, name: 'dirbuster', confidence: 'high', why: "DirBuster's User-Agent" },
  { re: /Fuzz Faster U Fool|^ffuf\b/i, name: 'ffuf', confidence: 'high', why: "ffuf's User-Agent" },
  { re: /^Wfuzz\//i, name: 'wfuzz', confidence: 'high', why: "Wfuzz's User-Agent" },
  { re: /\bWhatWeb\//i, name: 'whatweb', confidence: 'high', why: "WhatWeb's User-Agent" },
  { re: /\bw3af\b/i, name: 'w3af', confidence: 'high', why: "w3af's User-Agent" },
  { re: /\bArachni\//i, name: 'arachni', confidence: 'high', why: "Arachni's User-Agent" },
  { re: /\bNetsparker\b/i, name: 'netsparker', confidence: 'high', why: "Netsparker's User-Agent" },
  { re: /\bAcunetix\b/i, name: 'acunetix', confidence: 'medium', why: 'a User-Agent naming Acunetix' },
  { re: /\bSkipfish\b/i, name: 'skipfish', confidence: 'high', why: "Skipfish's User-Agent" },
  { re: /\bZmEu\b/, name: 'zmeu', confidence: 'high', why: "the ZmEu scanner's User-Agent" },
  { re: /\bWapiti\b/i, name: 'wapiti', confidence: 'high', why: "Wapiti's User-Agent" },
  {
    re: /\bfriendly-scanner\b|\bsipvicious\b/i,
    name: 'sipvicious',
    confidence: 'high',
    why: "SIPVicious's User-Agent",
  },
];

const sshClients: readonly Pattern[] = [
  {
    re: /^Nmap-SSH/i,
    name: 'nmap',
    variant: 'nse',
    confidence: 'high',
    why: "the banner of Nmap's ssh-hostkey/ssh2-enum-algos scripts",
  },
  { re: /^ZGrab\b/i, name: 'zgrab', variant: 'ssh', confidence: 'high', why: "ZGrab's SSH banner" },
  {
    re: /^libssh[_-]\d/i,
    name: 'hydra',
    variant: 'libssh',
    confidence: 'low',
    why: 'a libssh client: THC Hydra and many SSH brute-force kits are built on libssh',
  },
  {
    re: /^libssh2[_-]\d/i,
    name: 'medusa',
    variant: 'libssh2',
    confidence: 'low',
    why: 'a libssh2 client: Medusa and many SSH brute-force kits are built on libssh2',
  },
  {
    re: /^Go$/,
    name: 'go-ssh',
    confidence: 'low',
    why: "Go's x/crypto/ssh client default banner, used by Go scanners and bots",
  },
  {
    re: /^PUTTY$/,
    name: 'ssh-bruteforcer',
    variant: 'fake-putty',
    confidence: 'medium',
    why: 'an all-caps "PUTTY" banner that real PuTTY never sends (brute-force kits)',
  },
];

const alertMessages: readonly Pattern[] = [
  {
    re: /NMAP -sS\b/i,
    name: 'nmap',
    variant: 'syn',
    confidence: 'medium',
    why: 'an IDS signature for Nmap SYN scan windows',
  },
  {
    re: /NMAP -(f -)?sF\b/i,
    name: 'nmap',
    variant: 'fin',
    confidence: 'medium',
    why: 'an IDS signature for Nmap FIN scans',
  },
  {
    re: /NMAP -(f -)?sN\b/i,
    name: 'nmap',
    variant: 'null',
    confidence: 'medium',
    why: 'an IDS signature for Nmap NULL scans',
  },
  {
    re: /NMAP -(f -)?sX\b/i,
    name: 'nmap',
    variant: 'xmas',
    confidence: 'medium',
    why: 'an IDS signature for Nmap Xmas scans',
  },
  {
    re: /NMAP -sA\b/i,
    name: 'nmap',
    variant: 'ack',
    confidence: 'medium',
    why: 'an IDS signature for Nmap ACK scans',
  },
  {
    re: /NMAP -(f -)?sV\b|Nmap.{0,40}Version Detect/i,
    name: 'nmap',
    variant: 'version',
    confidence: 'medium',
    why: 'an IDS signature for Nmap version detection',
  },
  {
    re: /NMAP OS Detection/i,
    name: 'nmap',
    variant: 'os',
    confidence: 'medium',
    why: 'an IDS signature for Nmap OS detection probes',
  },
  {
    re: /Nmap Scripting Engine|Nmap NSE|Nmap User-Agent|NMAP.{0,40}Script/i,
    name: 'nmap',
    variant: 'nse',
    confidence: 'medium',
    why: 'an IDS signature for the Nmap Scripting Engine',
  },
  { re: /\bnmap\b/i, name: 'nmap', confidence: 'medium', why: 'an IDS signature naming Nmap' },
  { re: /\bMasscan\b/i, name: 'masscan', confidence: 'medium', why: 'an IDS signature naming masscan' },
  { re: /\bZmap\b/i, name: 'zmap', confidence: 'medium', why: 'an IDS signature naming ZMap' },
  { re: /\bNessus\b/i, name: 'nessus', confidence: 'medium', why: 'an IDS signature naming Nessus' },
  { re: /\bNikto\b/i, name: 'nikto', confidence: 'medium', why: 'an IDS signature naming Nikto' },
  { re: /\bsqlmap\b/i, name: 'sqlmap', confidence: 'medium', why: 'an IDS signature naming sqlmap' },
  {
    re: /\bJCE\b.{0,20}Scanner|BOT for JCE/i,
    name: 'jce-bot',
    confidence: 'medium',
    why: 'an IDS signature for the Joomla JCE scanner bot',
  },
  { re: /\bHydra\b/i, name: 'hydra', confidence: 'medium', why: 'an IDS signature naming THC Hydra' },
  {
    re: /\bLibSSH\b.{0,60}Brute/i,
    name: 'hydra',
    variant: 'libssh',
    confidence: 'low',
    why: 'an IDS signature for frequent libssh connections (brute force, as hydra does)',
  },
  { re: /\bMedusa\b/i, name: 'medusa', confidence: 'medium', why: 'an IDS signature naming Medusa' },
  { re: /\bOpenVAS/i, name: 'openvas', confidence: 'medium', why: 'an IDS signature naming OpenVAS' },
  { re: /\bzgrab\b/i, name: 'zgrab', confidence: 'medium', why: 'an IDS signature naming ZGrab' },
  { re: /\bAcunetix\b/i, name: 'acunetix', confidence: 'medium', why: 'an IDS signature naming Acunetix' },
  { re: /\bArachni\b/i, name: 'arachni', confidence: 'medium', why: 'an IDS signature naming Arachni' },
  { re: /\bDirBuster\b/i, name: 'dirbuster', confidence: 'medium', why: 'an IDS signature naming DirBuster' },
  {
    re: /\bNetsparker\b/i,
    name: 'netsparker',
    confidence: 'medium',
    why: 'an IDS signature naming Netsparker',
  },
  { re: /\bw3af\b/i, name: 'w3af', confidence: 'medium', why: 'an IDS signature naming w3af' },
  { re: /\bSkipfish\b/i, name: 'skipfish', confidence: 'medium', why: 'an IDS signature naming Skipfish' },
  { re: /\bWhatWeb\b/i, name: 'whatweb', confidence: 'medium', why: 'an IDS signature naming WhatWeb' },
  {
    re: /\bSipvicious\b/i,
    name: 'sipvicious',
    confidence: 'medium',
    why: 'an IDS signature naming SIPVicious',
  },
  { re: /\bZmEu\b/i, name: 'zmeu', confidence: 'medium', why: 'an IDS signature naming ZmEu' },
  { re: /\bWapiti\b/i, name: 'wapiti', confidence: 'medium', why: 'an IDS signature naming Wapiti' },
  {
    re: /Fuzz Faster U Fool|\bffuf\b/i,
    name: 'ffuf',
    confidence: 'medium',
    why: 'an IDS signature naming ffuf',
  },
  { re: /\bWPScan\b/i, name: 'wpscan', confidence: 'medium', why: 'an IDS signature naming WPScan' },
  { re: /\bnuclei\b/i, name: 'nuclei', confidence: 'medium', why: 'an IDS signature naming Nuclei' },
];

function lookup(table: readonly Pattern[], text: string, quote: string): ToolMatch | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  for (const p of table) {
    if (!p.re.test(t)) continue;
    return {
      name: p.name,
      ...(p.variant ? { variant: p.variant } : {}),
      confidence: p.confidence,
      evidence: `${quote} "${clip(t)}": ${p.why}`,
    };
  }
  return undefined;
}

/** Attacker text in a sentence: printable, at most 120 characters. */
function clip(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/**
 * The scanning/attack tool an HTTP User-Agent names, if any.
 * @example toolFromUserAgent('Mozilla/4.0 (compatible; Nessus)')?.name // 'nessus'
 * @example toolFromUserAgent('curl/7.88.1') // undefined: a general client
 */
export function toolFromUserAgent(ua: string): ToolMatch | undefined {
  return lookup(userAgents, ua, 'User-Agent');
}

/**
 * The tool an SSH client version names; takes the whole banner
 * ("SSH-2.0-libssh_0.10.6") or only its software part ("libssh_0.10.6").
 * @example toolFromSshBanner('SSH-2.0-ZGrab ZGrab SSH Survey')?.name // 'zgrab'
 */
export function toolFromSshBanner(version: string): ToolMatch | undefined {
  if (typeof version !== 'string') return undefined;
  const software = version.replace(/^SSH-\d\.\d+-/, '').trimEnd();
  return lookup(sshClients, software, 'SSH client banner');
}

/**
 * The tool an IDS signature message names (ET SCAN and the like).
 * @example toolFromAlertMsg('ET SCAN NMAP -sS window 1024')?.variant // 'syn'
 */
export function toolFromAlertMsg(msg: string): ToolMatch | undefined {
  return lookup(alertMessages, msg, 'IDS alert');
}
