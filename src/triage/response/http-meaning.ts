/**
 * What an HTTP answer means for the kind of attack the rule names: one table,
 * read top to bottom, first row that fits wins (docs/triage.md, "Response").
 * The status alone never proves an exploit worked; rows that cannot tell say
 * 'unknown' and what would decide.
 */
import type { TriState } from '../../schema/alarm.js';
import { inert } from '../connection/inert.js';
import type { HttpAnswer } from './http-answer.js';

/** The attack kinds the table distinguishes, from the rule's message, class and the request. */
export type AttackKind =
  | 'config-download'
  | 'php-object-injection'
  | 'scanner'
  | 'exploit'
  | 'brute-force'
  | 'other';

/**
 * @example attackKind('ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt', undefined, '/rom-0') // 'config-download'
 */
export function attackKind(msg: string, classtype?: string, uri?: string): AttackKind {
  const text = `${msg} ${classtype ?? ''}`;
  if (/rom-0|configuration download/i.test(text) || uri === '/rom-0') return 'config-download';
  if (/serialized php|php object|object injection|CVE-2015-8562/i.test(text)) return 'php-object-injection';
  if (/brute ?force|password guess|login attempt/i.test(text)) return 'brute-force';
  if (/\bSCAN\b|scanner|user-agent|\brecon|network-scan|attempted-recon/i.test(text)) return 'scanner';
  if (
    /EXPLOIT|\bRCE\b|injection|traversal|overflow|web-application-attack|attempted-admin|attempted-user/i.test(
      text,
    )
  )
    return 'exploit';
  return 'other';
}

export interface HttpMeaning {
  attemptFailed: TriState;
  meaning: string;
  /** Higher is more serious; the group reports its most serious answer. */
  weight: number;
}

/** A body that is a file rather than a page: a non-text type, or control bytes in its first bytes. */
export function looksBinary(a: HttpAnswer): TriState {
  if (a.contentType !== undefined) {
    const t = a.contentType.toLowerCase();
    if (/^(text\/|application\/(json|xml|xhtml|javascript))/.test(t)) return 'no';
    if (t !== '') return 'yes';
  }
  if (a.bodyPrefix !== undefined && a.bodyPrefix.length > 0)
    return /[\x00-\x08\x0e-\x1f]/.test(a.bodyPrefix) ? 'yes' : 'no';
  return 'unknown';
}

interface Row {
  when: (kind: AttackKind, a: HttpAnswer) => boolean;
  say: (kind: AttackKind, a: HttpAnswer) => HttpMeaning;
}

const is2xx = (s: number) => s >= 200 && s < 300;
const body = (a: HttpAnswer) =>
  `${a.bodyBytes ?? '?'}-byte ${a.contentType ? inert(a.contentType.split(';')[0]!, 60) : 'untyped'} body`;

const ROWS: Row[] = [
  {
    when: (_k, a) => a.status < 0,
    say: () => ({
      attemptFailed: 'unknown',
      meaning:
        'The request got no HTTP response: the server did not answer it (or the capture lost the answer).',
      weight: 3,
    }),
  },
  {
    when: (_k, a) => a.status === 401 || a.status === 403,
    say: (_k, a) => ({
      attemptFailed: 'yes',
      meaning: `The server refused the request (${a.status}): the attempt failed.`,
      weight: 1,
    }),
  },
  {
    when: (_k, a) => a.status >= 500,
    say: (_k, a) => ({
      attemptFailed: 'unknown',
      meaning: `The server failed with ${a.status} while handling the request: it choked on it; investigate whether the service crashed or is vulnerable.`,
      weight: 4,
    }),
  },
  {
    when: (k, a) =>
      k === 'config-download' && is2xx(a.status) && (a.bodyBytes ?? 1) > 0 && looksBinary(a) !== 'no',
    say: (_k, a) => ({
      attemptFailed: 'no',
      meaning: `The server answered ${a.status} with a ${body(a)} to a configuration-file request: the device configuration (with its admin password) may have leaked; treat it as a likely compromise.`,
      weight: 5,
    }),
  },
  {
    when: (k, a) => k === 'config-download' && is2xx(a.status),
    say: (_k, a) => ({
      attemptFailed: 'unknown',
      meaning: `The server answered ${a.status} with a ${body(a)}: a page, not a configuration file as far as the answer shows; check the body.`,
      weight: 3,
    }),
  },
  {
    when: (_k, a) => a.status >= 400 && a.status < 500,
    say: (k, a) => ({
      attemptFailed: 'yes',
      meaning:
        k === 'scanner'
          ? `The server answered ${a.status}: the scanner's probe found nothing there; the attempt failed.`
          : `The server answered ${a.status}: it has no such resource or rejected the request; the attempt failed.`,
      weight: 1,
    }),
  },
  {
    when: (k, a) => k === 'php-object-injection' && is2xx(a.status),
    say: (_k, a) => ({
      attemptFailed: 'unknown',
      meaning: `The server answered ${a.status} with its normal page: no effect is shown; whether the injected object ran depends on whether the server runs a vulnerable Joomla (relevance decides).`,
      weight: 3,
    }),
  },
  {
    when: (k, a) => k === 'scanner' && is2xx(a.status),
    say: (_k, a) => ({
      attemptFailed: 'no',
      meaning: `The scanner got a ${a.status} answer: it reached a live web server and learnt it is there; nothing in the answer shows an exploit.`,
      weight: 2,
    }),
  },
  {
    when: (_k, a) => is2xx(a.status),
    say: (_k, a) => ({
      attemptFailed: 'unknown',
      meaning: `The server accepted the request (${a.status}, ${body(a)}); the status alone cannot tell whether the attack worked: check the body and the host.`,
      weight: 3,
    }),
  },
  {
    when: (_k, a) => a.status >= 300 && a.status < 400,
    say: (_k, a) => ({
      attemptFailed: 'unknown',
      meaning: `The server redirected the request (${a.status}); the target of the redirect decides.`,
      weight: 2,
    }),
  },
];

/**
 * @example httpMeaning('scanner', { status: 404, ... }).attemptFailed // 'yes'
 */
export function httpMeaning(kind: AttackKind, a: HttpAnswer): HttpMeaning {
  for (const r of ROWS) if (r.when(kind, a)) return r.say(kind, a);
  return {
    attemptFailed: 'unknown',
    meaning: `The server answered ${a.status}, a status this table does not read.`,
    weight: 3,
  };
}
