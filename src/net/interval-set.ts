/**
 * An immutable set of non-negative BigInts, kept as sorted, disjoint, non-adjacent closed intervals.
 * Address spaces are 2^128 wide, so sets are only ever handled interval by interval: every binary
 * operation is one linear merge of the two sorted lists.
 *
 * The bounds are stored flat ([lo0, hi0, lo1, hi1, …]), as numbers while they are all below 2^53 (every IPv4 set)
 * and as BigInts (~32 bytes each) beyond; a set never mixes them, and the kind follows from the highest bound, so
 * equal sets share it. Numbers of a large set sit in a typed array (4 bytes each when they fit 32 bits), those of
 * a small one in a plain array (a typed array costs ~200 bytes of its own, and an organisation holds 100,000 sets).
 */

import { minusOne, plusOne, type Bound } from './bound.js';

export type Interval = readonly [bigint, bigint];

type Numbers = Uint32Array | Float64Array | readonly number[];
type ScratchNumbers = Uint32Array | Float64Array | number[];
type Bounds = Numbers | readonly bigint[];

/** Up to this many bounds, numbers are kept in a plain array. */
const SMALL_SET_BOUNDS = 16;

const BIG_EXACT_LIMIT = 2n ** 53n;

export class IntervalSet {
  static readonly EMPTY: IntervalSet = new IntervalSet(new Uint32Array(0));

  /** lo and hi of each interval in turn. */
  readonly #bounds: Bounds;
  #size: bigint | null = null;

  private constructor(bounds: Bounds) {
    this.#bounds = bounds;
  }

  /** Any order; overlapping, adjacent and duplicate intervals merge. lo > hi or lo < 0 is a RangeError. */
  static of(intervals: Iterable<readonly [bigint, bigint]>): IntervalSet {
    const sorted = [...intervals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return IntervalSet.fromSorted(sorted);
  }

  /**
   * Fast path for input already sorted by lower bound (a sweep's output); overlaps and adjacency still
   * merge. Unsorted input is a RangeError, so a caller's mistake cannot yield a corrupt set.
   */
  static fromSorted(intervals: Iterable<readonly [bigint, bigint]>): IntervalSet {
    const merged: bigint[] = [];
    let previousLo = -1n;
    for (const [lo, hi] of intervals) {
      checkInterval(lo, hi, previousLo);
      previousLo = lo;
      appendMerging(merged, lo, hi);
    }
    return IntervalSet.#wrap(merged);
  }

  /**
   * Like `of`, from bounds given flat ([lo0, hi0, lo1, hi1, …]): a connector's 100,000 ranges need no pair array
   * each, and when they are listed in order (as they usually are) no sort either. Bounds may be numbers (exact
   * integers) or BigInts, not both.
   */
  static ofBounds(bounds: readonly Bound[]): IntervalSet {
    let highest: Bound = -1;
    for (let index = 0; index < bounds.length; index += 2) {
      if (index > 0 && bounds[index]! < bounds[index - 2]!) return IntervalSet.ofBounds(sortedPairs(bounds));
      checkInterval(bounds[index]!, bounds[index + 1]!, -1n);
      if (bounds[index + 1]! > highest) highest = bounds[index + 1]!;
    }
    if (highest < BIG_EXACT_LIMIT) return IntervalSet.#mergedNumbers(bounds, Number(highest));
    const merged: bigint[] = [];
    for (let index = 0; index < bounds.length; index += 2)
      appendMerging(merged, bounds[index]!, bounds[index + 1]!);
    return IntervalSet.#wrap(merged);
  }

  /** Sorted valid bounds all below 2^53, merged straight into numbers: no BigInt is made on the way. */
  static #mergedNumbers(bounds: readonly Bound[], highest: number): IntervalSet {
    const merged = numbersFor(bounds.length, highest);
    let end = 0;
    for (let index = 0; index < bounds.length; index += 2) {
      const lo = Number(bounds[index]);
      const hi = Number(bounds[index + 1]);
      if (end > 0 && lo <= merged[end - 1]! + 1) {
        if (hi > merged[end - 1]!) merged[end - 1] = hi;
      } else {
        merged[end++] = lo;
        merged[end++] = hi;
      }
    }
    if (end === 0) return IntervalSet.EMPTY;
    return new IntervalSet(finished(merged, end));
  }

