/**
 * Site-level gaps: which kinds of source the run read, and which it did not
 * read and what they would have shown.
 */
import type { SourceKind } from '../../schema/event.js';
import type { SiteSources } from './site.js';

/** The source kinds a site is expected to collect, and what each would add. */
const WOULD_SHOW: readonly [SourceKind, string][] = [
  ['pcap', 'full packets: whether probes were answered, tool fingerprints, rule alerts on payloads'],
  ['netflow', 'every conversation on the routers that export it, long after packets are gone'],
  ['firewall', 'probes the firewall blocked, which never reach sensors behind it'],
  ['sshd', 'SSH logins: user names tried, failures and successes, per server'],
  ['weblog', 'HTTP requests as the web server answered them: paths, status codes, user agents'],
];

export interface SiteCoverage {
  present: SourceKind[];
  missing: { sourceKind: SourceKind; wouldShow: string }[];
}

/**
 * @example
 * siteCoverage({ sources: [{ sourceKind: 'pcap', inputs: [], records: 10 }] }).missing[0]
 * // { sourceKind: 'netflow', wouldShow: 'every conversation …' }
 */
export function siteCoverage(site: SiteSources): SiteCoverage {
  const present = [
    ...new Set(site.sources.filter((s) => s.records > 0 || s.inputs.length > 0).map((s) => s.sourceKind)),
  ].sort();
  const missing = WOULD_SHOW.filter(([k]) => !present.includes(k)).map(([sourceKind, wouldShow]) => ({
    sourceKind,
    wouldShow,
  }));
  return { present, missing };
}
