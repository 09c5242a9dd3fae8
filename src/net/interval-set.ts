/**
 * An immutable set of non-negative BigInts, kept as sorted, disjoint, non-adjacent closed intervals.
 * Address spaces are 2^128 wide, so sets are only ever handled interval by interval: every binary
 * operation is one linear merge of the two sorted lists.
 */

export type Interval = readonly [bigint, bigint];

export class IntervalSet {
  static readonly EMPTY: IntervalSet = new IntervalSet([]);

  readonly #intervals: readonly Interval[];
  #size: bigint | null = null;

  private constructor(normalized: Interval[]) {
    this.#intervals = Object.freeze(normalized);
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
    const merged: Interval[] = [];
    let previousLo = -1n;
    for (const [lo, hi] of intervals) {
      if (lo < 0n || lo > hi) {
        throw new RangeError(`invalid interval [${lo}, ${hi}]: need 0 <= lo <= hi (programming error)`);
      }
      if (lo < previousLo) {
        throw new RangeError(
          `interval [${lo}, ${hi}] is out of order after lo ${previousLo} (programming error)`,
        );
      }
      previousLo = lo;
      appendMerging(merged, lo, hi);
    }
    return merged.length === 0 ? IntervalSet.EMPTY : new IntervalSet(merged);
  }

  intervals(): readonly Interval[] {
    return this.#intervals;
  }

  isEmpty(): boolean {
    return this.#intervals.length === 0;
  }

  /** The exact number of members (it may exceed 2^53, hence BigInt). */
  size(): bigint {
    if (this.#size === null) {
      let total = 0n;
      for (const [lo, hi] of this.#intervals) total += hi - lo + 1n;
      this.#size = total;
    }
    return this.#size;
  }

  /** Binary search: O(log n). */
  contains(value: bigint): boolean {
    const list = this.#intervals;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const [lo, hi] = list[middle]!;
      if (value < lo) high = middle - 1;
      else if (value > hi) low = middle + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet): IntervalSet {
    const a = this.#intervals;
    const b = other.#intervals;
    if (b.length === 0) return this;
    if (a.length === 0) return other;
    const merged: Interval[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const next = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!;
      appendMerging(merged, next[0], next[1]);
    }
    return new IntervalSet(merged);
  }

  intersect(other: IntervalSet): IntervalSet {
    const a = this.#intervals;
    const b = other.#intervals;
    const common: Interval[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const [aLo, aHi] = a[i]!;
      const [bLo, bHi] = b[j]!;
      const lo = aLo > bLo ? aLo : bLo;
      const hi = aHi < bHi ? aHi : bHi;
      if (lo <= hi) common.push([lo, hi]);
      if (aHi < bHi) i++;
      else j++;
    }
    return common.length === 0 ? IntervalSet.EMPTY : new IntervalSet(common);
  }

  difference(other: IntervalSet): IntervalSet {
    const a = this.#intervals;
    const b = other.#intervals;
    if (a.length === 0 || b.length === 0) return this;
    const rest: Interval[] = [];
    let j = 0;
    for (const [lo, hi] of a) {
      // Intervals of b wholly below this one cannot touch any later interval of a either.
      while (j < b.length && b[j]![1] < lo) j++;
      let cursor = lo;
      for (let k = j; k < b.length && b[k]![0] <= hi && cursor <= hi; k++) {
        const [cutLo, cutHi] = b[k]!;
        if (cutLo > cursor) rest.push([cursor, cutLo - 1n]);
        if (cutHi + 1n > cursor) cursor = cutHi + 1n;
      }
      if (cursor <= hi) rest.push([cursor, hi]);
    }
    return rest.length === 0 ? IntervalSet.EMPTY : new IntervalSet(rest);
  }

  /** True when every member of other is a member of this set. */
  containsSet(other: IntervalSet): boolean {
    const a = this.#intervals;
    let i = 0;
    for (const [lo, hi] of other.#intervals) {
      while (i < a.length && a[i]![1] < lo) i++;
      const cover = a[i];
      if (cover === undefined || cover[0] > lo || cover[1] < hi) return false;
    }
    return true;
  }

  equals(other: IntervalSet): boolean {
    const a = this.#intervals;
    const b = other.#intervals;
    return a.length === b.length && a.every(([lo, hi], index) => lo === b[index]![0] && hi === b[index]![1]);
  }
}

/** Appends [lo, hi] (lo not below the last interval's lo), merging with the last interval when they touch. */
function appendMerging(list: Interval[], lo: bigint, hi: bigint): void {
  const last = list[list.length - 1];
  if (last !== undefined && lo <= last[1] + 1n) {
    if (hi > last[1]) list[list.length - 1] = [last[0], hi];
    return;
  }
  list.push([lo, hi]);
}
