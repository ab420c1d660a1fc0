/**
 * Rule variables ($HOME_NET, $HTTP_PORTS ...): Suricata's default values,
 * a config file, and `--var NAME=value` overrides.
 *
 * Config file format (documented in README of rules): one `NAME=value` or
 * `NAME: value` per line, `#` comments; the YAML `vars:` / `address-groups:` /
 * `port-groups:` layout of suricata.yaml is accepted too (section lines are
 * skipped, the group decides the kind). Outside a group, names ending in
 * `_PORTS` are port variables and all others address variables.
 */

export interface RuleVars {
  addresses: Map<string, string>;
  ports: Map<string, string>;
}

const DEFAULT_ADDRESSES: Array<[string, string]> = [
  ['HOME_NET', '[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]'],
  ['EXTERNAL_NET', '!$HOME_NET'],
  ['HTTP_SERVERS', '$HOME_NET'],
  ['SMTP_SERVERS', '$HOME_NET'],
  ['SQL_SERVERS', '$HOME_NET'],
  ['DNS_SERVERS', '$HOME_NET'],
  ['TELNET_SERVERS', '$HOME_NET'],
  ['AIM_SERVERS', '$EXTERNAL_NET'],
  ['DC_SERVERS', '$HOME_NET'],
  ['DNP3_SERVER', '$HOME_NET'],
  ['DNP3_CLIENT', '$HOME_NET'],
  ['MODBUS_CLIENT', '$HOME_NET'],
  ['MODBUS_SERVER', '$HOME_NET'],
  ['ENIP_CLIENT', '$HOME_NET'],
  ['ENIP_SERVER', '$HOME_NET'],
];

const DEFAULT_PORTS: Array<[string, string]> = [
  ['HTTP_PORTS', '80'],
  ['SHELLCODE_PORTS', '!80'],
  ['ORACLE_PORTS', '1521'],
  ['SSH_PORTS', '22'],
  ['DNP3_PORTS', '20000'],
  ['MODBUS_PORTS', '502'],
  ['FILE_DATA_PORTS', '[$HTTP_PORTS,110,143]'],
  ['FTP_PORTS', '21'],
  ['GENEVE_PORTS', '6081'],
  ['VXLAN_PORTS', '4789'],
  ['TEREDO_PORTS', '3544'],
];

/**
 * Suricata's default address and port groups.
 * @example defaultVars().addresses.get('HOME_NET') // '[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]'
 */
export function defaultVars(): RuleVars {
  return { addresses: new Map(DEFAULT_ADDRESSES), ports: new Map(DEFAULT_PORTS) };
}

/**
 * Applies a vars config file's text onto `vars` (mutates and returns it).
 * Throws naming the file and line for a malformed line: a bad config is unusable.
 */
export function applyVarsFile(vars: RuleVars, text: string, file = 'vars'): RuleVars {
  let group: 'addresses' | 'ports' | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\s+#.*$/, '');
    const t = raw.trim();
    // A top-level NAME=value line ends any YAML group.
    if (!/^\s/.test(raw) && !t.endsWith(':')) group = undefined;
    if (t === '' || t.startsWith('#') || t === '%YAML 1.1' || t === '---') continue;
    const section = /^([A-Za-z-]+):\s*$/.exec(t);
    if (section) {
      const s = section[1]!.toLowerCase();
      group = s === 'address-groups' ? 'addresses' : s === 'port-groups' ? 'ports' : undefined;
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.+)$/.exec(t);
    if (!m) throw new Error(`${file}:${i + 1}: expected NAME=value, got "${t.slice(0, 60)}"`);
    setVar(vars, m[1]!, stripQuotes(m[2]!.trim()), group);
  }
  return vars;
}

/**
 * Applies `NAME=value` overrides (from `--var`). Throws for a malformed one.
 * @example applyVarOverrides(defaultVars(), ['HOME_NET=10.0.0.0/8'])
 */
export function applyVarOverrides(vars: RuleVars, overrides: string[]): RuleVars {
  for (const o of overrides) {
    const m = /^\$?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(o.trim());
    if (!m || m[2]!.trim() === '')
      throw new Error(`--var ${o}: expected NAME=value, e.g. HOME_NET=10.0.0.0/8`);
    setVar(vars, m[1]!, stripQuotes(m[2]!.trim()), undefined);
  }
  return vars;
}

function setVar(vars: RuleVars, name: string, value: string, group: 'addresses' | 'ports' | undefined): void {
  const kind = group ?? (vars.ports.has(name) || name.endsWith('_PORTS') ? 'ports' : 'addresses');
  vars[kind].set(name, value);
}

function stripQuotes(v: string): string {
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  return v;
}
