/**
 * The alarm's human title, in the seed analyst's words: "Someone is scanning
 * your network with Nessus", "Device or system brute force attempt",
 * "Remote code execution attempt against Joomla (CVE-2015-8562)". Built from
 * tables (tools, products, attack kinds) read against the rule's message, so
 * a new tool or product is one line.
 */
import { inert } from '../connection/inert.js';
import type { RuleFamily } from './family.js';
import { messageCategory } from './family.js';

/** Scanners and attack tools by the words rules use for them; first match wins. */
export const TOOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bJCE\b.*\b(?:scanner|bot)\b|\bBOT for JCE\b/i, 'JCE Joomla Scanner'],
  [/\bNessus\b/i, 'Nessus'],
  [/\bOpenVAS\b/i, 'OpenVAS'],
  [/\bNmap\b/i, 'Nmap'],
  [/\bmasscan\b/i, 'masscan'],
  [/\bZMap\b/i, 'ZMap'],
  [/\bzgrab/i, 'ZGrab'],
  [/\bsqlmap\b/i, 'sqlmap'],
  [/\bNikto\b/i, 'Nikto'],
  [/\bWPScan\b/i, 'WPScan'],
  [/\bgobuster\b/i, 'gobuster'],
  [/\bdirbuster\b/i, 'DirBuster'],
  [/\bAcunetix\b/i, 'Acunetix'],
  [/\bNetsparker\b/i, 'Netsparker'],
  [/\bNuclei\b/i, 'Nuclei'],
  [/\bw3af\b/i, 'w3af'],
  [/\bskipfish\b/i, 'skipfish'],
  [/\bArachni\b/i, 'Arachni'],
  [/\bWhatWeb\b/i, 'WhatWeb'],
  [/\bHavij\b/i, 'Havij'],
  [/\bZmEu\b/i, 'ZmEu'],
  [/\bMetasploit\b/i, 'Metasploit'],
  [/\bQualys\b/i, 'Qualys'],
  [/\bNexpose\b|\bRapid7\b/i, 'Nexpose'],
  [/\bhping/i, 'hping3'],
  [/\bHydra\b/i, 'Hydra'],
  [/\bparamiko\b/i, 'paramiko'],
  [/\blibssh\b/i, 'libssh'],
];

/** Network scan techniques, for scan rules that name no tool. */
const TECHNIQUES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bNULL scan\b/i, 'a TCP NULL scan'],
  [/\bXmas scan\b/i, 'a TCP Xmas scan'],
  [/\bFIN scan\b/i, 'a TCP FIN scan'],
  [/\bSYN\s*\+\s*FIN\b|\bSYN-FIN\b/i, 'TCP SYN+FIN probes'],
  [/\bping sweep\b|\becho requests? in a burst\b/i, 'a ping sweep'],
  [/\bport ?scan\b/i, 'a port scan'],
];

interface Product {
  re: RegExp;
  /** As it reads after "against" or "of". */
  phrase: string;
}

/** Products an attack may name; the most specific first. */
export const PRODUCTS: readonly Product[] = [
  { re: /\bZyXEL|\bZynOS\b/i, phrase: 'a ZyXEL router' },
  { re: /\bD-Link\b|\bHNAP\b/i, phrase: 'a D-Link router' },
  { re: /\bNetgear\b/i, phrase: 'a Netgear router' },
  { re: /\bTP-Link\b/i, phrase: 'a TP-Link router' },
  { re: /\bMikroTik\b/i, phrase: 'a MikroTik router' },
  { re: /\bBoa\b/i, phrase: 'a router running the Boa web server' },
  { re: /\bCisco\b/i, phrase: 'a Cisco device' },
  { re: /\bJoomla\b/i, phrase: 'Joomla' },
  { re: /\bWordPress\b/i, phrase: 'WordPress' },
  { re: /\bDrupal\b/i, phrase: 'Drupal' },
  { re: /\bphpMyAdmin\b/i, phrase: 'phpMyAdmin' },
  { re: /\bvBulletin\b/i, phrase: 'vBulletin' },
  { re: /\bThinkPHP\b/i, phrase: 'ThinkPHP' },
  { re: /\bStruts\b/i, phrase: 'Apache Struts' },
  { re: /\bLog4j|\bLog4Shell\b|\bJNDI\b/i, phrase: 'Apache Log4j' },
  { re: /\bShellshock\b/i, phrase: 'Bash (Shellshock)' },
  { re: /\bWebLogic\b/i, phrase: 'Oracle WebLogic' },
  { re: /\bConfluence\b/i, phrase: 'Atlassian Confluence' },
  { re: /\bJenkins\b/i, phrase: 'Jenkins' },
  { re: /\bExchange\b/i, phrase: 'Microsoft Exchange' },
  { re: /\bIIS\b/i, phrase: 'Microsoft IIS' },
  { re: /\bEternalBlue\b|\bMS17-010\b|\bSMBv?1?\b/i, phrase: 'Windows file sharing (SMB)' },
  { re: /\bOpenSSH\b/i, phrase: 'OpenSSH' },
  { re: /\bPHP\b/i, phrase: 'PHP' },
];

