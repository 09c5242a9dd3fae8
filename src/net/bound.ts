/**
 * An address or count handled as a plain number where it is exact (below 2^53: every IPv4 value) and as a BigInt
 * beyond: a million IPv4 ranges then cost no BigInt each. Code that takes Bounds never mixes the two kinds in
 * one computation; these helpers keep the arithmetic in the kind it was given.
 */

export type Bound = number | bigint;

export function plusOne(value: Bound): Bound {
  return typeof value === 'number' ? value + 1 : value + 1n;
}

export function minusOne(value: Bound): Bound {
  return typeof value === 'number' ? value - 1 : value - 1n;
}

/** last - first + 1, in the kind of the bounds. */
export function countBetween(first: Bound, last: Bound): Bound {
  return typeof first === 'number' && typeof last === 'number'
    ? last - first + 1
    : BigInt(last) - BigInt(first) + 1n;
}

export function compareBounds(a: Bound, b: Bound): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
