/**
 * What Zeek's standard fields are, for logs that do not say: the type of each
 * well-known field (used when a header has `#fields` but no `#types`), and the
 * default column orders of header-less logs (`LogAscii::include_meta = F`, or
 * lines cut out of a file), told apart by path and column count.
 */

const ids = 'ts:time uid:string id.orig_h:addr id.orig_p:port id.resp_h:addr id.resp_p:port';

/** Known field → Zeek type. Fields not listed are typed `string`. */
export const knownFieldTypes: ReadonlyMap<string, string> = new Map(
  [
    ids,
    // conn
    'proto:enum service:string duration:interval orig_bytes:count resp_bytes:count conn_state:string',
    'local_orig:bool local_resp:bool missed_bytes:count history:string orig_pkts:count orig_ip_bytes:count',
    'resp_pkts:count resp_ip_bytes:count tunnel_parents:set[string] ip_proto:count',
    // http
    'trans_depth:count request_body_len:count response_body_len:count status_code:count info_code:count',
    'tags:set[enum] proxied:set[string] orig_fuids:vector[string] orig_filenames:vector[string]',
    'orig_mime_types:vector[string] resp_fuids:vector[string] resp_filenames:vector[string]',
    'resp_mime_types:vector[string]',
    // dns
    'trans_id:count rtt:interval qclass:count qtype:count rcode:count AA:bool TC:bool RD:bool RA:bool',
    'Z:count answers:vector[string] TTLs:vector[interval] rejected:bool',
    // ssh
    'auth_success:bool auth_attempts:count direction:enum',
    // notice and weird
    'note:enum src:addr dst:addr p:port n:count actions:set[enum] suppress_for:interval notice:bool',
  ]
    .join(' ')
    .split(' ')
    .map((p) => {
      const colon = p.indexOf(':');
      return [p.slice(0, colon), p.slice(colon + 1)] as const;
    }),
);

const connBase =
  'proto service duration orig_bytes resp_bytes conn_state local_orig missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents';
const connNew =
  'proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents';
const dnsTail = 'qclass qclass_name qtype qtype_name rcode rcode_name AA TC RD RA Z answers TTLs rejected';
const httpOld =
  'trans_depth method host uri referrer user_agent request_body_len response_body_len status_code status_msg info_code info_msg filename tags username password proxied orig_fuids orig_mime_types resp_fuids resp_mime_types';
const httpTail =
  'request_body_len response_body_len status_code status_msg info_code info_msg tags username password proxied orig_fuids orig_filenames orig_mime_types resp_fuids resp_filenames resp_mime_types';

/** Default column orders by path; several per path for the Bro 2.x and Zeek 3+ generations. */
const layoutList: Array<[string, string]> = [
  ['conn', connBase],
  ['conn', connNew],
  ['conn', `${connNew} ip_proto`],
  ['conn', `${connNew} orig_l2_addr resp_l2_addr`],
  ['dns', `proto trans_id query ${dnsTail}`],
  ['dns', `proto trans_id rtt query ${dnsTail}`],
  ['http', httpOld],
  ['http', `trans_depth method host uri referrer version user_agent ${httpTail}`],
  ['http', `trans_depth method host uri referrer version user_agent origin ${httpTail}`],
  [
    'ssh',
    'version auth_success auth_attempts direction client server cipher_alg mac_alg compression_alg kex_alg host_key_alg host_key',
  ],
  ['weird', 'name addl notice peer'],
  ['weird', 'name addl notice peer source'],
];

const layouts = new Map<string, readonly string[]>();
for (const [path, rest] of layoutList) {
  const fields = `${ids.replace(/:[a-z]+/g, '')} ${rest}`.split(' ');
  layouts.set(`${path}/${fields.length}`, fields);
}

/**
 * The default field names of a header-less line of `path` with `columns` columns, if known.
 *
 * @example headerlessFields('conn', 21)?.[11] // 'conn_state'
 */
export function headerlessFields(path: string, columns: number): readonly string[] | undefined {
  return layouts.get(`${path}/${columns}`);
}

const pathNames = new Set(['conn', 'http', 'ssh', 'dns', 'notice', 'weird']);

/**
 * The Zeek path a file name suggests: `conn.log`, `conn.09:00:00-10:00:00.log`,
 * `conn_20240101.log`, `http.json`, `/var/log/zeek/current/dns.log` → the stem, when it is one Picket maps.
 *
 * @example pathFromFileName('/logs/conn.log') // 'conn'
 */
export function pathFromFileName(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const stem = /^([a-z]+)(?:\.|_\d|$)/.exec(base)?.[1];
  return stem !== undefined && pathNames.has(stem) ? stem : undefined;
}

/**
 * The path a set of field names points to, for logs that name none (JSON
 * without `_path`, TSV without `#path`). Errs on the side of 'unknown'.
 *
 * @example pathFromFields(['ts', 'uid', 'conn_state']) // 'conn'
 */
export function pathFromFields(has: (name: string) => boolean): string {
  if (has('conn_state') || (has('orig_pkts') && has('resp_pkts'))) return 'conn';
  if (has('status_code') || (has('method') && has('uri')) || has('trans_depth')) return 'http';
  if (has('auth_success') || has('auth_attempts') || (has('host_key') && has('server'))) return 'ssh';
  if (has('qtype') || has('rcode') || (has('query') && has('trans_id'))) return 'dns';
  if (has('note')) return 'notice';
  if (has('name') && (has('addl') || has('peer') || has('notice'))) return 'weird';
  return 'unknown';
}