/** What the attack tries to do, by words in the message; `{p}` is the product phrase. */
const ATTACKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bconfig(?:uration)? download\b|\brom-0\b/i, 'Attempt to download the configuration of {p}'],
  [
    /\bRCE\b|remote (?:code|command) exec|command (?:injection|execution)|code injection|object injection|seriali[sz]ed PHP|deseriali[sz]|Shellshock|Log4Shell|\bJNDI\b|\beval\b/i,
    'Remote code execution attempt against {p}',
  ],
  [/\bSQL injection\b|\bSQLi\b/i, 'SQL injection attempt against {p}'],
  [/\bXSS\b|cross[\s-]site scripting/i, 'Cross-site scripting attempt against {p}'],
  [/\/etc\/passwd|\bsystem files?\b/i, 'Attempt to read system files (/etc/passwd) through {p}'],
  [/\btraversal\b/i, 'Directory traversal attempt against {p}'],
  [/\b(?:LFI|RFI)\b|file inclusion/i, 'File inclusion attempt against {p}'],
  [/auth(?:entication)? bypass/i, 'Authentication bypass attempt against {p}'],
  [/\boverflow\b/i, 'Buffer overflow attempt against {p}'],
];

/** Attacks well known enough that the title names their CVE even when the rule does not. */
const KNOWN_CVES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bJoomla\b.*(?:seriali[sz]ed PHP|object injection|\bRCE\b)/i, 'CVE-2015-8562'],
  [/\bShellshock\b/i, 'CVE-2014-6271'],
  [/\bLog4Shell\b/i, 'CVE-2021-44228'],
];

const CVE_RE = /\bCVE[-_ ](\d{4})[-_ ](\d{4,7})\b/i;

/** The message without the ruleset and category words, bounded and inert. */
export function messageTail(msg: string): string {
  let rest = msg.trim().replace(/^(?:ET|ETPRO|GPL|PICKET|SURICATA|SNORT)\s+/i, '');
  const category = messageCategory(msg);
  if (category !== undefined && rest.startsWith(category)) rest = rest.slice(category.length).trim();
  return inert(rest || msg.trim(), 100);
}

/** First CVE the message, the metadata or the references name, as `CVE-YYYY-N`. */
export function firstCve(msg: string, cves: readonly string[] = []): string | undefined {
  for (const text of [msg, ...cves]) {
    const m = CVE_RE.exec(text) ?? /^(\d{4})-(\d{4,7})$/.exec(text.trim());
    if (m) return `CVE-${m[1]}-${m[2]}`;
  }
  for (const [re, cve] of KNOWN_CVES) if (re.test(msg)) return cve;
  return undefined;
}

/** The product an attack names, from the message first, then ET's affected_product. */
function productPhrase(msg: string, affected: readonly string[]): string | undefined {
  for (const text of [msg, ...affected.map((a) => a.replace(/_/g, ' '))])
    for (const p of PRODUCTS) if (p.re.test(text)) return p.phrase;
  return undefined;
}

/** Which tool a message names, if any. */
export function toolName(msg: string): string | undefined {
  for (const [re, name] of TOOLS) if (re.test(msg)) return name;
  return undefined;
}

function attackTitle(
  msg: string,
  contents: readonly string[],
  product: string,
  cve: string | undefined,
  fallback: string,
): string {
  const romZero = [msg, ...contents].some((t) => /\brom-0\b/i.test(t));
  for (const [re, pattern] of ATTACKS) {
    if (!re.test(msg)) continue;
    const base = pattern.replace('{p}', product);
    if (romZero && pattern.startsWith('Attempt to download')) return `${base} (rom-0)`;
    return cve !== undefined && pattern.startsWith('Remote') ? `${base} (${cve})` : base;
  }
  return cve !== undefined ? `${fallback} (${cve})` : fallback;
}

/**
 * @example
 * alarmTitle('scan', { msg: 'ET SCAN Nessus User Agent' }) // 'Someone is scanning your network with Nessus'
 * alarmTitle('exploit', { msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)' })
 * // 'Remote code execution attempt against Joomla (CVE-2015-8562)'
 */
export function alarmTitle(
  family: RuleFamily,
  r: {
    msg: string;
    metadata?: Readonly<Record<string, readonly string[]>>;
    cves?: readonly string[];
    /** The rule's content patterns as written (they name the file or path the attack asks for). */
    contents?: readonly string[];
  },
): string {
  const msg = r.msg;
  const contents = r.contents ?? [];
  const tail = messageTail(msg);
  const affected = (r.metadata?.affected_product ?? []).filter((a) => !/^any$/i.test(a));
  const cve = firstCve(msg, [...(r.metadata?.cve ?? []), ...(r.cves ?? [])]);
  switch (family) {
    case 'scan': {
      const tool = toolName(msg);
      if (tool !== undefined) return `Someone is scanning your network with ${tool}`;
      for (const [re, what] of TECHNIQUES)
        if (re.test(msg)) return `Someone is scanning your network (${what})`;
      if (/\bprob(?:e|ing)\b/i.test(msg)) return `Someone is probing your web server: ${tail}`;
      return `Someone is scanning your network: ${tail}`;
    }
    case 'brute-force':
      return 'Device or system brute force attempt';
    case 'exploit': {
      const p = productPhrase(msg, affected);
      return attackTitle(
        msg,
        contents,
        p ?? 'your server',
        cve,
        p ? `Exploit attempt against ${p}` : `Exploit attempt: ${tail}`,
      );
    }
    case 'web-attack': {
      const p = productPhrase(msg, affected);
      const fallback = p ? `Web application attack against ${p}` : `Web application attack: ${tail}`;
      return attackTitle(msg, contents, p ?? 'your web server', cve, fallback);
    }
    case 'policy':
      return `Policy violation: ${tail}`;
    case 'trojan':
      return `Possible malware activity: ${tail}`;
    case 'dos':
      return `Denial of service attempt: ${tail}`;
    case 'reputation':
      return `Traffic with a host on a threat list: ${tail}`;
    case 'attack-response':
      return `A server's answer suggests an attack worked: ${tail}`;
    case 'info':
      return `Informational: ${tail}`;
    default:
      return tail;
  }
}
