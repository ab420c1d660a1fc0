/**
 * IDS alert logs: Suricata EVE JSON, Snort fast/full text alerts and Snort 3
 * alert_json, each a text-log reader (sniff + parseLine) over one record model.
 */
export { canonicalAddress, parseEndpoint } from './address.js';
export { eveReader, looksLikeEve, parseEveLine } from './eve.js';
export { parseEveDns } from './eve-dns.js';
export type * from './record.js';
export { parseFastLine } from './snort-fast.js';
export { feedFullLine } from './snort-full.js';
export { snortFastReader, snortLineKind } from './snort-reader.js';
export { snortTimeToEpoch } from './snort-time.js';
export { looksLikeSnort3Json, parseSnort3JsonLine, snort3JsonReader } from './snort3-json.js';