  /** The set of these merged bounds (all numbers or all BigInts), in canonical form. */
  static #wrap(bounds: readonly Bound[]): IntervalSet {
    const last = bounds[bounds.length - 1];
    if (last === undefined) return IntervalSet.EMPTY;
    // Sorted: when the last bound is below 2^53, every bound is.
    if (typeof last === 'number' || last < BIG_EXACT_LIMIT) {
      const numbers = numbersFor(bounds.length, Number(last));
      for (let index = 0; index < bounds.length; index++) numbers[index] = Number(bounds[index]);
      return new IntervalSet(finished(numbers, bounds.length));
    }
    // An array filled by push has room for 16 more; a set of a few intervals keeps an exact copy instead.
    return new IntervalSet(
      bounds.length <= SMALL_SET_BOUNDS ? (bounds.slice() as bigint[]) : (bounds as bigint[]),
    );
  }

  /** The intervals as pairs (a new array each call; `map` avoids building the pairs). */
  intervals(): Interval[] {
    return this.map((lo, hi) => [lo, hi] as const);
  }

  /** The first `limit` intervals (fewer when the set has fewer) as pairs. */
  head(limit: number): Interval[] {
    const pairs: Interval[] = [];
    const bounds = this.#bounds;
    const end = Math.min(bounds.length, 2 * Math.max(0, limit));
    for (let index = 0; index < end; index += 2)
      pairs.push([BigInt(bounds[index]!), BigInt(bounds[index + 1]!)]);
    return pairs;
  }

  /** One value per interval, in ascending order. */
  map<T>(each: (lo: bigint, hi: bigint) => T): T[] {
    const bounds = this.#bounds;
    const result: T[] = new Array<T>(bounds.length / 2);
    for (let index = 0; index < bounds.length; index += 2)
      result[index / 2] = each(BigInt(bounds[index]!), BigInt(bounds[index + 1]!));
    return result;
  }

  /**
   * The bounds flat ([lo0, hi0, lo1, hi1, …]) as numbers when every bound is below 2^53 (every IPv4 set), else
   * null: hot loops over IPv4 sets then make no BigInt per bound, as `map` does. A view of the set's own storage,
   * never to be written.
   */
  numberBounds(): ArrayLike<number> | null {
    const bounds = this.#bounds;
    return isNumbers(bounds) ? bounds : null;
  }

  /** The number of intervals. */
  count(): number {
    return this.#bounds.length / 2;
  }

  isEmpty(): boolean {
    return this.#bounds.length === 0;
  }

  /** The exact number of members (it may exceed 2^53, hence BigInt). */
  size(): bigint {
    if (this.#size === null) {
      const bounds = this.#bounds;
      if (isNumbers(bounds)) {
        // Every bound is below 2^53, so no partial sum can exceed it: the double sum is exact.
        let total = 0;
        for (let index = 0; index < bounds.length; index += 2)
          total += bounds[index + 1]! - bounds[index]! + 1;
        this.#size = BigInt(total);
      } else {
        let total = 0n;
        for (let index = 0; index < bounds.length; index += 2)
          total += bounds[index + 1]! - bounds[index]! + 1n;
        this.#size = total;
      }
    }
    return this.#size;
  }

  /** Binary search: O(log n). */
  contains(value: bigint): boolean {
    const bounds = this.#bounds;
    if (isNumbers(bounds) && value >= BIG_EXACT_LIMIT) return false;
    const probe: Bound = isNumbers(bounds) ? Number(value) : value;
    let low = 0;
    let high = bounds.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (probe < bounds[2 * middle]!) high = middle - 1;
      else if (probe > bounds[2 * middle + 1]!) low = middle + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet): IntervalSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const [a, b] = sameForm(this.#bounds, other.#bounds);
    const merged: Bound[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
        appendMerging(merged, a[i]!, a[i + 1]!);
        i += 2;
      } else {
        appendMerging(merged, b[j]!, b[j + 1]!);
        j += 2;
      }
    }
    return IntervalSet.#wrap(merged);
  }

  intersect(other: IntervalSet): IntervalSet {
    const [a, b] = sameForm(this.#bounds, other.#bounds);
    const common: Bound[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const aLo = a[i]!;
      const aHi = a[i + 1]!;
      const bLo = b[j]!;
      const bHi = b[j + 1]!;
      const lo = aLo > bLo ? aLo : bLo;
      const hi = aHi < bHi ? aHi : bHi;
      if (lo <= hi) common.push(lo, hi);
      if (aHi < bHi) i += 2;
      else j += 2;
    }
    return IntervalSet.#wrap(common);
  }

  /** The size of the intersection with other, without building it: scores measure every scope's public part. */
  intersectionSize(other: IntervalSet): bigint {
    const a = this.#bounds;
    const b = other.#bounds;
    if (a.length === 0 || b.length === 0) return 0n;
    if (isNumbers(a) && isNumbers(b)) return BigInt(numbersIntersectionSize(a, b));
    const [wideA, wideB] = sameForm(a, b) as [ArrayLike<bigint>, ArrayLike<bigint>];
    let total = 0n;
    let i = 0;
    let j = 0;
    while (i < wideA.length && j < wideB.length) {
      const aLo = wideA[i]!;
      const aHi = wideA[i + 1]!;
      const bLo = wideB[j]!;
      const bHi = wideB[j + 1]!;
      const lo = aLo > bLo ? aLo : bLo;
      const hi = aHi < bHi ? aHi : bHi;
      if (lo <= hi) total += hi - lo + 1n;
      if (aHi < bHi) i += 2;
      else j += 2;
    }
    return total;
  }

  difference(other: IntervalSet): IntervalSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    const [a, b] = sameForm(this.#bounds, other.#bounds);
    const rest: Bound[] = [];
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      const lo = a[i]!;
      const hi = a[i + 1]!;
      // Intervals of b wholly below this one cannot touch any later interval of a either.
      while (j < b.length && b[j + 1]! < lo) j += 2;
      let cursor = lo;
      for (let k = j; k < b.length && b[k]! <= hi && cursor <= hi; k += 2) {
        const cutLo = b[k]!;
        const cutHi = b[k + 1]!;
        if (cutLo > cursor) rest.push(cursor, minusOne(cutLo));
        const after = plusOne(cutHi);
        if (after > cursor) cursor = after;
      }
      if (cursor <= hi) rest.push(cursor, hi);
    }
    return IntervalSet.#wrap(rest);
  }

  /** True when every member of other is a member of this set. */
  containsSet(other: IntervalSet): boolean {
    const [a, b] = sameForm(this.#bounds, other.#bounds);
    let i = 0;
    for (let k = 0; k < b.length; k += 2) {
      const lo = b[k]!;
      while (i < a.length && a[i + 1]! < lo) i += 2;
      if (i >= a.length || a[i]! > lo || a[i + 1]! < b[k + 1]!) return false;
    }
    return true;
  }

  equals(other: IntervalSet): boolean {
    const a = this.#bounds;
    const b = other.#bounds;
    // The form is canonical: equal sets have the same one.
    if (a.length !== b.length || isNumbers(a) !== isNumbers(b)) return false;
    for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
    return true;
  }
}

