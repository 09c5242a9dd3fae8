import { describe, expect, it } from '@jest/globals';
import { countText } from '../../src/net/count-text.js';

describe('countText', () => {
  it.each([0n, 1n, 256n, 1024n, 1025n, 65_536n, 4_294_967_296n, 2n ** 64n, 2n ** 128n])(
    'writes %s as its decimal text, the first time and again',
    (count) => {
      expect(countText(count)).toBe(count.toString());
      expect(countText(count)).toBe(count.toString());
    },
  );

  it('tells apart large counts that round to the same double', () => {
    // 2^64 and 2^64 + 1 are one double: the memo's key must not give one the other's text.
    const twins = [2n ** 64n, 2n ** 64n + 1n, 2n ** 64n + 2n];
    for (const count of [...twins, ...twins.reverse()]) expect(countText(count)).toBe(count.toString());
  });
});
