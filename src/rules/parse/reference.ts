/** reference.config: `config reference: system URL-prefix`, plus Picket's defaults. */
import type { ConfigProblem } from './classification.js';

/** Picket's own defaults, used when no reference.config is given. */
export const DEFAULT_REFERENCE_SYSTEMS: ReadonlyArray<[string, string]> = [
  ['cve', 'https://cve.mitre.org/cgi-bin/cvename.cgi?name='],
  ['bugtraq', 'https://www.securityfocus.com/bid/'],
  ['url', 'https://'],
  ['nessus', 'https://www.tenable.com/plugins/nessus/'],
  ['arachnids', 'https://www.whitehats.com/info/IDS'],
  ['mcafee', 'https://www.mcafee.com/threat-intelligence/malware/default.aspx?id='],
  ['md5', 'https://www.virustotal.com/gui/file/'],
  ['sha256', 'https://www.virustotal.com/gui/file/'],
  ['osvdb', 'https://osvdb.org/show/osvdb/'],
  ['msb', 'https://technet.microsoft.com/en-us/security/bulletin/'],
  ['nsg', 'https://www.netscreen.com/services/security/nsg/'],
  ['et', 'https://doc.emergingthreats.net/'],
  ['etpro', 'https://doc.emergingthreatspro.com/'],
  ['telus', 'https://'],
  ['exploitdb', 'https://www.exploit-db.com/exploits/'],
];

/**
 * @example parseReferenceConfig('config reference: cve http://cve.example/?id=\n').systems.get('cve')
 */
export function parseReferenceConfig(text: string): {
  systems: Map<string, string>;
  problems: ConfigProblem[];
} {
  const systems = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^config\s+reference\s*:\s*(\S+)\s+(\S+)\s*$/.exec(t);
    if (!m) {
      problems.push({
        line: i + 1,
        reason: `expected "config reference: system url", got "${t.slice(0, 60)}"`,
      });
      continue;
    }
    let url = m[2]!;
    if (!/^[a-z]+:\/\//i.test(url)) url = `http://${url}`;
    systems.set(m[1]!.toLowerCase(), url);
  }
  return { systems, problems };
}

export function defaultReferenceSystems(): Map<string, string> {
  return new Map(DEFAULT_REFERENCE_SYSTEMS);
}
