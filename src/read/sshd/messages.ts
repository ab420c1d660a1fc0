/**
 * OpenSSH server messages (auth.log, journal): one table of patterns, each
 * naming what happened. User names are attacker-chosen text: patterns anchor
 * on the trailing `from ADDR port N` so a name containing " from " stays whole.
 */

export type SshdEventKind =
  | 'failed'
  | 'accepted'
  | 'invalid-user'
  | 'connection'
  | 'closed'
  | 'reset'
  | 'disconnected'
  | 'received-disconnect'
  | 'no-ident'
  | 'banner-error'
  | 'kex-error'
  | 'bad-version'
  | 'negotiation-failed'
  | 'max-auth'
  | 'pam-failure'
  | 'timeout'
  | 'listening'
  | 'other';

export interface SshdFields {
  event: SshdEventKind;
  method?: string;
  user?: string;
  /** The user does not exist on the server. */
  invalidUser?: boolean;
  src?: string;
  srcPort?: number;
  dst?: string;
  dstPort?: number;
  preauth?: boolean;
  /** Free text: disconnect reason, negotiation detail, error text. */
  detail?: string;
}

type Build = (m: RegExpExecArray) => SshdFields;

const userState = (s: string | undefined): boolean | undefined =>
  s === undefined ? undefined : s.startsWith('invalid') || s.startsWith('illegal');

const patterns: ReadonlyArray<readonly [RegExp, Build]> = [
  [
    /^Failed (\S+) for (invalid user |illegal user )?(.*) from (\S+) port (\d+)/,
    (m) => ({
      event: 'failed',
      method: m[1]!,
      invalidUser: m[2] !== undefined,
      user: m[3]!,
      src: m[4]!,
      srcPort: +m[5]!,
    }),
  ],
  [
    /^Accepted (\S+) for (.*) from (\S+) port (\d+)/,
    (m) => ({ event: 'accepted', method: m[1]!, user: m[2]!, src: m[3]!, srcPort: +m[4]! }),
  ],
  [
    /^(?:Invalid|Illegal) user (.*) from (\S+?)(?: port (\d+))?$/,
    (m) => ({ event: 'invalid-user', invalidUser: true, user: m[1]!, src: m[2]!, ...port(m[3]) }),
  ],
  [
    /^Connection (closed|reset) by (?:(authenticating user|invalid user|user) (.*) )?(\S+) port (\d+)/,
    (m) => ({
      event: m[1] === 'closed' ? 'closed' : 'reset',
      ...who(m[2], m[3]),
      src: m[4]!,
      srcPort: +m[5]!,
    }),
  ],
  [
    /^Disconnect(?:ed from|ing) (?:(authenticating user|invalid user|user) (.*) )?(\S+) port (\d+)(?:: (.*?))?(?: \[preauth\])?$/,
    (m) => {
      const f: SshdFields = { event: 'disconnected', ...who(m[1], m[2]), src: m[3]!, srcPort: +m[4]! };
      if (m[5] !== undefined) {
        f.detail = m[5];
        if (m[5].startsWith('Too many authentication failures')) f.event = 'max-auth';
      }
      return f;
    },
  ],
  [
    /^Received disconnect from (\S+) port (\d+):(\d+): (.*?)(?: \[preauth\])?$/,
    (m) => ({ event: 'received-disconnect', src: m[1]!, srcPort: +m[2]!, detail: `${m[3]}: ${m[4]}` }),
  ],
  [
    /^Did not receive identification string from (\S+?)(?: port (\d+))?$/,
    (m) => ({ event: 'no-ident', src: m[1]!, ...port(m[2]) }),
  ],
  [
    /^banner exchange: Connection from (\S+) port (\d+): (.*)/,
    (m) => ({ event: 'banner-error', src: m[1]!, srcPort: +m[2]!, detail: m[3]! }),
  ],
  [/^kex_exchange_identification: (.*)/, (m) => ({ event: 'kex-error', detail: m[1]! })],
  [
    /^(?:ssh_dispatch_run_fatal|kex_protocol_error|ssh_packet_read): Connection from (?:(authenticating user|invalid user|user) (.*) )?(\S+) port (\d+): (.*?)(?: \[preauth\])?$/,
    (m) => ({ event: 'kex-error', ...who(m[1], m[2]), src: m[3]!, srcPort: +m[4]!, detail: m[5]! }),
  ],
  [
    /^Bad protocol version identification '(.*)' from (\S+?)(?: port (\d+))?$/,
    (m) => ({ event: 'bad-version', detail: m[1]!, src: m[2]!, ...port(m[3]) }),
  ],
  [
    /^Protocol major versions differ for (\S+?)(?: port (\d+))?: (.*)/,
    (m) => ({ event: 'bad-version', src: m[1]!, ...port(m[2]), detail: m[3]! }),
  ],
  [
    /^Unable to negotiate with (\S+) port (\d+): (.*?)(?: \[preauth\])?$/,
    (m) => ({ event: 'negotiation-failed', src: m[1]!, srcPort: +m[2]!, detail: m[3]! }),
  ],
  [
    /^maximum authentication attempts exceeded for (invalid user )?(.*) from (\S+) port (\d+)/,
    (m) => ({ event: 'max-auth', invalidUser: m[1] !== undefined, user: m[2]!, src: m[3]!, srcPort: +m[4]! }),
  ],
  [
    /^PAM: Authentication failure for (illegal user |invalid user )?(.*) from (\S+)$/,
    (m) => ({ event: 'pam-failure', invalidUser: m[1] !== undefined, user: m[2]!, src: m[3]! }),
  ],
  [
    /^pam_unix\(sshd:auth\): authentication failure;.* rhost=(\S+)(?:\s+user=(\S+))?/,
    (m) => ({ event: 'pam-failure', src: m[1]!, ...(m[2] !== undefined ? { user: m[2] } : {}) }),
  ],
  [
    /^Timeout before authentication for (?:connection from )?(\S+?)(?: port (\d+))?$/,
    (m) => ({ event: 'timeout', src: m[1]!, ...port(m[2]) }),
  ],
  [
    /^Connection from (\S+) port (\d+) on (\S+) port (\d+)/,
    (m) => ({ event: 'connection', src: m[1]!, srcPort: +m[2]!, dst: m[3]!, dstPort: +m[4]! }),
  ],
  [/^Server listening on (\S+) port (\d+)/, (m) => ({ event: 'listening', src: m[1]!, srcPort: +m[2]! })],
];

