import { describe, expect, it } from '@jest/globals';
import { familySets, NO_ADDRESSES } from '../../src/net/family-sets.js';
import { IntervalSet } from '../../src/net/interval-set.js';

describe('familySets', () => {
  it('is the plain record { 4, 6 } a literal would be, one per call', () => {
    const four = IntervalSet.of([[1n, 2n]]);
    const six = IntervalSet.of([[3n, 4n]]);
    const sets = familySets(four, six);
    expect(sets[4]).toBe(four);
    expect(sets[6]).toBe(six);
    expect(Object.keys(sets)).toEqual(['4', '6']);
    expect(Object.getPrototypeOf(sets)).toBe(Object.prototype);
    expect(familySets(four, six)).not.toBe(sets);
  });

  it('shares one empty record that cannot be changed', () => {
    expect(NO_ADDRESSES[4].isEmpty() && NO_ADDRESSES[6].isEmpty()).toBe(true);
    expect(Object.isFrozen(NO_ADDRESSES)).toBe(true);
  });
});
