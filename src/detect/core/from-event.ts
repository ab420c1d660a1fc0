/**
 * Contacts and login attempts from normalized Events (docs/event-types.md),
 * so the detectors run on logs as they run on captures.
 *
 * What maps to a Contact (one attempt src → dst):
 * - `firewall-deny` → blocked; `firewall-allow` and firewall `connection`
 *   packets without a verdict → unknown (passed; whether it was answered the
 *   log cannot say). TCP flags from `attrs.flags` (iptables words, pf letters,
 *   ASA words), ICMP type from `attrs.icmpType`. A logged ICMP error becomes
 *   an `errorReply` contact from the original sender to the reporter.
 * - ASA connections: one contact per connection, from the Teardown of TCP/UDP
 *   (302014/302016/302018: duration, bytes and reason say how it ended) and
 *   from the Built of ICMP (302020: the teardown names no direction). The
 *   other halves give none, so a connection is not counted twice.
 * - `connection-refused` → rejected; Zeek conn.log (`zeek-conn`: conn_state,
 *   history and per-direction counts), Suricata EVE `flow` records (flags and
 *   counts per direction; an IPS drop verdict → blocked), sshd "Connection
 *   from" (answered, established, service ssh).
 * - None: NetFlow / nfdump records and EVE `netflow` records (one direction
 *   each: they go through `createNetflowPairer`), Zeek dns/ssh/http and EVE
 *   ssh/http (the same connection is in conn.log / the flow record), sshd
 *   errors and disconnects (with sshd's VERBOSE level the "Connection from"
 *   line already counts the connection), `rate-limit`, NAT, web requests,
 *   alerts, and any event that names no destination.
 */
import type { Event } from '../../schema/event.js';
import type { ProbeOutcome } from '../../schema/finding.js';
import {
  type AuthAttempt,
  attrNumber,
  attrText,
  type Contact,
  contactProto,
  isIcmpError,
  payloadEstimate,
  tcpFlagClass,
  tcpFlagsFromWords,
} from './contact.js';

const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** The fields every contact from an event shares; undefined when the event names no destination. */
function shell(e: Event, outcome: ProbeOutcome): Contact | undefined {
  if (typeof e.dst !== 'string' || e.dst === '' || typeof e.src !== 'string') return undefined;
  const proto = contactProto(e.proto);
  const ports = proto !== 'icmp' && proto !== 'arp';
  const ts = Number.isFinite(e.ts) ? e.ts : 0;
  const c: Contact = {
    ts,
    end: ts,
    src: e.src,
    dst: e.dst,
    proto,
    srcPort: ports && typeof e.srcPort === 'number' ? e.srcPort : -1,
    dstPort: ports && typeof e.dstPort === 'number' ? e.dstPort : -1,
    outcome,
    established: false,
    origPkts: -1,
    respPkts: -1,
    origBytes: -1,
    respBytes: -1,
    service: '',
    sourceKind: e.source?.kind ?? 'listener',
    format: e.source?.format ?? '',
    uid: e.uid,
  };
  if (e.source?.file !== undefined) c.file = e.source.file;
  if (proto === 'icmp') {
    const t = attrNumber(e, 'icmpType') ?? attrNumber(e, 'icmp_type');
    if (t !== undefined) c.icmpType = t;
  }
  return c;
}

/** Turns an ICMP error contact around: it tells that `dst` (the error's receiver) was refused by `src`. */
function asErrorReply(c: Contact, outcome: ProbeOutcome): Contact {
  if (c.proto !== 'icmp' || c.icmpType === undefined || !isIcmpError(c.icmpType, c.src.includes(':')))
    return c;
  const reporter = c.src;
  c.src = c.dst;
  c.dst = reporter;
  c.errorReply = true;
  c.outcome = outcome;
  return c;
}

/**
 * The Contact an event stands for, or undefined when it is none (see the
 * file comment for what maps and why).
 *
 * @example
 * contactFromEvent(iptablesDeny) // { src: '10.99.1.66', dst: '10.99.0.23', dstPort: 22, outcome: 'blocked', flagClass: 'syn', … }
 * contactFromEvent(nfdumpRecord) // undefined: pair NetFlow records with createNetflowPairer
 */
