/**
 * What a generic syslog line says beyond its header, for the few program
 * messages worth a field: PAM session open/close and cron's job lines. Both
 * name the user the line is about, which the rest of Picket keys on.
 */

/** Fields found in a message body; attrs hold the program-specific parts. */
export interface ProgramFields {
  user?: string;
  attrs: Record<string, string>;
}

// `pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`
const pamSession = /^(\w+)\(([^()]*)\): session (\w+) for user ([\w.@-]+)(?:\(uid=\d+\))?(?: by (.*))?$/;
// `(root) CMD (   cd / && run-parts --report /etc/cron.hourly)`
const cronJob = /^\(([^()\s]+)\) ([A-Z][A-Z ]*?) \((.*)\)$/;

/**
 * The user and program fields of a PAM session or cron message; undefined
 * for any other message.
 *
 * @example programFields('CRON', '(root) CMD (run-parts /etc/cron.hourly)')
 * // → { user: 'root', attrs: { cronAction: 'CMD', cronCommand: 'run-parts /etc/cron.hourly' } }
 */
export function programFields(app: string | undefined, msg: string): ProgramFields | undefined {
  // Cheap substring checks first: most lines are neither.
  if (msg.includes('): session ')) {
    const m = pamSession.exec(msg);
    if (m) {
      const attrs: Record<string, string> = { pamModule: m[1]!, pamOrigin: m[2]!, pamSessionState: m[3]! };
      if (m[5] !== undefined) attrs.pamBy = m[5];
      return { user: m[4]!, attrs };
    }
  }
  if (msg.charCodeAt(0) === 40 /* ( */ && app !== undefined && /^cron/i.test(app)) {
    const m = cronJob.exec(msg);
    if (m) return { user: m[1]!, attrs: { cronAction: m[2]!, cronCommand: m[3]! } };
  }
  return undefined;
}
