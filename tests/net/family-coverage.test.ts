import { describe, expect, it } from '@jest/globals';
import { familyCoverage } from '../../src/net/family-coverage.js';
import { IntervalSet } from '../../src/net/interval-set.js';

describe('familyCoverage', () => {
  it('tells none, part, most and whole apart, half counting as part', () => {
    expect(familyCoverage(4, IntervalSet.EMPTY)).toEqual({ kind: 'none' });
    expect(familyCoverage(4, IntervalSet.of([[0n, 2n ** 31n - 1n]])).kind).toBe('part');
    expect(familyCoverage(4, IntervalSet.of([[0n, 2n ** 32n - 1n]]))).toEqual({ kind: 'whole' });
    expect(familyCoverage(6, IntervalSet.of([[0n, 2n ** 128n - 1n]]))).toEqual({ kind: 'whole' });
  });

  it('gives what a majority set lacks', () => {
    const coverage = familyCoverage(
      4,
      IntervalSet.of([
        [0n, 9n],
        [20n, 2n ** 32n - 1n],
      ]),
    );
    expect(coverage.kind).toBe('most');
    expect(coverage.kind === 'most' && coverage.missing.intervals()).toEqual([[10n, 19n]]);
  });
});
