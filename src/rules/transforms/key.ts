/** Stable text for a transform, so identical transform chains share a buffer key. */
import type { Transform } from '../ast.js';

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/**
 * @example transformKey({ name: 'dotprefix' }) // 'dotprefix'
 * @example transformKey({ name: 'xor', args: { key: { bytes: Uint8Array.of(0x42) }, start: 0 } }) // 'xor(42)'
 */
export function transformKey(t: Transform): string {
  switch (t.name) {
    case 'xor': {
      const k = t.args.key;
      const key = 'bytes' in k ? hex(k.bytes) : `extract ${k.length} ${k.offset}`;
      return t.args.start > 0 ? `xor(offset ${t.args.start},${key})` : `xor(${key})`;
    }
    case 'pcrexform':
      return `pcrexform(${t.args.source})`;
    case 'from_base64':
      return `from_base64(bytes ${t.args.bytes},offset ${t.args.offset},mode ${t.args.mode})`;
    case 'luaxform':
      return `luaxform(${[t.args.script, ...t.args.args].join(',')})`;
    default:
      return t.name;
  }
}

/**
 * @example transformsKey([{ name: 'to_lowercase' }, { name: 'to_md5' }]) // 'to_lowercase,to_md5'
 */
export function transformsKey(list: readonly Transform[]): string {
  return list.map(transformKey).join(',');
}
