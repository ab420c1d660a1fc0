/**
 * A rule's family (scan, brute force, exploit ...) from what the rule says
 * about itself: words in the message that name the behaviour, the category
 * the ruleset prefixes it with (`ET SCAN`, `PICKET WEB`, `SERVER-WEBAPP`),
 * ET's `former_category` metadata, and last the classtype.
 */

export const ruleFamilies = [
  'scan',
  'brute-force',
  'exploit',
  'web-attack',
  'policy',
  'trojan',
  'dos',
  'reputation',
  'attack-response',
  'info',
  'other',
] as const;
export type RuleFamily = (typeof ruleFamilies)[number];

/** Words that name a password-guessing attack whatever the category says (ET files LibSSH brute force under SCAN). */
const BRUTE_FORCE =
  /brute[\s_-]?force|password (?:guess|spray)|dictionary attack|credential stuffing|login cracker|login (?:attempts|flood)|many (?:failed )?logins/i;

/** Category words of ET, GPL, Snort 3 and Picket's own rules → family. */
const CATEGORY: ReadonlyArray<readonly [RegExp, RuleFamily]> = [
  [/^(?:SCAN|INDICATOR-SCAN|RECON|SCANNER)$/, 'scan'],
  [/^(?:DOS|DDOS|SERVER-DOS)$/, 'dos'],
  [
    /^(?:WEB|WEB_SERVER|WEB_SPECIFIC_APPS|SERVER-WEBAPP|SERVER-APACHE|SERVER-IIS|SERVER-NGINX|WEB-ATTACKS|WEB-MISC|WEB-PHP|WEB-CGI)$/,
    'web-attack',
  ],
  [
    /^(?:EXPLOIT|EXPLOIT_KIT|SHELLCODE|ACTIVEX|WEB_CLIENT|NETBIOS|SCADA|SCADA_SPECIAL|VOIP|RPC|SQL|TELNET|FTP|IMAP|POP3|SMTP|SNMP|TFTP|SERVER-[A-Z]+|OS-[A-Z]+|BROWSER-[A-Z]+|FILE-[A-Z]+|PROTOCOL-[A-Z]+)$/,
    'exploit',
  ],
  [
    /^(?:TROJAN|MALWARE|MOBILE_MALWARE|MALWARE-[A-Z]+|CNC|BOTCC|WORM|VIRUS|COINMINER|PHISHING|EXPLOIT-KIT|INDICATOR-COMPROMISE)$/,
    'trojan',
  ],
  [/^(?:ATTACK_RESPONSE|ATTACK-RESPONSES)$/, 'attack-response'],
  [/^(?:CINS|DROP|DSHIELD|COMPROMISED|CIARMY|TOR|BLACKLIST|REPUTATION)$/, 'reputation'],
  [/^(?:POLICY|POLICY-[A-Z]+|INAPPROPRIATE|CHAT|GAMES|P2P|APP-DETECT|PUA-[A-Z]+)$/, 'policy'],
  [
    /^(?:INFO|HUNTING|USER_AGENTS|DNS|ICMP|ICMP_INFO|NETBIOS-INFO|INDICATOR-[A-Z]+|JA3|TLS|HTTP|SSH)$/,
    'info',
  ],
];

/** classtype → family, when the message has no category word. */
const CLASSTYPE: Readonly<Record<string, RuleFamily>> = {
  'attempted-recon': 'scan',
  'network-scan': 'scan',
  'successful-recon-limited': 'scan',
  'successful-recon-largescale': 'scan',
  'web-application-attack': 'web-attack',
  'web-application-activity': 'web-attack',
  'attempted-admin': 'exploit',
  'attempted-user': 'exploit',
  'successful-admin': 'exploit',
  'successful-user': 'exploit',
  'unsuccessful-user': 'exploit',
  'shellcode-detect': 'exploit',
  'rpc-portmap-decode': 'exploit',
  'trojan-activity': 'trojan',
  'command-and-control': 'trojan',
  'domain-c2': 'trojan',
  'exploit-kit': 'trojan',
  'coin-mining': 'trojan',
  'targeted-activity': 'trojan',
  'social-engineering': 'trojan',
  'policy-violation': 'policy',
  'inappropriate-content': 'policy',
  'attempted-dos': 'dos',
  'successful-dos': 'dos',
  'denial-of-service': 'dos',
  'suspicious-login': 'brute-force',
  'default-login-attempt': 'brute-force',
  'misc-activity': 'info',
  'not-suspicious': 'info',
  'protocol-command-decode': 'info',
  'bad-unknown': 'info',
  unknown: 'info',
  'string-detect': 'info',
  'icmp-event': 'info',
  'misc-attack': 'info',
  'non-standard-protocol': 'info',
  'unusual-client-port-connection': 'info',
  'system-call-detect': 'info',
  'tcp-connection': 'info',
  'external-ip-check': 'info',
  'pup-activity': 'policy',
  'credential-theft': 'trojan',
};

/** Leading words that name the ruleset, before its category word. */
const VENDOR = /^(?:ET|ETPRO|GPL|PICKET|SURICATA|SNORT|ET\s+OPEN)\s+/i;

/**
 * The category word of a message (`ET SCAN x` → `SCAN`, `SERVER-WEBAPP x` → `SERVER-WEBAPP`), if any.
 *
 * @example messageCategory('ET WEB_SPECIFIC_APPS JCE Joomla Extension') // 'WEB_SPECIFIC_APPS'
 */
export function messageCategory(msg: string): string | undefined {
  const rest = msg.trim().replace(VENDOR, '');
  const word = /^([A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)*)(?=\s|$)/.exec(rest)?.[1];
  if (word === undefined) return undefined;
  // A vendor prefix makes any upper-case word a category; without one, only names we know.
  const known = CATEGORY.some(([re]) => re.test(word));
  return rest !== msg.trim() || known ? word : undefined;
}

function fromCategory(word: string | undefined): RuleFamily | undefined {
  if (word === undefined) return undefined;
  for (const [re, family] of CATEGORY) if (re.test(word)) return family;
  return undefined;
}

/**
 * @example
 * ruleFamily({ msg: 'ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack' }) // 'brute-force'
 * ruleFamily({ msg: 'ET SCAN Nessus User Agent', classtype: 'attempted-recon' })               // 'scan'
 */
export function ruleFamily(r: {
  msg: string;
  classtype?: string | undefined;
  metadata?: Readonly<Record<string, readonly string[]>> | undefined;
}): RuleFamily {
  if (BRUTE_FORCE.test(r.msg)) return 'brute-force';
  const category = messageCategory(r.msg);
  const byCategory = fromCategory(category);
  // CURRENT_EVENTS and other catch-alls defer to ET's former category, then the classtype.
  if (byCategory !== undefined) return byCategory;
  const former = r.metadata?.former_category?.[0]?.toUpperCase();
  const byFormer = fromCategory(former);
  if (byFormer !== undefined) return byFormer;
  const byClass = r.classtype !== undefined ? CLASSTYPE[r.classtype] : undefined;
  return byClass ?? 'other';
}
