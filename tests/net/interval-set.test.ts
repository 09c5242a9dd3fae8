import { describe, expect, it } from '@jest/globals';
import { IntervalSet } from '../../src/net/interval-set.js';
import { randomInt, seededRandom } from './seeded-random.js';

const MAX128 = (1n << 128n) - 1n;

function set(...intervals: [number | bigint, number | bigint][]): IntervalSet {
  return IntervalSet.of(intervals.map(([lo, hi]) => [BigInt(lo), BigInt(hi)] as const));
}

function listOf(s: IntervalSet): [string, string][] {
  return s.intervals().map(([lo, hi]) => [lo.toString(), hi.toString()]);
}

describe('IntervalSet construction', () => {
  it('sorts and merges overlapping, adjacent and duplicate intervals', () => {
    expect(listOf(set([1, 2], [3, 4]))).toEqual([['1', '4']]);
    expect(listOf(set([10, 20], [0, 5], [15, 30], [10, 20], [32, 32]))).toEqual([
      ['0', '5'],
      ['10', '30'],
      ['32', '32'],
    ]);
    expect(listOf(set([5, 9], [6, 7]))).toEqual([['5', '9']]);
    expect(IntervalSet.of([]).isEmpty()).toBe(true);
  });

  it('treats lo > hi and negative bounds as programming errors', () => {
    expect(() => set([5, 4])).toThrow(RangeError);
    expect(() => set([-1, 4])).toThrow(/need 0 <= lo <= hi/);
  });

  it('takes sorted input on the fast path and refuses unsorted input there', () => {
    const sorted = [[0n, 3n] as const, [2n, 8n] as const, [9n, 9n] as const, [20n, 21n] as const];
    expect(listOf(IntervalSet.fromSorted(sorted))).toEqual([
      ['0', '9'],
      ['20', '21'],
    ]);
    expect(() => IntervalSet.fromSorted([[5n, 6n] as const, [1n, 2n] as const])).toThrow(/out of order/);
  });

  it('builds the same set from flat bounds, listed in order or not', () => {
    const random = seededRandom(7);
    let sortedLists = 0;
    for (let round = 0; round < 2000; round++) {
      // Lists straddle 2^32 and 2^53 too, where the set changes how it stores its bounds.
      const offset = [0n, 2n ** 32n - 50n, 2n ** 53n - 50n][round % 3]!;
      const pairs: [bigint, bigint][] = [];
      // Some lists longer than a connector's few entries: unsorted ones take another sort (interval-set.ts).
      for (let piece = randomInt(random, 0, round % 5 === 0 ? 40 : 8); piece > 0; piece--) {
        const lo = randomInt(random, 0, 100);
        pairs.push([BigInt(lo) + offset, BigInt(lo + randomInt(random, 0, 10)) + offset]);
      }
      // Half the lists in order: the path without a sort must be exercised as often as the other.
      if (round % 2 === 0) pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (pairs.every(([lo], index) => index === 0 || lo >= pairs[index - 1]![0])) sortedLists++;
      expect(listOf(IntervalSet.ofBounds(pairs.flat()))).toEqual(listOf(IntervalSet.of(pairs)));
      // The same bounds as numbers (as IPv4 scopes give them), where they are exact.
      if (offset < 2n ** 53n - 50n)
        expect(listOf(IntervalSet.ofBounds(pairs.flat().map(Number)))).toEqual(listOf(IntervalSet.of(pairs)));
    }
    expect(sortedLists).toBeGreaterThanOrEqual(1000);
    expect(() => IntervalSet.ofBounds([5n, 4n])).toThrow(/need 0 <= lo <= hi/);
    expect(() => IntervalSet.ofBounds([3n, 9n, 1n, 0n])).toThrow(/need 0 <= lo <= hi/);
    expect(IntervalSet.ofBounds([])).toBe(IntervalSet.EMPTY);
  });

  it('does not keep a reference to the caller’s tuples', () => {
    const input: [bigint, bigint][] = [[1n, 2n]];
    const s = IntervalSet.of(input);
    input[0]![1] = 100n;
    expect(s.contains(50n)).toBe(false);
  });
});

