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
    texts = format(family, addresses);
    formatted[family].set(addresses, texts);
  }
  return texts;
}

/**
 * Like rangeTexts, but what it has to format it does not keep: for a listing written once and then dropped (a
 * connector of the streamed report), so that a million formatted ranges do not live to the end of the run.
 */
export function rangeTextsOnce(family: IpFamily, addresses: IntervalSet): readonly string[] {
  return formatted[family].get(addresses) ?? format(family, addresses);
}

/** Both families' ranges, IPv4 first. */
export function scopeRangeTexts(
  scope: Record<IpFamily, IntervalSet>,
  texts: typeof rangeTexts = rangeTexts,
): readonly string[] {
  if (scope[6].isEmpty()) return texts(4, scope[4]);
  if (scope[4].isEmpty()) return texts(6, scope[6]);
  return [...texts(4, scope[4]), ...texts(6, scope[6])];
}

function format(family: IpFamily, addresses: IntervalSet): readonly string[] {
  return Object.freeze(addresses.map((first, last) => formatRange({ family, first, last })));
}
