/** Numeric comparisons shared by dsize, bsize, urilen, ttl, itype and friends. */
import type { NumberTest } from '../ast.js';

/**
 * @example testNumber({ op: 'between', value: 3, max: 20 }, 10) // true (exclusive bounds)
 */
export function testNumber(t: NumberTest, v: number): boolean {
  switch (t.op) {
    case '=':
      return v === t.value;
    case '<':
      return v < t.value;
    case '>':
      return v > t.value;
    case '<=':
      return v <= t.value;
    case '>=':
      return v >= t.value;
    case '!=':
      return v !== t.value;
    case 'between':
      return v > t.value && v < (t.max ?? t.value);
    case 'range':
      return v >= t.value && v <= (t.max ?? t.value);
  }
}
