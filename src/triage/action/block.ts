/**
 * Block the attacking source, with an expiry: an nftables set with
 * timeouts, iptables with an ipset (or one plain rule, which needs removing
 * by hand), and a pf table expired from cron.
 */
import type { ActionRecommendation } from '../../schema/alarm.js';
import { blockDuration } from './safe.js';

export interface BlockTarget {
  /** The source, already checked by snippetAddress. */
  address: { text: string; v6: boolean };
  sid?: number;
  hours: number;
}

/**
 * @example blockSnippets({ address: { text: '192.0.2.7', v6: false }, hours: 24 })[0].format // 'nftables'
 */
export function blockSnippets(t: BlockTarget): ActionRecommendation['snippets'] {
  const d = blockDuration(t.hours);
  const a = t.address.text;
  const set = t.address.v6 ? 'block6' : 'block4';
  const ipt = t.address.v6 ? 'ip6tables' : 'iptables';
  const ipset = t.address.v6 ? 'picket_block6' : 'picket_block';
  const family = t.address.v6 ? ' family inet6' : '';
  const tag = t.sid !== undefined ? `picket sid ${t.sid}` : 'picket';
  const nft = [
    '# Once: a table whose sets forget each address after its timeout, and chains that drop them.',
    'table inet picket {',
    '  set block4 { type ipv4_addr; flags timeout; }',
    '  set block6 { type ipv6_addr; flags timeout; }',
    '  chain input { type filter hook input priority filter - 10; policy accept; ip saddr @block4 drop; ip6 saddr @block6 drop; }',
    '  chain forward { type filter hook forward priority filter - 10; policy accept; ip saddr @block4 drop; ip6 saddr @block6 drop; }',
    '}',
    `# This source, for ${d.nft} (load with: nft -f FILE):`,
    `add element inet picket ${set} { ${a} timeout ${d.nft} }`,
  ].join('\n');
  const ipsetText = [
    `# Once: an ipset whose entries expire, and one rule that drops its members.`,
    `ipset create ${ipset} hash:ip${family} timeout ${d.seconds} -exist`,
    `${ipt} -I INPUT -m set --match-set ${ipset} src -m comment --comment "picket block list" -j DROP`,
    `# This source, for ${d.seconds} seconds:`,
    `ipset add ${ipset} ${a} timeout ${d.seconds} -exist`,
  ].join('\n');
  const plain = [
    '# Without ipset: one rule. iptables has no expiry, so delete it when the block should end.',
    `${ipt} -I INPUT -s ${a} -m comment --comment "${tag}" -j DROP`,
    `# to remove it later: ${ipt} -D INPUT -s ${a} -m comment --comment "${tag}" -j DROP`,
  ].join('\n');
  const pf = [
    '# Once, in /etc/pf.conf (then pfctl -f /etc/pf.conf):',
    'table <picket_block> persist',
    'block in quick from <picket_block>',
    '# This source:',
    `pfctl -t picket_block -T add ${a}`,
    `# pf tables do not expire by themselves: run this hourly (cron) to drop entries older than ${d.seconds} s.`,
    `pfctl -t picket_block -T expire ${d.seconds}`,
  ].join('\n');
  return [
    { format: 'nftables', text: nft },
    { format: 'iptables+ipset', text: ipsetText },
    { format: 'iptables', text: plain },
    { format: 'pf', text: pf },
  ];
}
