/**
 * A set's intervals as Exchange prints ranges, formatted once per set: the same effective scope is listed by the
 * report and by several findings, and a connector with 100,000 ranges costs ~100 ms and ~5 MB per listing.
 *
 * The lists are shared by every caller and typed readonly; they are not frozen, because V8 joins, slices and
 * copies frozen arrays on a slow path (~10x), and the lists are read in bulk.
 */

import type { IntervalSet } from './interval-set.js';
import type { IpFamily } from './ip-address.js';
import { formatIpv4Range, formatRange } from './ip-range.js';

const formatted: Record<IpFamily, WeakMap<IntervalSet, readonly string[]>> = {
  4: new WeakMap(),
  6: new WeakMap(),
};

export function rangeTexts(family: IpFamily, addresses: IntervalSet): readonly string[] {
  let texts = formatted[family].get(addresses);
  if (texts === undefined) {
    texts = formatRanges(family, addresses);
    formatted[family].set(addresses, texts);
  }
  return texts;
}

/**
 * Like rangeTexts, but what it has to format it does not keep: for a listing written once and then dropped (a
 * connector of the streamed report), so that a million formatted ranges do not live to the end of the run.
 */
export function rangeTextsOnce(family: IpFamily, addresses: IntervalSet): readonly string[] {
  return formatted[family].get(addresses) ?? formatRanges(family, addresses);
}

/** Both families' ranges, IPv4 first. */
export function scopeRangeTexts(
  scope: Record<IpFamily, IntervalSet>,
  texts: typeof rangeTexts = rangeTexts,
): readonly string[] {
  if (scope[6].isEmpty()) return texts(4, scope[4]);
  if (scope[4].isEmpty()) return texts(6, scope[6]);
  return texts(4, scope[4]).concat(texts(6, scope[6]));
}

/**
 * The texts of a set's first `limit` ranges (all of them by default), made anew: for a caller that lists only the
 * first few, or keeps the list itself.
 */
export function formatRanges(family: IpFamily, addresses: IntervalSet, limit = Infinity): string[] {
  const count = Math.max(0, Math.min(addresses.count(), limit));
  const numbers = family === 4 ? addresses.numberBounds() : null;
  if (numbers === null) {
    if (count === addresses.count())
      return addresses.map((first, last) => formatRange({ family, first, last }));
    return addresses.head(count).map(([first, last]) => formatRange({ family, first, last }));
  }
  // IPv4 bounds are numbers: formatted without a BigInt per bound.
  // Sized up front, as map does: a list grown by push keeps up to half its length spare, for the whole run.
  const texts = new Array<string>(count);
  for (let pair = 0; pair < count; pair++)
    texts[pair] = formatIpv4Range(numbers[2 * pair]!, numbers[2 * pair + 1]!);
  return texts;
}
