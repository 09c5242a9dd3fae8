import { describe, expect, it } from '@jest/globals';
import { IntervalSet } from '../../src/net/interval-set.js';
import { familyMax, type IpFamily } from '../../src/net/ip-address.js';
import { scopeRangeTexts } from '../../src/net/range-texts.js';
import { summarizeReceives } from '../../src/report/receives.js';

const set = (...intervals: Array<[bigint, bigint]>) => IntervalSet.of(intervals);
const scope = (v4: IntervalSet, v6: IntervalSet): Record<IpFamily, IntervalSet> => ({ 4: v4, 6: v6 });

const HOSTS_V4 = set([10n, 10n], [20n, 29n], [32n, 47n], [100n, 100n]);
const HOSTS_V6 = set([1n, 1n], [2n ** 64n, 2n ** 65n - 1n]);
const MOST_V4 = set([0n, familyMax(4) - 1000n]);

describe('summarizeReceives', () => {
  const cases: Array<[string, Record<IpFamily, IntervalSet>, string]> = [
    ['nothing', scope(IntervalSet.EMPTY, IntervalSet.EMPTY), 'nothing'],
    ['both whole families', scope(set([0n, familyMax(4)]), set([0n, familyMax(6)])), '0.0.0.0/0, ::/0'],
    ['most of IPv4', scope(MOST_V4, IntervalSet.EMPTY), 'IPv4 except 1 range'],
    [
      'a few IPv4 ranges',
      scope(set([10n, 10n], [20n, 29n]), IntervalSet.EMPTY),
      '0.0.0.10, 0.0.0.20-0.0.0.29',
    ],
    [
      'more IPv4 ranges than listed',
      scope(HOSTS_V4, IntervalSet.EMPTY),
      '0.0.0.10, 0.0.0.20-0.0.0.29, 0.0.0.32/28, …',
    ],
    ['IPv6 ranges after IPv4 ones', scope(set([10n, 10n]), HOSTS_V6), '0.0.0.10, ::1, 0:0:0:1::/64'],
    ['IPv6 ranges past the limit', scope(HOSTS_V4, HOSTS_V6), '0.0.0.10, 0.0.0.20-0.0.0.29, 0.0.0.32/28, …'],
    ['most of IPv4 and IPv6 ranges', scope(MOST_V4, HOSTS_V6), 'IPv4 except 1 range, ::1, 0:0:0:1::/64'],
  ];

  it.each(cases)('%s', (_name, received, expected) => {
    expect(summarizeReceives(received)).toBe(expected);
  });

  it.each(cases)('%s: the same from the range texts the caller already made', (_name, received, expected) => {
    expect(summarizeReceives(received, scopeRangeTexts(received))).toBe(expected);
  });
});
