import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('flowbits commands', () => {
  const c = accepted(
    'flowbits:set,ET.foo; flowbits:isset,a|b; flowbits:noalert; flowbits:toggle,x; flowbits:unset,y; flowbits:isnotset,z;',
  ).conditions;
  assert.deepEqual(
    c.map((x) => x.value),
    [
      { command: 'set', names: ['ET.foo'], combine: 'or' },
      { command: 'isset', names: ['a', 'b'], combine: 'or' },
      { command: 'noalert', names: [], combine: 'or' },
      { command: 'toggle', names: ['x'], combine: 'or' },
      { command: 'unset', names: ['y'], combine: 'or' },
      { command: 'isnotset', names: ['z'], combine: 'or' },
    ],
  );
});

test('flowbits errors', () => {
  assert.match(rejection('flowbits:flip,a;'), /flowbits: unknown command "flip"/);
  assert.match(rejection('flowbits:set;'), /flowbits: set needs a name/);
  assert.match(rejection('flowbits:set,a|b;'), /flowbits: set cannot take alternatives/);
  assert.match(rejection('flowbits:isset,a b;'), /flowbits: bad name "a b"/);
});
