/**
 * `picket rules explain`: a rule as an analyst reads it — what traffic it
 * looks at, each match in rule order in words, the alert rate, the state it
 * shares with other rules, its references as links and its metadata.
 */
import type { Reference, Rule } from './ast.js';
import { type ExplainedCondition, explainCondition } from './explain-conditions.js';
import { type ExplainedMatch, explainMatches } from './explain-matches.js';
import { addressWords, capitalize, portWords, protocolWords } from './explain-words.js';
import { keyword } from './keywords/index.js';

export type { ExplainedCondition } from './explain-conditions.js';
export type { ExplainedMatch } from './explain-matches.js';
export { renderExplanation } from './explain-render.js';

export interface ExplainedReference {
  system: string;
  id: string;
  /** A browsable https link when one is known. */
  url?: string;
  text: string;
}

export interface ExplainedMetadata {
  key: string;
  label: string;
  values: string[];
  text: string;
}

export interface Explanation {
  /** `gid:sid:rev`. */
  id: string;
  gid: number;
  sid: number;
  rev: number;
  msg: string;
  enabled: boolean;
  support: Rule['support'];
  /** One sentence: action, traffic and the first thing that must match. */
  summary: string;
  traffic: {
    protocol: string;
    protocolWords: string;
    source: string;
    sourcePorts: string;
    destination: string;
    destinationPorts: string;
    bidirectional: boolean;
    sentence: string;
  };
  /** Payload matches in rule order. */
  matches: ExplainedMatch[];
  /** Conditions that decide a match (flow, flags, sizes ...), in rule order. */
  conditions: ExplainedCondition[];
  /** Alert rate (threshold, detection_filter), when the rule limits it. */
  rate?: string;
  /** Flags and counters shared with other rules (flowbits, xbits, flowint, noalert). */
  state: string[];
  /** What happens after an alert (tag). */
  output: string[];
  classification?: { classtype: string; description?: string; priority?: number; text: string };
  references: ExplainedReference[];
  metadata: ExplainedMetadata[];
  /** Keywords loaded but not (fully) honoured by Picket, with why. */
  ignored: Array<{ keyword: string; reason: string; text: string }>;
}

export interface ExplainOptions {
  /** classtype → description (loadRules().classifications). */
  classifications?: ReadonlyMap<string, { description: string; priority?: number }>;
}

const ACTIONS: Readonly<Record<string, string>> = {
  alert: 'Alerts',
  drop: 'Drops the packet (when running inline) and alerts',
  reject: 'Resets the connection and alerts',
  rejectsrc: 'Resets the connection and alerts',
  rejectdst: 'Resets the connection and alerts',
  rejectboth: 'Resets the connection and alerts',
  pass: 'Lets matching traffic through without further alerts',
};

/** Splits the header as written, so variables keep their names ($EXTERNAL_NET ...). */
function headerAsWritten(rule: Rule): string[] | undefined {
  const open = rule.text.indexOf('(');
  const parts = (open < 0 ? '' : rule.text.slice(0, open)).trim().split(/\s+/);
  return parts.length === 7 ? parts : undefined;
}

function traffic(rule: Rule): Explanation['traffic'] {
  const h = rule.header;
  const written = headerAsWritten(rule);
  const source = addressWords(written?.[2] ?? h.src.text);
  const sourcePorts = portWords(written?.[3] ?? h.srcPorts.text);
  const destination = addressWords(written?.[5] ?? h.dst.text);
  const destinationPorts = portWords(written?.[6] ?? h.dstPorts.text);
  const bidirectional = h.direction === '<>';
  const pw = protocolWords(h.protocol);
  const sentence = bidirectional
    ? `${pw} between ${source}, ${sourcePorts}, and ${destination}, ${destinationPorts}, in either direction`
    : `${pw} from ${source}, ${sourcePorts}, to ${destination}, ${destinationPorts}`;
  return {
    protocol: h.protocol,
    protocolWords: pw,
    source,
    sourcePorts,
    destination,
    destinationPorts,
    bidirectional,
    sentence,
  };
}

/**
 * A reference as a link: CVEs to NVD, `url` ids as https, others from reference.config.
 * @example referenceLink({ system: 'cve', id: '2015-8562' }) // 'https://nvd.nist.gov/vuln/detail/CVE-2015-8562'
 */
