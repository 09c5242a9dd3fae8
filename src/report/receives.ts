/** A short summary of the addresses a connector receives, for the "Receives" column of tables. */

import { IntervalSet } from '../net/interval-set.js';
import { familyMax, type IpFamily } from '../net/ip-address.js';
import { formatRange } from '../net/ip-range.js';

const WHOLE: Record<IpFamily, IntervalSet> = {
  4: IntervalSet.of([[0n, familyMax(4)]]),
  6: IntervalSet.of([[0n, familyMax(6)]]),
};

/** "0.0.0.0/0, ::/0", "IPv4 except 11 ranges, ::/0", "10.10.20.31, 10.10.20.45", or "nothing". */
export function summarizeReceives(scope: Record<IpFamily, IntervalSet>, limit = 3): string {
  const parts: string[] = [];
  let listed = 0;
  for (const family of [4, 6] as const) {
    const set = scope[family];
    if (set.isEmpty()) continue;
    const missing = WHOLE[family].difference(set);
    if (missing.isEmpty()) {
      parts.push(formatRange({ family, first: 0n, last: familyMax(family) }));
    } else if (missing.size() < set.size()) {
      const count = missing.intervals().length;
      parts.push(`IPv${family} except ${count} range${count === 1 ? '' : 's'}`);
    } else {
      for (const [first, last] of set.intervals()) {
        if (listed++ < limit) parts.push(formatRange({ family, first, last }));
      }
    }
  }
  if (listed > limit) parts.push('…');
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}