export function contactFromEvent(e: Event): Contact | undefined {
  const kind = e.source?.kind;
  switch (e.type) {
    case 'firewall-deny':
      return packetContact(e, 'blocked');
    case 'firewall-allow':
      return packetContact(e, 'unknown');
    case 'connection-refused':
      if (kind === 'zeek') return zeekConnContact(e);
      if (kind === 'eve') return eveFlowContact(e);
      return shell(e, 'rejected');
    case 'connection':
      switch (kind) {
        case 'firewall':
          return attrText(e, 'messageId')?.startsWith('302')
            ? asaConnContact(e)
            : packetContact(e, 'unknown');
        case 'zeek':
          return e.source.format === 'zeek-conn' ? zeekConnContact(e) : undefined;
        case 'eve':
          return attrText(e, 'eventType') === 'flow' ? eveFlowContact(e) : undefined;
        case 'sshd':
          return sshdConnContact(e);
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

/** One logged packet (firewall verdict or IPS drop). */
function packetContact(e: Event, outcome: ProbeOutcome): Contact | undefined {
  const c = shell(e, outcome);
  if (!c) return undefined;
  c.origPkts = typeof e.count === 'number' && e.count > 0 ? e.count : 1;
  if (outcome === 'blocked') c.respPkts = 0;
  if (c.proto === 'tcp') {
    const words = attrText(e, 'flags');
    // netfilter prints every set flag word, so a TCP line with none is a NULL packet.
    const format = e.source?.format;
    if (words !== undefined) c.flagClass = tcpFlagClass(tcpFlagsFromWords(words));
    else if (format === 'iptables' || format === 'ufw') c.flagClass = 'null';
  }
  return asErrorReply(c, outcome === 'blocked' ? 'blocked' : 'rejected');
}

/** sshd's VERBOSE "Connection from A port p on B port 22": sshd accepted the TCP connection. */
function sshdConnContact(e: Event): Contact | undefined {
  const c = shell(e, 'answered');
  if (!c) return undefined;
  c.proto = 'tcp';
  c.established = true;
  c.service = 'ssh';
  if (c.dstPort < 0) c.dstPort = 22;
  if (c.srcPort < 0 && typeof e.srcPort === 'number') c.srcPort = e.srcPort;
  return c;
}

/** ASA durations ("0:00:30", "12:03:04", "1d:02:03:04") in seconds; undefined when unreadable. */
function asaDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(?:(\d{1,5})d:?)?(\d{1,6}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/**
 * ASA Built/Teardown. The teardown of TCP names no direction, so the reader
 * puts the foreign side first; when that side holds a well-known port and the
 * other an ephemeral one, the connection is turned around (a client inside
 * reaching a server outside). "Reset-I" is a reset from the higher-security
 * (inside, second-named) side, "Reset-O" from the other.
 */
function asaConnContact(e: Event): Contact | undefined {
  const proto = contactProto(e.proto);
  const teardown = attrText(e, 'outcome') === 'Teardown';
  if (proto === 'icmp' ? teardown : !teardown) return undefined;
  if (proto === 'icmp') {
    // The reader's icmpType for 302020 is the port after laddr, which is not reliably the type: leave it out.
    const c = shell(e, 'unknown');
    if (c) delete c.icmpType;
    return c;
  }
  const c = shell(e, 'unknown');
  if (!c) return undefined;
  // The reader's dst is the second-named (inside) side unless the line said "outbound".
  let insideIsDst = attrText(e, 'direction') !== 'outbound';
  if (attrText(e, 'direction') === undefined && c.srcPort >= 0 && c.srcPort < 1024 && c.dstPort >= 1024) {
    [c.src, c.dst, c.srcPort, c.dstPort] = [c.dst, c.src, c.dstPort, c.srcPort];
    insideIsDst = false;
  }
  const dur = asaDuration(attrText(e, 'duration'));
  if (dur !== undefined) c.ts = c.end - dur;
  const bytes = typeof e.bytes === 'number' ? e.bytes : undefined;
  const reason = attrText(e, 'reason') ?? '';
  if (proto !== 'tcp') {
    // UDP/GRE bytes are both directions together: nothing says whether the target spoke.
    return c;
  }
  if (reason.startsWith('SYN Timeout')) {
    c.outcome = 'unanswered';
    c.respPkts = 0;
    return c;
  }
  if (bytes !== undefined && bytes > 0) {
    c.outcome = 'answered';
    c.established = true;
    return c;
  }
  const reset = /Reset-([IO])/.exec(reason);
  if (reset) {
    const fromInside = reset[1] === 'I';
    const byResponder = fromInside === insideIsDst;
    // A bare reset from the target refuses; one from the initiator follows a SYN-ACK (nmap -sS on an open port).
    c.outcome = byResponder ? 'rejected' : 'answered';
    return c;
  }
  if (reason.startsWith('TCP FINs')) {
    c.outcome = 'answered';
    c.established = true;
  }
  return c;
}

/** Zeek conn.log: outcome from history (lowercase = responder) and conn_state. */
function zeekConnContact(e: Event): Contact | undefined {
  const c = shell(e, 'unknown');
  if (!c) return undefined;
  const state = attrText(e, 'conn_state');
  const history = attrText(e, 'history') ?? '';
  c.origPkts = attrNumber(e, 'orig_pkts') ?? -1;
  c.respPkts = attrNumber(e, 'resp_pkts') ?? -1;
  c.origBytes = attrNumber(e, 'orig_bytes') ?? -1;
  c.respBytes = attrNumber(e, 'resp_bytes') ?? -1;
  const dur = attrNumber(e, 'duration');
  if (dur !== undefined && dur > 0) c.end = c.ts + dur;
  const service = attrText(e, 'service');
  if (service !== undefined) c.service = service.split(',')[0]!.slice(0, 32);
  if (c.proto === 'tcp') {
    c.outcome = zeekTcpOutcome(state, history, attrText(e, 'outcome'));
    c.established =
      history !== ''
        ? history.includes('S') && history.includes('h') && history.includes('A')
        : state === 'S1' ||
          state === 'S2' ||
          state === 'S3' ||
          state === 'SF' ||
          state === 'RSTO' ||
          state === 'RSTR';
    if (history.includes('S')) c.flagClass = 'syn';
  } else {
    c.outcome =
      c.respPkts > 0 ? 'answered' : c.respPkts === 0 ? 'unanswered' : fromZeekOutcome(attrText(e, 'outcome'));
    c.established = c.origPkts > 0 && c.respPkts > 0;
  }
  return asErrorReply(c, 'rejected');
}

/** TCP outcome from Zeek's history letters, then conn_state, then the mapper's summary. */
function zeekTcpOutcome(
  state: string | undefined,
  history: string,
  summary: string | undefined,
): ProbeOutcome {
  if (state === 'REJ') return 'rejected';
  // h SYN-ACK, a ACK, d data, f FIN from the responder: it spoke. r alone: it reset.
  if (/[hadf]/.test(history)) return 'answered';
  if (history.includes('r')) return 'rejected';
  if (state === 'S0' || state === 'SH' || state === 'RSTOS0') return 'unanswered';
  if (history !== '' && !/[a-z]/.test(history) && state === 'OTH') return 'unanswered';
  return fromZeekOutcome(summary);
}

function fromZeekOutcome(summary: string | undefined): ProbeOutcome {
  switch (summary) {
    case 'unanswered':
      return 'unanswered';
    case 'rejected':
      return 'rejected';
    case 'established':
      return 'answered';
    default:
      return 'unknown';
  }
}

/** Suricata EVE flow: per-direction counts and (with the tcp section) each side's flags. */
function eveFlowContact(e: Event): Contact | undefined {
  const c = shell(e, 'unknown');
  if (!c) return undefined;
  const v6 = c.src.includes(':');
  const pts = attrNumber(e, 'pktsToServer');
  const ptc = attrNumber(e, 'pktsToClient');
  c.origPkts = pts ?? -1;
  c.respPkts = ptc ?? -1;
  // Suricata counts bytes from the Ethernet header on.
  c.origBytes = payloadEstimate(attrNumber(e, 'bytesToServer'), pts, c.proto, v6, 14);
  c.respBytes = payloadEstimate(attrNumber(e, 'bytesToClient'), ptc, c.proto, v6, 14);
  const end = attrNumber(e, 'end');
  if (end !== undefined && end >= c.ts) c.end = end;
  const service = attrText(e, 'appProto');
  if (service !== undefined && service !== 'failed') c.service = service.slice(0, 32);
  const fs = attrNumber(e, 'tcpFlagsToServer');
  const fc = attrNumber(e, 'tcpFlagsToClient');
  if (c.proto === 'tcp' && fs !== undefined) c.flagClass = tcpFlagClass(fs);
  if (attrText(e, 'verdict') === 'drop') {
    c.outcome = 'blocked';
    return c;
  }
  if (ptc === 0) c.outcome = 'unanswered';
  else if (c.proto === 'tcp' && fc !== undefined) {
    c.outcome = fc & SYN || c.respBytes > 0 ? 'answered' : fc & RST ? 'rejected' : 'answered';
    c.established =
      fs !== undefined && (fs & (SYN | ACK)) === (SYN | ACK) && (fc & (SYN | ACK)) === (SYN | ACK);
  } else if (ptc !== undefined && ptc > 0) {
    c.outcome = e.type === 'connection-refused' ? 'rejected' : 'answered';
    c.established = c.proto !== 'tcp' && (pts ?? 0) > 0;
  } else if (e.type === 'connection-refused') c.outcome = 'rejected';
  return c;
}

/**
 * The login try an event stands for, or undefined.
 *
 * - sshd: "Failed <method> for [invalid user] X" → failure (invalid-user
 *   when sshd says the user does not exist), "Invalid user X" → invalid-user
 *   (sshd logs it once per connection before the password tries, as fail2ban
 *   and CrowdSec count it), "Accepted" → success. PAM's "authentication
 *   failure" and "maximum authentication attempts exceeded" repeat a try
 *   sshd already logged as "Failed", so they give none.
 * - Zeek ssh.log `auth_success` F / T → failure / success (Zeek's inference;
 *   one record stands for the whole connection, however many tries it held).
 * - HTTP 401 (web logs, Zeek http.log, EVE http) → failure, service http, the
 *   basic-auth user when logged. 403 is refusal of an authenticated or
 *   anonymous request to a resource, not a failed login: none.
 * - WordPress logins: POST …/wp-login.php (no `action`, or `action=login`)
 *   answered 200 (the form shown again) → failure, 302 (redirect into the
 *   admin) → success. CrowdSec's http-bf-wordpress_bf counts any 200 on
 *   wp-login.php; a GET only fetches the form, so we ask for POST. A
 *   two-factor plugin answers a right password with 200 too (counted as a
 *   failure: the error is on the side of suspicion). No other login page is
 *   this precise from one log line, so no other is mapped.
 * - FTP: no reader produces FTP login events yet.
 *
 * @example
 * authFromEvent(sshdFailedPassword) // { src: '10.99.1.67', service: 'ssh', user: 'root', result: 'failure', host: 'lab-ssh', … }
 */
export function authFromEvent(e: Event): AuthAttempt | undefined {
  const kind = e.source?.kind;
  let result: AuthAttempt['result'];
  let service: string;
  switch (e.type) {
    case 'login-failure':
    case 'login-success':
    case 'invalid-user':
      if (kind === 'sshd') {
        const ev = attrText(e, 'sshdEvent');
        if (ev === 'pam-failure' || ev === 'max-auth') return undefined;
        const invalid = e.type === 'invalid-user' || attrNumber(e, 'invalidUser') === 1;
        result = e.type === 'login-success' ? 'success' : invalid ? 'invalid-user' : 'failure';
      } else if (kind === 'zeek') {
        result =
          e.type === 'login-success' ? 'success' : e.type === 'invalid-user' ? 'invalid-user' : 'failure';
      } else return undefined;
      service = 'ssh';
      break;
    case 'access-denied':
      if (e.http?.status !== 401) return undefined;
      result = 'failure';
      service = 'http';
      break;
    case 'web-access': {
      const r = wordpressLogin(e);
      if (r === undefined) return undefined;
      result = r;
      service = 'http';
      break;
    }
    default:
      return undefined;
  }
  if (typeof e.src !== 'string') return undefined;
  const a: AuthAttempt = {
    ts: Number.isFinite(e.ts) ? e.ts : 0,
    src: e.src,
    service,
    result,
    sourceKind: kind ?? 'listener',
    format: e.source?.format ?? '',
    uid: e.uid,
  };
  if (typeof e.dst === 'string' && e.dst !== '') a.dst = e.dst;
  if (typeof e.dstPort === 'number') a.dstPort = e.dstPort;
  if (typeof e.user === 'string' && e.user !== '' && e.user !== '-') a.user = e.user.slice(0, 256);
  if (e.source?.file !== undefined) a.file = e.source.file;
  if (e.source?.host !== undefined) a.host = e.source.host;
  return a;
}

const wpLogin = /\/wp-login\.php(?:\?(.*))?$/;

/** failure / success of a WordPress form login, undefined for any other request. */
function wordpressLogin(e: Event): AuthAttempt['result'] | undefined {
  const h = e.http;
  if (h?.method?.toUpperCase() !== 'POST' || typeof h.uri !== 'string' || h.uri.length > 2048)
    return undefined;
  const m = wpLogin.exec(h.uri);
  if (!m) return undefined;
  const query = m[1] ?? '';
  const action = /(?:^|&)action=([^&]*)/.exec(query)?.[1];
  if (action !== undefined && action !== 'login') return undefined;
  if (h.status === 200) return 'failure';
  if (h.status === 302) return 'success';
  return undefined;
}