export function referenceLink(r: Reference): string | undefined {
  const id = r.id.trim();
  if (r.system === 'cve') {
    const m = /^(?:cve-)?(\d{4}-\d{4,})$/i.exec(id);
    if (m) return `https://nvd.nist.gov/vuln/detail/CVE-${m[1]}`;
  }
  if (r.system === 'url') {
    if (/^https?:\/\//i.test(id)) return id;
    if (/^[a-z][a-z0-9+.-]*:/i.test(id)) return undefined; // another scheme: not a web link
    return `https://${id}`;
  }
  return r.url && /^https?:\/\//i.test(r.url) ? r.url : undefined;
}

const META_LABELS: Readonly<Record<string, string>> = {
  affected_product: 'Affected product',
  attack_target: 'Attack target',
  signature_severity: 'Severity (per the rule author)',
  created_at: 'Created',
  updated_at: 'Last updated',
  reviewed_at: 'Reviewed',
  deployment: 'Deployment',
  performance_impact: 'Performance impact',
  former_category: 'Former category',
  confidence: 'Confidence',
  malware_family: 'Malware family',
  tag: 'Tag',
  policy: 'Policy',
  cve: 'CVE',
  mitre_tactic_name: 'MITRE ATT&CK tactic',
  mitre_technique_name: 'MITRE ATT&CK technique',
};

function metadataEntry(key: string, values: string[]): ExplainedMetadata {
  const label = META_LABELS[key] ?? capitalize(key.replace(/_/g, ' '));
  const shown = values.map((v) =>
    /_at$/.test(key) && /^\d{4}_\d{2}_\d{2}$/.test(v) ? v.replace(/_/g, '-') : v.replace(/_/g, ' '),
  );
  return { key, label, values, text: `${label}: ${shown.join(', ')}` };
}

const PRIORITY_WORDS = ['', 'high', 'medium', 'low', 'very low'];

function classification(rule: Rule, opts: ExplainOptions): Explanation['classification'] {
  if (!rule.classtype && rule.priority === undefined) return undefined;
  const classtype = rule.classtype ?? '';
  const description = rule.classtype ? opts.classifications?.get(rule.classtype)?.description : undefined;
  const p = rule.priority;
  const pText = p !== undefined ? `priority ${p}${PRIORITY_WORDS[p] ? ` (${PRIORITY_WORDS[p]})` : ''}` : '';
  const cText = classtype ? `${classtype}${description ? ` (${description})` : ''}` : '';
  return {
    classtype,
    ...(description !== undefined ? { description } : {}),
    ...(p !== undefined ? { priority: p } : {}),
    text: [cText, pText].filter(Boolean).join(', '),
  };
}

/** Lower-cases a leading capital unless it starts an acronym (TCP, ICMP). */
const lowerFirst = (s: string) => (/^[A-Z][A-Z]/.test(s) || s === '' ? s : s[0]!.toLowerCase() + s.slice(1));

function summary(rule: Rule, t: Explanation['traffic'], matches: ExplainedMatch[], e: Partial<Explanation>) {
  const noalert = rule.conditions.some(
    (c) =>
      c.keyword === 'noalert' ||
      ((c.keyword === 'flowbits' || c.keyword === 'xbits') &&
        (c.value as { command?: string }).command === 'noalert'),
  );
  const action = noalert ? 'Never alerts itself; it matches' : (ACTIONS[rule.header.action] ?? 'Alerts');
  const what = t.protocol === 'ip' ? 'any IP traffic' : `${t.protocolWords} traffic`;
  const where = t.bidirectional
    ? `between ${t.source} and ${t.destination}`
    : `from ${t.source} to ${t.destination}`;
  // The connection-state condition reads badly after "when"; the first other test says more.
  const tests = e.conditions?.filter((c) => c.group === 'test' && c.keyword !== 'flow') ?? [];
  let when: string;
  if (matches.length > 0) {
    when = ` when ${lowerFirst(matches.length > 1 ? matches[0]!.short : matches[0]!.sentence)}`;
    if (matches.length > 1)
      when += `, plus ${matches.length - 1} more ${matches.length === 2 ? 'match' : 'matches'}`;
  } else if (tests.length > 0) when = ` when ${lowerFirst(tests[0]!.sentence)}`;
  else when = '';
  const rate = e.rate ? `; it ${lowerFirst(e.rate)}` : '';
  return `${action} on ${what} ${where}${when}${rate}.`;
}

/**
 * @example
 * const e = explainRule(rule);
 * e.summary // 'Alerts on HTTP traffic from outside your network ($EXTERNAL_NET) to ... when the User-Agent header contains "Nessus" ...'
 * e.rate    // 'Alerts at most once per 60 seconds per source'
 */
export function explainRule(rule: Rule, opts: ExplainOptions = {}): Explanation {
  const t = traffic(rule);
  const matches = explainMatches(rule.matches);
  const all = rule.conditions.map(explainCondition);
  const conditions = all.filter((c) => c.group === 'test');
  const rate = all.find((c) => c.group === 'rate')?.sentence;
  const partial: Partial<Explanation> = { conditions, ...(rate ? { rate } : {}) };
  const references = rule.references.map((r) => {
    const url = referenceLink(r);
    return { system: r.system, id: r.id, ...(url ? { url } : {}), text: `${r.system}: ${url ?? r.id}` };
  });
  const cls = classification(rule, opts);
  return {
    id: `${rule.gid}:${rule.sid}:${rule.rev}`,
    gid: rule.gid,
    sid: rule.sid,
    rev: rule.rev,
    msg: rule.msg,
    enabled: rule.enabled,
    support: rule.support,
    summary: summary(rule, t, matches, partial),
    traffic: t,
    matches,
    conditions,
    ...(rate ? { rate } : {}),
    state: all.filter((c) => c.group === 'state').map((c) => c.sentence),
    output: all.filter((c) => c.group === 'output').map((c) => c.sentence),
    ...(cls ? { classification: cls } : {}),
    references,
    metadata: Object.entries(rule.metadata).map(([k, v]) => metadataEntry(k, v)),
    ignored: rule.ignored.map((i) => {
      const how = keyword(i.keyword)?.support === 'partial' ? 'only partly honoured' : 'loaded but ignored';
      return { ...i, text: `${i.keyword} is ${how}: ${i.reason}` };
    }),
  };
}
