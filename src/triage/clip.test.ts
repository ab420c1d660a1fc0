/**
 * clip(): text over its bound is cut where a word ends and marked; nothing
 * is cut inside a word (unless one word is longer than the whole bound) or
 * between the halves of a surrogate pair.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { clip, ELLIPSIS, isWordBoundary, splitsNoPair } from './clip.js';
import { inert } from './connection/inert.js';

test('the Joomla reason that was cut mid-word ("cid" → "ci") is now cut after a whole word', () => {
  const reason =
    'Joomla! CMS is not there on port 80: GET /index.php?option=com_jce&task=plugin&plugin=imgmanager&file=imgmanager&version=1576&cid=20 → 404';
  // The old fixed cap cut here, leaving "…&cid" as "…&ci".
  const bound = reason.indexOf('cid=') + 2;
  assert.ok(reason.slice(0, bound).endsWith('&ci'));
  assert.equal(clip(reason, bound), `${reason.slice(0, reason.indexOf('cid='))}…`);
  assert.equal(clip(reason, 1000), reason, 'a text within its bound is kept whole');
});

test('a space near the bound is preferred; a single over-long word is cut inside, on a code point', () => {
  assert.equal(clip('alpha beta gamma delta', 13), 'alpha beta…');
  assert.equal(clip('x'.repeat(50), 10), `${'x'.repeat(10)}…`);
  // 😀 is a surrogate pair: a cut at 5 would split the third one.
  assert.equal(clip('😀😀😀😀', 5), '😀😀…');
  assert.equal(clip('abc', 0), ELLIPSIS);
  assert.equal(clip('ET SCAN Nessus', 9, '...'), 'ET SCAN...');
});

test('inert() bounds on word boundaries too, then escapes', () => {
  assert.equal(inert('root\u001b[2J and more words here', 11), 'root\\x1b[2J…');
});

/** Strings rich in word characters, spaces, punctuation, astral characters and lone surrogates. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', 'Z', '9', '_', 'é', 'e\u0301', ' ', '  ', '/', '?', '=', '&', '-', '.', '→'),
      fc.constantFrom('😀', '𝒳', '\ud83d', '\ude00', '\u202e', '\u001b', '字'),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

test('property: any clipped text is whole, or a prefix ending on a word boundary (or inside the one over-long first word), never splitting a surrogate pair', () => {
  fc.assert(
    fc.property(
      text,
      fc.integer({ min: 0, max: 80 }),
      fc.constantFrom(ELLIPSIS, '...', ''),
      (s, max, mark) => {
        const out = clip(s, max, mark);
        if (s.length <= max) {
          assert.equal(out, s);
          return;
        }
        assert.ok(out.endsWith(mark));
        const kept = out.slice(0, out.length - mark.length);
        assert.ok(s.startsWith(kept), 'a prefix of the text');
        assert.ok(kept.length <= max, 'within the bound');
        assert.ok(splitsNoPair(s, kept.length), 'no surrogate pair split');
        let boundaryWithin = false;
        for (let i = 1; i <= max; i++) if (isWordBoundary(s, i)) boundaryWithin = true;
        if (boundaryWithin) assert.ok(isWordBoundary(s, kept.length), `cut inside a word at ${kept.length}`);
      },
    ),
    { numRuns: 2000 },
  );
});
