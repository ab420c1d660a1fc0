/** Applies a buffer list's transforms before inspection; undefined when a transform failed. */
import { applyTransforms, transformFailed } from '../transforms/index.js';
import type { BufferList } from './inspect.js';

export function applyListTransforms(list: BufferList, bytes: Uint8Array): Uint8Array | undefined {
  if (list.transforms.length === 0) return bytes;
  const out = applyTransforms(list.transforms, bytes);
  return transformFailed(out) ? undefined : out;
}
