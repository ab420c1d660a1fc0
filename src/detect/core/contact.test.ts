import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { tcpFlagClass, tcpFlagsFromWords } from './contact.js';

test('netfilter flag words give their bits; IP words (DF, CE) and fields are ignored', () => {
  assert.equal(tcpFlagsFromWords('SYN'), 0x02);
  assert.equal(tcpFlagsFromWords('CE DF RES=0x00 SYN URGP=0'), 0x02);
  assert.equal(tcpFlagsFromWords('FIN URG PSH'), 0x29);
  assert.equal(tcpFlagsFromWords('CWR ECE SYN'), 0xc2);
  assert.equal(tcpFlagClass(tcpFlagsFromWords('URG PSH FIN')), 'xmas');
  assert.equal(tcpFlagClass(tcpFlagsFromWords('')), 'null');
});

test('ASA flag words (SYN ACK, FIN PSH ACK, RST) give their bits', () => {
  assert.equal(tcpFlagsFromWords('SYN ACK'), 0x12);
  assert.equal(tcpFlagsFromWords('FIN PSH ACK'), 0x19);
  assert.equal(tcpFlagClass(tcpFlagsFromWords('RST')), 'other');
  assert.equal(tcpFlagClass(tcpFlagsFromWords('ACK')), 'ack');
  assert.equal(tcpFlagClass(tcpFlagsFromWords('FIN ACK')), 'maimon');
});

test("pf's compact letters: S, SA, FPU, SEW, R, tcpdump's S.", () => {
  assert.equal(tcpFlagsFromWords('S'), 0x02);
  assert.equal(tcpFlagsFromWords('SA'), 0x12);
  assert.equal(tcpFlagClass(tcpFlagsFromWords('FPU')), 'xmas');
  assert.equal(tcpFlagsFromWords('SEW'), 0xc2);
  assert.equal(tcpFlagsFromWords('R'), 0x04);
  assert.equal(tcpFlagsFromWords('S.'), 0x12);
  assert.equal(tcpFlagsFromWords('.'), 0x10);
});

test("nfdump's eight columns: dots are empty columns, C is CWR", () => {
  assert.equal(tcpFlagsFromWords('...A..S.'), 0x12);
  assert.equal(tcpFlagsFromWords('.....RS.'), 0x06);
  assert.equal(tcpFlagsFromWords('........'), 0);
  assert.equal(tcpFlagsFromWords('C.UAPRSF'), 0xbf);
});

test('any text gives flag bits within one byte and never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      const f = tcpFlagsFromWords(s);
      assert.ok(Number.isInteger(f) && f >= 0 && f <= 0xff);
    }),
  );
});
