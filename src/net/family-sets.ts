/**
 * One IntervalSet per address family ({ 4: …, 6: … }), as the analysis records scopes. V8 keeps the integer keys 4
 * and 6 as elements, and a literal or assignment gives them room for 23 (~260 bytes a record); a copy of a record
 * parsed from JSON keeps the 7 slots it needs (~130 bytes), and an analysis holds several records per connector.
 */

import { IntervalSet } from './interval-set.js';
import type { IpFamily } from './ip-address.js';

const TEMPLATE = JSON.parse('{"4":null,"6":null}') as Record<IpFamily, IntervalSet>;

export function familySets(four: IntervalSet, six: IntervalSet): Record<IpFamily, IntervalSet> {
  const sets = { ...TEMPLATE };
  sets[4] = four;
  sets[6] = six;
  return sets;
}

/** No address of either family; shared, never to be changed. */
export const NO_ADDRESSES: Readonly<Record<IpFamily, IntervalSet>> = Object.freeze(
  familySets(IntervalSet.EMPTY, IntervalSet.EMPTY),
);
