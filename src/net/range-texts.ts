/**
 * A set's intervals as Exchange prints ranges, formatted once per set: the same effective scope is listed by the
 * report and by several findings, and a connector with 100,000 ranges costs ~100 ms and ~5 MB per listing.
 */

import type { IntervalSet } from './interval-set.js';
import type { IpFamily } from './ip-address.js';
import { formatRange } from './ip-range.js';

const formatted: Record<IpFamily, WeakMap<IntervalSet, readonly string[]>> = {
  4: new WeakMap(),
  6: new WeakMap(),
};

export function rangeTexts(family: IpFamily, addresses: IntervalSet): readonly string[] {
  let texts = formatted[family].get(addresses);
  if (texts === undefined) {
    texts = Object.freeze(addresses.map((first, last) => formatRange({ family, first, last })));
    formatted[family].set(addresses, texts);
  }
  return texts;
}

/** Both families' ranges, IPv4 first. */
export function scopeRangeTexts(scope: Record<IpFamily, IntervalSet>): readonly string[] {
  if (scope[6].isEmpty()) return rangeTexts(4, scope[4]);
  if (scope[4].isEmpty()) return rangeTexts(6, scope[6]);
  return [...rangeTexts(4, scope[4]), ...rangeTexts(6, scope[6])];
}
