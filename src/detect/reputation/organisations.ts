/**
 * Which organisation a list entry belongs to. Per-organisation files
 * (OpenFilters' cidr/censys_v4.txt, wdes' censys.txt) name it by their file
 * name; mixed lists (maltrail's mass_scanner.txt) name it per line, in a
 * comment holding the scanner's host name ("# scanner3.labs.rapid7.com").
 */

/** File-name stems (lowercase, letters and digits only) → display name. */
const byStem: Record<string, string> = {
  a10networks: 'A10 Networks',
  academyforinternetresearch: 'Academy for Internet Research',
  alphastrike: 'Alpha Strike Labs',
  anssi: 'ANSSI (CERT-FR)',
  binaryedge: 'BinaryEdge',
  bitsight: 'BitSight',
  bufferoverrun: 'bufferover.run',
  censys: 'Censys',
  criminalip: 'Criminal IP',
  crowdstrikefalconsurface: 'CrowdStrike Falcon Surface',
  cybcube: 'CyberCube',
  cybergreen: 'CyberGreen',
  cyberok: 'CyberOK',
  dataplane: 'Dataplane.org',
  deepfield: 'Nokia Deepfield',
  driftnet: 'Driftnet',
  internetmeasurementcom: 'Driftnet',
  eset: 'ESET',
  fofa: 'FOFA',
  groupib: 'Group-IB',
  hackertarget: 'HackerTarget',
  internettl: 'InterneTTL',
  ipinfo: 'IPinfo',
  leakix: 'LeakIX',
  mandiantasm: 'Mandiant ASM',
  modat: 'Modat',
  netlas: 'Netlas',
  netscout: 'NETSCOUT',
  odin: 'Cyble ODIN',
  onyphe: 'ONYPHE',
  paloaltonetworks: 'Palo Alto Networks (Cortex Xpanse)',
  quake: '360 Quake',
  rapid7: 'Rapid7',
  recordedfuture: 'Recorded Future',
  shadowforce: 'Shadowforce',
  shadowserver: 'Shadowserver',
  shodan: 'Shodan',
  strechoid: 'Stretchoid',
  stretchoid: 'Stretchoid',
  tenableasm: 'Tenable ASM',
  universities: 'University research scanners',
  zoomeye: 'ZoomEye',
};

/** Stems of lists that mix organisations: the line's comment decides. */
const mixedStems = new Set(['massscanner', 'massscannercidr', 'other', 'scanners', 'all']);

/** Host-name suffixes in per-line comments → organisation. */
const byDomain: [string, string][] = [
  ['censys-scanner.com', 'Censys'],
  ['censys.io', 'Censys'],
  ['censys.com', 'Censys'],
  ['shodan.io', 'Shodan'],
  ['binaryedge.ninja', 'BinaryEdge'],
  ['binaryedge.io', 'BinaryEdge'],
  ['shadowserver.org', 'Shadowserver'],
  ['rapid7.com', 'Rapid7'],
  ['onyphe.net', 'ONYPHE'],
  ['onyphe.io', 'ONYPHE'],
  ['stretchoid.com', 'Stretchoid'],
  ['umich.edu', 'University of Michigan'],
  ['berkeley.edu', 'UC Berkeley'],
  ['colostate.edu', 'Colorado State University'],
  ['isi.edu', 'USC/ISI'],
  ['internettl.org', 'InterneTTL'],
  ['internet-census.org', 'BitSight'],
  ['criminalip.com', 'Criminal IP'],
  ['riskiq.com', 'RiskIQ'],
  ['kudelskisecurity.com', 'Kudelski Security'],
  ['netsystemsresearch.com', 'Net Systems Research'],
  ['modat.io', 'Modat'],
  ['leakix.net', 'LeakIX'],
  ['internet-measurement.com', 'Driftnet'],
  ['rwth-aachen.de', 'RWTH Aachen University'],
  ['openportstats.com', 'OpenPortStats'],
];

const stemKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The list's own organisation from its file name, or undefined for mixed lists. */
export function organisationOfFile(fileName: string): string | undefined {
  const base = fileName.replace(/^.*\//, '').replace(/\.(txt|list|lst|cidr|netset|ipset)$/i, '');
  const stem = stemKey(base.replace(/_(v4|v6|ipv4|ipv6|ranges|cidr)$/i, '').replace(/_(v4|v6)$/i, ''));
  if (mixedStems.has(stem) || stem === '') return undefined;
  return byStem[stem] ?? base.replace(/_(v4|v6|ipv4|ipv6|ranges)$/i, '');
}

/**
 * The organisation a per-line comment names: a known host-name suffix, else
 * the host's domain, else the comment's words; undefined for an address or nothing.
 * @example organisationOfComment('scanner3.labs.rapid7.com') // 'Rapid7'
 */
export function organisationOfComment(comment: string): string | undefined {
  const c = comment.trim().replace(/^#+\s*/, '');
  if (c === '' || c.startsWith('(unknown')) return undefined;
  const host = c.split(/\s/)[0]!.toLowerCase().replace(/\.$/, '');
  if (/^[0-9.:/]+$/.test(host)) return undefined;
  for (const [suffix, org] of byDomain) if (host === suffix || host.endsWith(`.${suffix}`)) return org;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return host.split('.').slice(-2).join('.');
  return c.length > 60 ? c.slice(0, 60) : c;
}