/**
 * intersectionSize of two number sets, in a loop of its own: no kind test per step and no union-typed element
 * reads (scores measure the public part of every scope, some of 100,000 intervals).
 */
function numbersIntersectionSize(a: Numbers, b: Numbers): number {
  // Every bound is below 2^53 and the common parts are disjoint, so the double sum is exact.
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const aHi = a[i + 1]!;
    const bHi = b[j + 1]!;
    const lo = Math.max(a[i]!, b[j]!);
    const hi = aHi < bHi ? aHi : bHi;
    if (lo <= hi) total += hi - lo + 1;
    if (aHi < bHi) i += 2;
    else j += 2;
  }
  return total;
}

function isNumbers(bounds: Bounds): bounds is Numbers {
  return typeof bounds[0] !== 'bigint';
}

/**
 * Room for `length` bounds up to `highest` (below 2^53): a plain array for a small set, else the smallest typed
 * array that holds them exactly.
 */
function numbersFor(length: number, highest: number): ScratchNumbers {
  if (length <= SMALL_SET_BOUNDS) return new Array<number>(length).fill(0);
  return highest < 2 ** 32 ? new Uint32Array(length) : new Float64Array(length);
}

/** The first `end` bounds of a scratch array from numbersFor, as a set keeps them. */
function finished(numbers: ScratchNumbers, end: number): Numbers {
  if (Array.isArray(numbers)) return end === numbers.length ? numbers : numbers.slice(0, end);
  if (end <= SMALL_SET_BOUNDS) return Array.from(numbers.subarray(0, end));
  return end === numbers.length ? numbers : numbers.slice(0, end);
}

