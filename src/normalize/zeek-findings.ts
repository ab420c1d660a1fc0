/** Zeek notice.log and weird.log → Detection Finding (2004) `ids-alert` Events. */

import type { ZeekRecord } from '../read/zeek/record.js';
import { zeekNumber, zeekText } from '../read/zeek/record.js';
import { type Event, FindingActivity, OcsfClass, Severity } from '../schema/event.js';
import type { RecordPosition } from './common.js';
import { setEndpoints, zeekEvent } from './zeek-base.js';

/**
 * A notice as an `ids-alert`: notices are what Zeek's detection scripts
 * conclude (Scan::Port_Scan, SSH::Password_Guessing …). The acting address is
 * the connection's originator, else the notice's `src`; the target `id.resp_h`
 * else `dst`, and port `id.resp_p` else `p`. Zeek gives no severity; none is claimed.
 *
 * @example zeekNoticeToEvent(rec, pos)?.attrs?.note // 'Scan::Port_Scan'
 */
export function zeekNoticeToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  const src = zeekText(r, 'id.orig_h') ?? zeekText(r, 'src');
  if (src === undefined) return null;
  const note = zeekText(r, 'note') ?? 'notice';
  const e = zeekEvent(
    r,
    pos,
    { type: 'ids-alert', classUid: OcsfClass.detectionFinding, activityId: FindingActivity.create },
    src,
    `${note}: ${zeekText(r, 'msg') ?? ''}${zeekText(r, 'sub') ? ` (${zeekText(r, 'sub')})` : ''}`,
  );
  const proto = zeekText(r, 'proto');
  if (proto !== undefined && proto !== 'unknown_transport') e.proto = proto;
  setEndpoints(e, r, proto);
  const dst = zeekText(r, 'dst');
  if (e.dst === undefined && dst !== undefined) e.dst = dst;
  const p = zeekNumber(r, 'p');
  if (e.dstPort === undefined && p !== undefined && proto !== 'icmp') e.dstPort = p;
  if (zeekNumber(r, 'n') !== undefined) e.count = Math.max(0, Math.trunc(zeekNumber(r, 'n')!));
  return e;
}

/**
 * A weird (a protocol anomaly Zeek saw: bad checksums, data after a reset,
 * unexpected handshakes) as an informational `ids-alert`, like Suricata's
 * anomaly records: the monitor's own finding, not a signature match, hence
 * severity 1. Weirds without a connection address give no Event.
 *
 * @example zeekWeirdToEvent(rec, pos)?.attrs?.name // 'SYN_after_close'
 */
export function zeekWeirdToEvent(r: ZeekRecord, pos: RecordPosition): Event | null {
  const src = zeekText(r, 'id.orig_h');
  if (src === undefined) return null;
  const name = zeekText(r, 'name') ?? 'weird';
  const addl = zeekText(r, 'addl');
  const e = zeekEvent(
    r,
    pos,
    {
      type: 'ids-alert',
      classUid: OcsfClass.detectionFinding,
      activityId: FindingActivity.create,
      severityId: Severity.informational,
    },
    src,
    `weird ${name}${addl ? `: ${addl}` : ''}`,
  );
  setEndpoints(e, r, undefined);
  return e;
}
