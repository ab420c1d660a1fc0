/**
 * Suricata's SSH sticky buffers over an SshTx. Both depend on the direction
 * being inspected: to_server sees the client's banner, to_client the
 * server's (Suricata picks the side from the flow direction of the packet).
 * `ssh.proto` is the protocol version (`2.0`), `ssh.software` the software
 * version (`OpenSSH_9.6`), both without the comments part.
 */
import type { SshTx } from '../../schema/app-tx.js';

export const SSH_BUFFERS = ['ssh.proto', 'ssh.software'] as const;

/** Older spellings of the same sticky buffers (not `ssh.protoversion`, a different, value-comparing keyword). */
const ALIASES: Record<string, (typeof SSH_BUFFERS)[number]> = {
  ssh_proto: 'ssh.proto',
  ssh_software: 'ssh.software',
};

/**
 * The SSH buffer `name` for the side being inspected; undefined until that
 * side's banner was seen, or for unknown names.
 *
 * @example
 * sshBuffer(tx, 'ssh.software', true) // client software, e.g. bytes of 'OpenSSH_9.6'
 */
export function sshBuffer(tx: SshTx, name: string, toServer: boolean): Uint8Array | undefined {
  const c = (SSH_BUFFERS as readonly string[]).includes(name) ? name : ALIASES[name];
  if (c === 'ssh.proto') return toServer ? tx.clientProto : tx.serverProto;
  if (c === 'ssh.software') return toServer ? tx.clientSoftware : tx.serverSoftware;
  return undefined;
}

/** SSH buffers exist on both sides. */
export function sshBufferDirection(name: string): 'both' | undefined {
  return (SSH_BUFFERS as readonly string[]).includes(name) || ALIASES[name] !== undefined
    ? 'both'
    : undefined;
}

/**
 * Splits a version line `SSH-protoversion-softwareversion SP comments` (RFC
 * 4253 section 4.2) into the two fields SshTx keeps; undefined when the line
 * does not start with `SSH-` or has no `-` after the protocol version.
 * (Pure; the session that fills SshTx may move it next to the banner parser.)
 *
 * @example
 * splitSshBanner('SSH-2.0-OpenSSH_9.6 Debian') // { proto: '2.0', software: 'OpenSSH_9.6' } as bytes
 */
export function splitSshBanner(
  line: Uint8Array | string,
): { proto: Uint8Array; software: Uint8Array } | undefined {
  const b = typeof line === 'string' ? new Uint8Array(Buffer.from(line, 'latin1')) : line;
  if (b.length < 4 || b[0] !== 0x53 || b[1] !== 0x53 || b[2] !== 0x48 || b[3] !== 0x2d) return undefined;
  const dash = b.indexOf(0x2d, 4);
  if (dash < 0) return undefined;
  let end = b.length;
  for (let i = dash + 1; i < b.length; i++) {
    const c = b[i];
    if (c === 0x20 || c === 0x0d || c === 0x0a) {
      end = i;
      break;
    }
  }
  return { proto: b.slice(4, dash), software: b.slice(dash + 1, end) };
}
