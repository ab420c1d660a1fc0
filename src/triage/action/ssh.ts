/**
 * Restrict SSH after a brute force: sshd_config that allows only named
 * users from a management network and refuses the attacking source, and a
 * fail2ban jail that bans sources after repeated failures. Placeholders are
 * documentation values (`admin`, 192.0.2.0/24) that the reader replaces;
 * both snippets are valid as written.
 */
import type { ActionRecommendation } from '../../schema/alarm.js';
import { blockDuration } from './safe.js';

export interface SshTarget {
  /** The attacking source, checked by snippetAddress. */
  source?: string;
  port?: number;
  hours: number;
}

/**
 * @example sshSnippets({ source: '192.0.2.7', port: 22, hours: 24 }).map((s) => s.format) // ['sshd_config', 'fail2ban jail.local']
 */
export function sshSnippets(t: SshTarget): ActionRecommendation['snippets'] {
  const sshd = [
    '# /etc/ssh/sshd_config.d/50-picket.conf (check with: sshd -t, then reload sshd)',
    'PermitRootLogin no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'MaxAuthTries 3',
    '# Only these users, only from your management network (replace admin and 192.0.2.0/24):',
    'AllowUsers admin@192.0.2.0/24',
    ...(t.source !== undefined
      ? ['# The attacking source may not log in at all:', `DenyUsers *@${t.source}`]
      : []),
    '# Passwords only from the management network; keys everywhere else:',
    'Match Address 192.0.2.0/24',
    '    PasswordAuthentication yes',
  ].join('\n');
  const port = t.port ?? 22;
  const jail = [
    '# /etc/fail2ban/jail.local (check with: fail2ban-client -t, then fail2ban-client reload)',
    '[sshd]',
    'enabled  = true',
    `port     = ${port}`,
    'maxretry = 5',
    'findtime = 10m',
    `bantime  = ${blockDuration(t.hours).nft}`,
    '# never ban your own addresses:',
    'ignoreip = 127.0.0.1/8 ::1',
  ].join('\n');
  return [
    { format: 'sshd_config', text: sshd },
    { format: 'fail2ban jail.local', text: jail },
  ];
}
