/** OpenSSH records → Events (authentication and SSH activity). */

import type { SshdRecord } from '../read/sshd/index.js';
import { AuthActivity, type Event, NetworkActivity, OcsfClass, Severity } from '../schema/event.js';
import { baseFields, type RecordPosition, shortText } from './common.js';

type Shape = Pick<Event, 'type' | 'classUid' | 'activityId' | 'action'> & { severityId?: number };

const auth = (
  type: Event['type'],
  activityId: number,
  action: Event['action'],
  severityId: number,
): Shape => ({
  type,
  classUid: OcsfClass.authentication,
  activityId,
  action,
  severityId,
});
const ssh = (type: Event['type'], activityId: number): Shape => ({
  type,
  classUid: OcsfClass.sshActivity,
  activityId,
});

/**
 * An sshd record as an Event; null for messages that concern no address ("Received signal 15").
 *
 * @example sshdToEvent(rec, { file: 'auth.log', line: 4 })?.type // 'login-failure'
 */
export function sshdToEvent(r: SshdRecord, pos: RecordPosition): Event | null {
  if (r.src === undefined) return null;
  let shape: Shape;
  switch (r.event) {
    case 'failed':
    case 'pam-failure':
    case 'max-auth':
      shape = auth('login-failure', AuthActivity.logon, 'denied', Severity.low);
      break;
    case 'invalid-user':
      shape = auth('invalid-user', AuthActivity.logon, 'denied', Severity.low);
      break;
    case 'accepted':
      shape = auth('login-success', AuthActivity.logon, 'allowed', Severity.informational);
      break;
    case 'closed':
    case 'disconnected':
    case 'received-disconnect':
      shape = ssh('ssh-disconnect', NetworkActivity.close);
      break;
    case 'reset':
      shape = ssh('ssh-disconnect', NetworkActivity.reset);
      break;
    case 'connection':
      shape = ssh('connection', NetworkActivity.open);
      break;
    case 'listening':
      shape = ssh('ssh-listen', NetworkActivity.listen);
      break;
    case 'other':
      return null;
    default:
      // no-ident, banner-error, kex-error, bad-version, negotiation-failed, timeout: what a banner grab leaves.
      shape = ssh('ssh-error', NetworkActivity.fail);
  }
  const base = baseFields(r, pos, 'sshd', r.format);
  const e: Event = {
    ts: base.ts,
    uid: base.uid,
    type: shape.type,
    classUid: shape.classUid,
    activityId: shape.activityId,
    src: r.src,
    message: shortText(messageOf(r)),
    source: base.source,
    raw: base.raw,
    attrs: base.attrs,
  };
  if (shape.action !== undefined) e.action = shape.action;
  if (shape.severityId !== undefined) e.severityId = shape.severityId;
  if (r.srcPort !== undefined) e.srcPort = r.srcPort;
  if (r.dst !== undefined) e.dst = r.dst;
  if (r.dstPort !== undefined) e.dstPort = r.dstPort;
  if (r.user !== undefined) e.user = r.user;
  e.proto = 'tcp';
  const attrs = e.attrs!;
  attrs.sshdEvent = r.event;
  if (r.method !== undefined) attrs.method = r.method;
  if (r.invalidUser) attrs.invalidUser = 1;
  if (r.preauth) attrs.preauth = 1;
  if (r.detail !== undefined) attrs.detail = shortText(r.detail, 512);
  if (r.pid !== undefined) attrs.pid = r.pid;
  return e;
}

function messageOf(r: SshdRecord): string {
  const colon = r.raw.indexOf(']: ');
  return colon >= 0 ? r.raw.slice(colon + 3) : r.raw;
}