describe('IntervalSet hand cases', () => {
  const a = set([0, 9], [20, 29]);

  it('gives its bounds as numbers below 2^53 only', () => {
    expect(Array.from(a.numberBounds() ?? [])).toEqual([0, 9, 20, 29]);
    expect(Array.from(IntervalSet.EMPTY.numberBounds() ?? [1])).toEqual([]);
    const wide = Array.from({ length: 40 }, (_, index) => [index * 10, index * 10 + 5] as [number, number]);
    expect(Array.from(set(...wide, [2 ** 32, 2 ** 40]).numberBounds() ?? [])).toEqual([
      ...wide.flat(),
      2 ** 32,
      2 ** 40,
    ]);
    expect(set([0, 2n ** 53n]).numberBounds()).toBeNull();
    expect(set([1, 2], [2n ** 64n, 2n ** 64n]).numberBounds()).toBeNull();
  });

  it('unions', () => {
    expect(listOf(set([1, 2]).union(set([3, 4])))).toEqual([['1', '4']]);
    expect(listOf(a.union(set([10, 19])))).toEqual([['0', '29']]);
    expect(listOf(a.union(set([5, 6])))).toEqual(listOf(a));
    expect(a.union(IntervalSet.EMPTY).equals(a)).toBe(true);
    expect(IntervalSet.EMPTY.union(a).equals(a)).toBe(true);
  });

  it('intersects', () => {
    expect(listOf(a.intersect(set([5, 25])))).toEqual([
      ['5', '9'],
      ['20', '25'],
    ]);
    expect(a.intersect(set([10, 19])).isEmpty()).toBe(true);
    expect(a.intersect(a).equals(a)).toBe(true);
    expect(a.intersect(IntervalSet.EMPTY).isEmpty()).toBe(true);
  });

  it('subtracts', () => {
    expect(listOf(a.difference(set([5, 25])))).toEqual([
      ['0', '4'],
      ['26', '29'],
    ]);
    expect(listOf(a.difference(set([3, 3], [5, 5], [29, 40])))).toEqual([
      ['0', '2'],
      ['4', '4'],
      ['6', '9'],
      ['20', '28'],
    ]);
    expect(a.difference(a).isEmpty()).toBe(true);
    expect(a.difference(set([0, 100])).isEmpty()).toBe(true);
    expect(a.difference(IntervalSet.EMPTY).equals(a)).toBe(true);
    // One interval of the subtrahend spanning several of ours.
    expect(listOf(set([0, 1], [4, 5], [8, 9]).difference(set([1, 8])))).toEqual([
      ['0', '0'],
      ['9', '9'],
    ]);
  });

  it('answers membership and containment', () => {
    expect([0n, 9n, 10n, 19n, 20n, 29n, 30n].map((v) => a.contains(v))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(a.containsSet(set([2, 3], [21, 29]))).toBe(true);
    expect(a.containsSet(set([8, 10]))).toBe(false);
    expect(a.containsSet(set([30, 30]))).toBe(false);
    expect(a.containsSet(IntervalSet.EMPTY)).toBe(true);
    expect(IntervalSet.EMPTY.containsSet(a)).toBe(false);
    expect(set([0, 9], [10, 19]).containsSet(set([5, 15]))).toBe(true);
  });

  it('counts members exactly', () => {
    expect(a.size()).toBe(20n);
    expect(IntervalSet.EMPTY.size()).toBe(0n);
    expect(set([0n, MAX128]).size()).toBe(1n << 128n);
  });

  it('handles the full 128-bit space', () => {
    const all = set([0n, MAX128]);
    const docs = set([0x20010db8n << 96n, (0x20010db8n << 96n) | ((1n << 96n) - 1n)]);
    const rest = all.difference(docs);
    expect(rest.intervals().length).toBe(2);
    expect(rest.size() + docs.size()).toBe(1n << 128n);
    expect(rest.union(docs).equals(all)).toBe(true);
    expect(all.contains(MAX128)).toBe(true);
    expect(all.difference(set([MAX128, MAX128])).contains(MAX128)).toBe(false);
    expect(all.containsSet(rest)).toBe(true);
  });

  it('compares by members, not by how they were written', () => {
    expect(set([1, 2], [3, 4]).equals(set([1, 4]))).toBe(true);
    expect(set([1, 4]).equals(set([1, 5]))).toBe(false);
    expect(set([1, 4]).equals(set([1, 4], [6, 6]))).toBe(false);
  });
});

describe('IntervalSet at scale', () => {
  // 50,000 interleaved intervals each: a pairwise implementation would take billions of steps here.
  const count = 50_000;
  const evens = IntervalSet.fromSorted(
    Array.from({ length: count }, (_, i) => [BigInt(4 * i), BigInt(4 * i + 1)] as const),
  );
  const odds = IntervalSet.fromSorted(
    Array.from({ length: count }, (_, i) => [BigInt(4 * i + 2), BigInt(4 * i + 3)] as const),
  );

  it('merges linearly', () => {
    expect(listOf(evens.union(odds))).toEqual([['0', String(4 * count - 1)]]);
    expect(evens.intersect(odds).isEmpty()).toBe(true);
    expect(evens.difference(odds).equals(evens)).toBe(true);
    expect(evens.union(odds).difference(odds).equals(evens)).toBe(true);
    expect(evens.union(odds).containsSet(odds)).toBe(true);
    expect(evens.size()).toBe(BigInt(2 * count));
  });
});

// Property test: every operation against a plain Set<number> over the universe OFFSET..OFFSET+UNIVERSE. Sets
// below 2^53 keep their bounds as doubles, others as BigInts: across 2^53, operations mix the two forms.
describe.each([
  ['near zero', 0n],
  ['across 2^32, where the storage form changes', 2n ** 32n - 100n],
  ['across 2^53, where the storage form changes', 2n ** 53n - 100n],
])('IntervalSet against a naive reference, %s', (_, OFFSET) => {
  const UNIVERSE = 200;

  function randomSet(random: () => number): IntervalSet {
    const intervals: (readonly [bigint, bigint])[] = [];
    // Now and then many short pieces: a set of more than 8 intervals keeps its numbers in a typed array.
    const many = random() < 0.2;
    const pieces = many ? randomInt(random, 20, 40) : randomInt(random, 0, 6);
    for (let p = 0; p < pieces; p++) {
      const lo = randomInt(random, 0, UNIVERSE);
      const length = many ? randomInt(random, 0, 2) : randomInt(random, 0, random() < 0.5 ? 5 : 60);
      const hi = Math.min(UNIVERSE, lo + length);
      intervals.push([BigInt(lo) + OFFSET, BigInt(hi) + OFFSET]);
    }
    return IntervalSet.of(intervals);
  }

  function members(s: IntervalSet): Set<number> {
    const result = new Set<number>();
    for (const [lo, hi] of s.intervals())
      for (let v = Number(lo - OFFSET); v <= Number(hi - OFFSET); v++) result.add(v);
    return result;
  }

  function sameMembers(s: IntervalSet, expected: Iterable<number>): boolean {
    const actual = members(s);
    const wanted = new Set(expected);
    return actual.size === wanted.size && [...wanted].every((v) => actual.has(v));
  }

  function isNormalized(s: IntervalSet): boolean {
    return s
      .intervals()
      .every(([lo, hi], index, list) => lo <= hi && (index === 0 || lo > list[index - 1]![1] + 1n));
  }

  it('matches the reference on 5,000 random cases', () => {
    const random = seededRandom(42);
    // Collected rather than asserted one by one: a failure lists every broken case with its inputs.
    const failures: string[] = [];
    let mixedForms = 0;
    let largeSets = 0;
    for (let round = 0; round < 5000; round++) {
      const a = randomSet(random);
      const b = randomSet(random);
      if (isAboveLimit(a) !== isAboveLimit(b)) mixedForms++;
      if (a.count() > 8) largeSets++;
      const ra = members(a);
      const rb = members(b);
      const probe = randomInt(random, -1, UNIVERSE + 1);
      const checks: Record<string, boolean> = {
        union: sameMembers(a.union(b), [...ra, ...rb]) && isNormalized(a.union(b)),
        intersect:
          sameMembers(
            a.intersect(b),
            [...ra].filter((v) => rb.has(v)),
          ) && isNormalized(a.intersect(b)),
        difference:
          sameMembers(
            a.difference(b),
            [...ra].filter((v) => !rb.has(v)),
          ) && isNormalized(a.difference(b)),
        size: a.size() === BigInt(ra.size),
        intersectionSize: a.intersectionSize(b) === BigInt([...ra].filter((v) => rb.has(v)).length),
        isEmpty: a.isEmpty() === (ra.size === 0),
        containsSet: a.containsSet(b) === [...rb].every((v) => ra.has(v)),
        equals: a.equals(b) === (ra.size === rb.size && [...ra].every((v) => rb.has(v))),
        contains: a.contains(BigInt(probe) + OFFSET) === ra.has(probe),
        fromSorted: IntervalSet.fromSorted(a.intervals()).equals(a),
        count: a.count() === a.intervals().length,
        map:
          JSON.stringify(a.map((lo, hi) => `${lo}-${hi}`)) ===
          JSON.stringify(listOf(a).map((p) => p.join('-'))),
        head: JSON.stringify(listOf(IntervalSet.of(a.head(2)))) === JSON.stringify(listOf(a).slice(0, 2)),
      };
      for (const [name, passed] of Object.entries(checks)) {
        if (!passed) failures.push(`${name}: a=${JSON.stringify(listOf(a))} b=${JSON.stringify(listOf(b))}`);
      }
    }
    expect(failures).toEqual([]);
    // The guard: with the offset just below a form's limit, many pairs really combine one set of each form.
    if (OFFSET > 0n) expect(mixedForms).toBeGreaterThan(1000);
    expect(largeSets).toBeGreaterThan(100);
  });

  function isAboveLimit(s: IntervalSet): boolean {
    const last = s.intervals().at(-1);
    return last !== undefined && last[1] >= OFFSET + 100n;
  }
});
