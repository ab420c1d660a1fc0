/**
 * The keyword registry: the one explicit list of every rule keyword Picket
 * knows. Adding a keyword = a file (+ test) and one entry here.
 */
import {
  appLayerProtocol,
  noalert,
  sslState,
  sslVersion,
  streamSize,
  tlsLegacy,
  tlsVersion,
} from './app-layer.js';
import { base64Decode } from './base64-decode.js';
import { bufferModifiers } from './buffer-modifiers.js';
import { byteExtract } from './byte-extract.js';
import { byteJump } from './byte-jump.js';
import { byteMath } from './byte-math.js';
import { byteTest } from './byte-test.js';
import { content } from './content.js';
import {
  depth,
  distance,
  endswith,
  nocase,
  offset,
  rawbytes,
  startswith,
  within,
} from './content-modifiers.js';
import { datarep, dataset } from './dataset.js';
import { fastPattern } from './fast-pattern.js';
import { flow } from './flow.js';
import { flowbits } from './flowbits.js';
import { flowint } from './flowint.js';
import { isdataat } from './isdataat.js';
import { classtype, gid, metadata, msg, priority, reference, rev, sid, target } from './meta.js';
import { flags, fragbits, ipopts, ipProto, numericHeaderKeywords, sameip } from './packet-header.js';
import { pcre } from './pcre.js';
import { bsize, dsize, urilen } from './sizes.js';
import { pktData, stickyBuffers } from './sticky-buffers.js';
import { tag } from './tag.js';
import { detectionFilter, threshold } from './threshold.js';
import { transforms } from './transforms.js';
import type { KeywordDescriptor } from './types.js';
import { unsupportedKeywords } from './unsupported.js';
import { uricontent } from './uricontent.js';
import { xbits } from './xbits.js';

// biome-ignore lint/suspicious/noExplicitAny: descriptors differ in their option type
export const KEYWORDS: readonly KeywordDescriptor<any>[] = [
  msg,
  sid,
  rev,
  gid,
  classtype,
  priority,
  reference,
  metadata,
  target,
  content,
  uricontent,
  nocase,
  rawbytes,
  depth,
  offset,
  distance,
  within,
  startswith,
  endswith,
  fastPattern,
  pcre,
  bsize,
  urilen,
  dsize,
  byteTest,
  byteJump,
  byteExtract,
  byteMath,
  isdataat,
  base64Decode,
  ...stickyBuffers,
  pktData,
  ...bufferModifiers,
  ...transforms,
  dataset,
  datarep,
  flow,
  flowbits,
  xbits,
  flowint,
  threshold,
  detectionFilter,
  tag,
  noalert,
  flags,
  fragbits,
  ipopts,
  ipProto,
  sameip,
  ...numericHeaderKeywords,
  appLayerProtocol,
  streamSize,
  tlsVersion,
  sslVersion,
  sslState,
  ...tlsLegacy,
  ...unsupportedKeywords,
];

// biome-ignore lint/suspicious/noExplicitAny: see above
const byName = new Map<string, KeywordDescriptor<any>>();
for (const k of KEYWORDS) {
  for (const n of [k.name, ...(k.aliases ?? [])]) {
    if (byName.has(n)) throw new Error(`keyword ${n} registered twice`);
    byName.set(n, k);
  }
}

/**
 * The descriptor for a keyword name or alias.
 * @example keyword('http_uri')?.name // 'http_uri'
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function keyword(name: string): KeywordDescriptor<any> | undefined {
  return byName.get(name);
}
