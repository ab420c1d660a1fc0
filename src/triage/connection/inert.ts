/**
 * Attacker- or server-controlled text (user names, banners, log messages)
 * that a verdict quotes in its sentences: control characters, DEL, C1 codes
 * and bidirectional overrides become visible escapes, and the length is
 * bounded (cut where a word ends, see clip.ts), so a quoted string can
 * neither rewrite a terminal nor reorder the sentence around it. Display
 * layers escape again for their medium.
 */

import { clip } from '../clip.js';

/** Longest quoted string kept (cut where a word ends, marked "…"). */
export const INERT_MAX = 120;

// C0 controls, DEL, C1 controls, and the Unicode bidi marks/embeddings/overrides/isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * @example inert('root\u001b[2J') // 'root\\x1b[2J'
 */
export function inert(text: string, max = INERT_MAX): string {
  return clip(text, max).replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
