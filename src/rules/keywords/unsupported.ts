/**
 * Keywords Picket parses but whose matching is not planned yet. A rule using
 * one loads as 'partial' with the keyword listed, so nothing is silently
 * claimed; the value is kept for explanations.
 */
import { attachCondition, type KeywordDescriptor } from './types.js';

const UNSUPPORTED: Array<[string, string, string]> = [
  ['asn1', 'Checks ASN.1 encodings for malformed lengths', 'no ASN.1 decoder'],
  [
    'app-layer-event',
    'Matches application-layer parser events (e.g. http.invalid_header)',
    'only HTTP parser events are produced; events of other protocols never match',
  ],
  ['decode-event', 'Matches packet decoder anomaly events', 'decoder events not exposed to rules yet'],
  ['stream-event', 'Matches TCP stream anomaly events', 'stream events not exposed to rules yet'],
  ['filestore', 'Stores the file seen in the flow', 'file extraction not implemented'],
  ['filemagic', 'Matches the libmagic description of a transferred file', 'no libmagic'],
  ['filename', 'Matches the name of a transferred file', 'file tracking not implemented'],
  ['fileext', 'Matches the extension of a transferred file', 'file tracking not implemented'],
  ['filemd5', 'Matches a transferred file against an MD5 list', 'file hashing not implemented'],
  ['filesize', 'Matches the size of a transferred file', 'file tracking not implemented'],
  ['dce_iface', 'Matches a DCE/RPC interface UUID', 'no DCE/RPC parser'],
  ['dce_opnum', 'Matches a DCE/RPC operation number', 'no DCE/RPC parser'],
  ['dce_stub_data', 'Selects DCE/RPC stub data', 'no DCE/RPC parser'],
  ['iprep', 'Matches IP reputation categories', 'reputation lists not loaded by rules'],
  ['geoip', 'Matches source/destination country', 'no GeoIP database'],
  ['lua', 'Runs a Lua script', 'scripts are never run'],
  ['luajit', 'Runs a Lua script', 'scripts are never run'],
  ['tls.store', 'Stores the TLS certificate', 'certificate store not implemented'],
  ['ftpbounce', 'Detects FTP bounce attempts', 'no FTP command parser'],
  ['ssh.protoversion', 'Legacy SSH protocol version test', 'use ssh.proto'],
  ['ssh.softwareversion', 'Legacy SSH software version test', 'use ssh.software'],
];

export const unsupportedKeywords: KeywordDescriptor<string | undefined>[] = UNSUPPORTED.map(
  ([name, what, why]) => ({
    name,
    description: `${what}.`,
    // app-layer-event is evaluated for HTTP; the rest are accepted but not evaluated.
    support: name === 'app-layer-event' ? 'partial' : 'ignored',
    supportNote: why,
    affectsMatch: true,
    value: 'optional',
    parse: (v) => v,
    attach: attachCondition,
  }),
);