/** The flat pairs ordered by lower bound, in the kind they were given: no BigInt pair is made for numbers. */
function sortedPairs(bounds: readonly Bound[]): Bound[] {
  if (bounds.length <= 2 * INSERTION_SORT_PAIRS) return insertionSortedPairs(bounds);
  const order = Array.from({ length: bounds.length / 2 }, (_, pair) => 2 * pair);
  order.sort((a, b) => {
    const left = bounds[a]!;
    const right = bounds[b]!;
    return left < right ? -1 : left > right ? 1 : 0;
  });
  const sorted = new Array<Bound>(bounds.length);
  for (let pair = 0; pair < order.length; pair++) {
    sorted[2 * pair] = bounds[order[pair]!]!;
    sorted[2 * pair + 1] = bounds[order[pair]! + 1]!;
  }
  return sorted;
}

/**
 * Up to this many pairs (a connector's few RemoteIPRanges entries), sorted by insertion: the sort builtin's set-up
 * and a comparator call per comparison cost more.
 */
const INSERTION_SORT_PAIRS = 16;

/** sortedPairs by insertion, stable as the sort builtin is. */
function insertionSortedPairs(bounds: readonly Bound[]): Bound[] {
  const sorted = bounds.slice();
  for (let pair = 2; pair < sorted.length; pair += 2) {
    const lo = sorted[pair]!;
    const hi = sorted[pair + 1]!;
    let at = pair;
    for (; at > 0 && sorted[at - 2]! > lo; at -= 2) {
      sorted[at] = sorted[at - 2]!;
      sorted[at + 1] = sorted[at - 1]!;
    }
    sorted[at] = lo;
    sorted[at + 1] = hi;
  }
  return sorted;
}

/** Both bound lists in one form: numbers when both sets have them, else BigInts. */
function sameForm(a: Bounds, b: Bounds): [ArrayLike<Bound>, ArrayLike<Bound>] {
  if (isNumbers(a) && isNumbers(b)) return [a, b];
  return [asBigInts(a), asBigInts(b)];
}

function asBigInts(bounds: Bounds): readonly bigint[] {
  return isNumbers(bounds) ? Array.from(bounds, BigInt) : bounds;
}

function checkInterval(lo: Bound, hi: Bound, previousLo: Bound): void {
  if (typeof lo === 'number' && !(Number.isSafeInteger(lo) && Number.isSafeInteger(hi))) {
    throw new RangeError(
      `invalid interval [${lo}, ${hi}]: numbers must be exact integers (programming error)`,
    );
  }
  if (lo < 0 || lo > hi) {
    throw new RangeError(`invalid interval [${lo}, ${hi}]: need 0 <= lo <= hi (programming error)`);
  }
  if (lo < previousLo) {
    throw new RangeError(
      `interval [${lo}, ${hi}] is out of order after lo ${previousLo} (programming error)`,
    );
  }
}

/** Appends [lo, hi] (lo not below the last interval's lo), merging with the last interval when they touch. */
function appendMerging(bounds: Bound[], lo: Bound, hi: Bound): void {
  const end = bounds.length;
  if (end > 0 && lo <= plusOne(bounds[end - 1]!)) {
    if (hi > bounds[end - 1]!) bounds[end - 1] = hi;
    return;
  }
  bounds.push(lo, hi);
}
