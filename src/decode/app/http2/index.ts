/**
 * HTTP/2 over cleartext TCP for the rule engine: frames, HPACK, streams as
 * HttpTx transactions, and the h2c Upgrade hand-over. See connection.ts for
 * the parser and upgrade.ts for switching from HTTP/1.1.
 */
export {
  createHttp2Parser,
  HTTP2_PREFACE,
  type Http2Parser,
  type Http2ParserOptions,
  looksLikeHttp2Preface,
} from './connection.js';
export type { Http2Progress } from './streams.js';
export {
  createH2cUpgradeParser,
  decodeHttp2Settings,
  isH2cSwitch,
  isH2cUpgradeRequest,
  type UpgradedRequest,
} from './upgrade.js';