function port(p: string | undefined): { srcPort?: number } {
  return p === undefined ? {} : { srcPort: +p };
}

function who(state: string | undefined, user: string | undefined): Partial<SshdFields> {
  if (user === undefined) return {};
  const out: Partial<SshdFields> = { user };
  const invalid = userState(state);
  if (invalid) out.invalidUser = true;
  return out;
}

/**
 * Parses an sshd message (the text after `sshd[pid]: `).
 *
 * @example parseSshdMessage('Invalid user admin from 10.99.1.67 port 60206')
 * // { event: 'invalid-user', user: 'admin', invalidUser: true, src: '10.99.1.67', srcPort: 60206 }
 */
export function parseSshdMessage(msg: string): SshdFields {
  let text = msg;
  // "error: " and "fatal: " prefixes say how sshd rated it, not what happened.
  if (text.startsWith('error: ')) text = text.slice(7);
  else if (text.startsWith('fatal: ')) text = text.slice(7);
  const preauth = text.endsWith(' [preauth]');
  for (const [re, build] of patterns) {
    const m = re.exec(text);
    if (m) {
      const f = build(m);
      if (preauth) f.preauth = true;
      if (f.srcPort !== undefined && f.srcPort > 65535) delete f.srcPort;
      return f;
    }
  }
  return { event: 'other', detail: text };
}

/** Program names under which OpenSSH logs (9.8+ splits out sshd-session). */
export function isSshdProgram(app: string | undefined): boolean {
  return app === 'sshd' || app === 'sshd-session' || app === 'sshd-auth';
}
