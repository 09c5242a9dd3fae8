/**
 * An immutable set of non-negative BigInts, kept as sorted, disjoint, non-adjacent closed intervals.
 * Address spaces are 2^128 wide, so sets are only ever handled interval by interval: every binary
 * operation is one linear merge of the two sorted lists.
 *
 * The bounds are stored flat ([lo0, hi0, lo1, hi1, …]): a connector with 100,000 ranges holds several such sets,
 * and a two-element array per interval cost ~60 bytes more than the two slots here.
 */

export type Interval = readonly [bigint, bigint];

export class IntervalSet {
  static readonly EMPTY: IntervalSet = new IntervalSet([]);

  /** lo and hi of each interval in turn. */
  readonly #bounds: readonly bigint[];
  #size: bigint | null = null;

  private constructor(bounds: bigint[]) {
    // An array filled by push has room for 16 more; a set of a few intervals keeps an exact copy instead (most
    // sets are that small, and a large organisation holds hundreds of thousands of them).
    this.#bounds = bounds.length <= 16 ? bounds.slice() : bounds;
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
   * each, and when they are listed in order (as they usually are) no sort either.
   */
  static ofBounds(bounds: readonly bigint[]): IntervalSet {
    for (let index = 2; index < bounds.length; index += 2) {
      if (bounds[index]! < bounds[index - 2]!) {
        const pairs: Array<[bigint, bigint]> = [];
        for (let pair = 0; pair < bounds.length; pair += 2) pairs.push([bounds[pair]!, bounds[pair + 1]!]);
        return IntervalSet.of(pairs);
      }
    }
    const merged: bigint[] = [];
    for (let index = 0; index < bounds.length; index += 2) {
      const lo = bounds[index]!;
      const hi = bounds[index + 1]!;
      checkInterval(lo, hi, -1n);
      appendMerging(merged, lo, hi);
    }
    return IntervalSet.#wrap(merged);
  }

  static #wrap(bounds: bigint[]): IntervalSet {
    return bounds.length === 0 ? IntervalSet.EMPTY : new IntervalSet(bounds);
  }

  /** The intervals as pairs (a new array each call; `map` avoids building the pairs). */
  intervals(): Interval[] {
    return this.map((lo, hi) => [lo, hi] as const);
  }

  /** The first `limit` intervals (fewer when the set has fewer) as pairs. */
  head(limit: number): Interval[] {
    const pairs: Interval[] = [];
    const end = Math.min(this.#bounds.length, 2 * Math.max(0, limit));
    for (let index = 0; index < end; index += 2) pairs.push([this.#bounds[index]!, this.#bounds[index + 1]!]);
    return pairs;
  }

  /** One value per interval, in ascending order. */
  map<T>(each: (lo: bigint, hi: bigint) => T): T[] {
    const bounds = this.#bounds;
    const result: T[] = new Array<T>(bounds.length / 2);
    for (let index = 0; index < bounds.length; index += 2)
      result[index / 2] = each(bounds[index]!, bounds[index + 1]!);
    return result;
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
      let total = 0n;
      for (let index = 0; index < bounds.length; index += 2)
        total += bounds[index + 1]! - bounds[index]! + 1n;
      this.#size = total;
    }
    return this.#size;
  }

  /** Binary search: O(log n). */
  contains(value: bigint): boolean {
    const bounds = this.#bounds;
    let low = 0;
    let high = bounds.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (value < bounds[2 * middle]!) high = middle - 1;
      else if (value > bounds[2 * middle + 1]!) low = middle + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet): IntervalSet {
    const a = this.#bounds;
    const b = other.#bounds;
    if (b.length === 0) return this;
    if (a.length === 0) return other;
    const merged: bigint[] = [];
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
    return new IntervalSet(merged);
  }

  intersect(other: IntervalSet): IntervalSet {
    const a = this.#bounds;
    const b = other.#bounds;
    const common: bigint[] = [];
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

  difference(other: IntervalSet): IntervalSet {
    const a = this.#bounds;
    const b = other.#bounds;
    if (a.length === 0 || b.length === 0) return this;
    const rest: bigint[] = [];
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
        if (cutLo > cursor) rest.push(cursor, cutLo - 1n);
        if (cutHi + 1n > cursor) cursor = cutHi + 1n;
      }
      if (cursor <= hi) rest.push(cursor, hi);
    }
    return IntervalSet.#wrap(rest);
  }

  /** True when every member of other is a member of this set. */
  containsSet(other: IntervalSet): boolean {
    const a = this.#bounds;
    const b = other.#bounds;
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
    if (a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
    return true;
  }
}

function checkInterval(lo: bigint, hi: bigint, previousLo: bigint): void {
  if (lo < 0n || lo > hi) {
    throw new RangeError(`invalid interval [${lo}, ${hi}]: need 0 <= lo <= hi (programming error)`);
  }
  if (lo < previousLo) {
    throw new RangeError(
      `interval [${lo}, ${hi}] is out of order after lo ${previousLo} (programming error)`,
    );
  }
}

/** Appends [lo, hi] (lo not below the last interval's lo), merging with the last interval when they touch. */
function appendMerging(bounds: bigint[], lo: bigint, hi: bigint): void {
  const end = bounds.length;
  if (end > 0 && lo <= bounds[end - 1]! + 1n) {
    if (hi > bounds[end - 1]!) bounds[end - 1] = hi;
    return;
  }
  bounds.push(lo, hi);
}
