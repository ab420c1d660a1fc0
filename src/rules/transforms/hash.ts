/** to_md5, to_sha1, to_sha256: the buffer becomes its raw digest (16, 20 or 32 bytes). */
import { createHash } from 'node:crypto';

type Algorithm = 'md5' | 'sha1' | 'sha256';

function digest(algorithm: Algorithm, input: Uint8Array): Uint8Array {
  // An empty buffer stays empty, as in Suricata (there is nothing to inspect).
  if (input.length === 0) return input;
  return createHash(algorithm).update(input).digest();
}

/** @example toMd5(bytes('abc')).length // 16 */
export const toMd5 = (input: Uint8Array): Uint8Array => digest('md5', input);
/** @example toSha1(bytes('abc')).length // 20 */
export const toSha1 = (input: Uint8Array): Uint8Array => digest('sha1', input);
/** @example toSha256(bytes('abc')).length // 32 */
export const toSha256 = (input: Uint8Array): Uint8Array => digest('sha256', input);
