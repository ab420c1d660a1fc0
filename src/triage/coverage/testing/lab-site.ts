/**
 * The lab's SiteSources as test/lab/README.md describes them: a capture and
 * NetFlow behind the gateway's firewall, a deny-only firewall log, the sshd
 * log of 10.99.0.11 (host lab-ssh) and nginx's log. Built in code from the
 * documented facts (the site-builder test derives the same from the files).
 */
import { LAB_T0 } from '../../../detect/incident/testing/lab-story.js';
import type { SiteSource, SiteSources } from '../site.js';

const span = { first: LAB_T0 - 1, last: LAB_T0 + 18 };
const inside = [
  '10.99.0.10',
  '10.99.0.11',
  '10.99.0.12',
  ...Array.from({ length: 12 }, (_, i) => `10.99.0.${i + 2}`),
];
const outside = ['10.99.1.66', '10.99.1.67', '10.99.1.68', '10.99.1.80'];
const blocked = ['10.99.0.1', ...Array.from({ length: 16 }, (_, i) => `10.99.0.${i + 16}`)];

export function labSite(): SiteSources {
  const sources: SiteSource[] = [
    {
      sourceKind: 'pcap',
      inputs: [{ path: 'examples/lab/capture.pcap', format: 'pcap' }],
      records: 90,
      span,
      addresses: [...new Set([...inside, ...outside])],
      position: 'behind-firewall',
    },
    {
      sourceKind: 'netflow',
      inputs: [{ path: 'examples/lab-nfdump/flows.csv', format: 'nfdump-csv' }],
      records: 137,
      span,
      addresses: [...new Set([...inside, ...outside])],
      position: 'behind-firewall',
    },
    {
      sourceKind: 'firewall',
      inputs: [{ path: 'examples/lab/firewall.log', format: 'iptables' }],
      records: 22,
      span,
      loggedPairs: [...blocked.map((h) => `${h}:22`), '10.99.0.10:23', '10.99.0.10:3389', '10.99.0.10:443'],
      loggedDestinations: [...blocked, '10.99.0.10'],
      loggedPorts: [22, 23, 443, 3389],
      logsAllowed: false,
      hostNames: ['lab-gw'],
    },
    {
      sourceKind: 'sshd',
      inputs: [{ path: 'examples/lab/auth.log', format: 'openssh' }],
      records: 45,
      span,
      servers: ['10.99.0.11'],
      hostNames: ['lab-ssh'],
    },
    {
      sourceKind: 'weblog',
      inputs: [{ path: 'examples/lab/access.log', format: 'combined' }],
      records: 39,
      span,
      vhosts: [],
    },
  ];
  return { sources };
}

/** The lab site with one source kind changed or left out. */
export function labSiteWith(
  kind: SiteSource['sourceKind'],
  change: ((s: SiteSource) => SiteSource) | 'remove',
): SiteSources {
  const { sources } = labSite();
  return {
    sources:
      change === 'remove'
        ? sources.filter((s) => s.sourceKind !== kind)
        : sources.map((s) => (s.sourceKind === kind ? change(s) : s)),
  };
}
