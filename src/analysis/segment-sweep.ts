/**
 * The sweep behind precedence.ts: one context's candidate ranges cut into segments (runs of addresses covered by
 * the same ranges), each with its winner and the best range of any other connector. Two ways to find them, with
 * the same answers: a scan of the ranges open at each segment while few are (an organisation's listeners: a default
 * connector's whole space and a few nested relay ranges), and heaps of open ranges when many nest (one connector
 * with 100,000 nested ranges), where a scan would be quadratic.
 */

import { compareBounds, minusOne, plusOne, type Bound } from '../net/bound.js';
import { MinHeap } from './min-heap.js';

/** A range competing on one context. */
export interface Candidate {
  /** Index of the connector; also its AD enumeration order. */
  connector: number;
  /** Local address of the binding; null for the wildcard. */
  localAddress: bigint | null;
  /** Numbers (IPv4) or BigInts, one kind in all candidates of a sweep. */
  first: Bound;
  last: Bound;
  /** last - first + 1, in the kind of the bounds. */
  size: Bound;
}

/**
 * Called once per segment, in ascending order. `runnerUp` is the best range of a connector other than the
 * winner's. When three or more connectors tie exactly for the segment, `alsoTied` holds the tied ranges of the
 * connectors after the runner-up (each connector once): a third tied connector receives the segment as soon as
 * Active Directory returns it first, so it must not look shadowed. Arguments, not an object: a million ranges
 * make two million segments.
 */
export type SegmentVisitor = (
  first: Bound,
  last: Bound,
  winner: Candidate,
  runnerUp: Candidate | undefined,
  alsoTied: readonly Candidate[] | undefined,
) => void;

/** Exchange's preference: smaller range, then specific binding, then enumeration order. */
export function better(a: Candidate, b: Candidate): boolean {
  if (a.size !== b.size) return a.size < b.size;
  const specific = a.localAddress !== null;
  if (specific !== (b.localAddress !== null)) return specific;
  return a.connector < b.connector;
}

/** Two ranges of different connectors that only the undocumented enumeration order tells apart. */
export function isTie(a: Candidate, b: Candidate): boolean {
  return (
    a.size === b.size &&
    (a.localAddress === null) === (b.localAddress === null) &&
    a.connector !== b.connector
  );
}

/**
 * Up to this many ranges open at once, each segment scans them: cheaper than keeping heaps, which cost objects
 * per range and per change of a connector's best.
 */
const SCAN_DEPTH = 24;

/** `candidates` is sorted in place by lower bound. */
export function sweepSegments(candidates: Candidate[], visit: SegmentVisitor): void {
  const numbers = candidates.every((candidate) => typeof candidate.last === 'number');
  const starts = numbers
    ? sortNumbersByFirst(candidates)
    : candidates.sort((a, b) => compareBounds(a.first, b.first));
  const ends = numbers
    ? numberEnds(candidates)
    : candidates.map((candidate) => plusOne(candidate.last)).sort(compareBounds);
  if (deepest(starts, ends) <= SCAN_DEPTH) scanSweep(starts, ends, visit);
  else heapSweep(starts, ends, visit);
}

/** Keys of sortNumbersByFirst: first * 2^21 + position is exact below 2^53 while first < 2^32. */
const POSITION_BITS = 2 ** 21;
const KEYED_FIRST_LIMIT = 2 ** 32;

/**
 * Sorts number candidates in place by lower bound, stably, as the sort builtin would: each one's lower bound and
 * position packed into one double and sorted by the typed-array builtin, which compares natively instead of
 * calling a comparator per comparison (the 1,000 sweeps of the 10k snapshot; one of 750,000 ranges in the million-range input).
 */
function sortNumbersByFirst(candidates: Candidate[]): Candidate[] {
  const count = candidates.length;
  const byComparator = () => candidates.sort((a, b) => (a.first as number) - (b.first as number));
  if (count > POSITION_BITS) return byComparator();
  const keys = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const first = candidates[index]!.first as number;
    if (first >= KEYED_FIRST_LIMIT) return byComparator();
    keys[index] = first * POSITION_BITS + index;
  }
  keys.sort();
  const original = candidates.slice();
  for (let index = 0; index < count; index++) candidates[index] = original[keys[index]! % POSITION_BITS]!;
  return candidates;
}

/** The candidates' ends (last + 1) in ascending order, sorted natively in a typed array. */
function numberEnds(candidates: readonly Candidate[]): Float64Array {
  const ends = new Float64Array(candidates.length);
  for (let index = 0; index < candidates.length; index++)
    ends[index] = (candidates[index]!.last as number) + 1;
  return ends.sort();
}

/** The most ranges open at one address. */
function deepest(starts: readonly Candidate[], ends: ArrayLike<Bound>): number {
  let depth = 0;
  let most = 0;
  let j = 0;
  // Indexed: until V8 optimises a function, for…of makes an object per element, and the analysis runs once.
  for (let index = 0; index < starts.length; index++) {
    const start = starts[index]!;
    // A range ending just before this one starts (end === first) is closed by then.
    while (j < ends.length && ends[j]! <= start.first) {
      depth--;
      j++;
    }
    if (++depth > most) most = depth;
  }
  return most;
}

/** The sweep with the open ranges in a list, scanned at each segment. */
export function scanSweep(starts: readonly Candidate[], ends: ArrayLike<Bound>, visit: SegmentVisitor): void {
  const points = mergeDistinct(starts, ends);
  // The open ranges are open[0 .. count): slots past count are stale (setting an array's length is slow).
  const open: Candidate[] = [];
  let count = 0;
  let next = 0;
  for (let index = 0; index < points.length - 1; index++) {
    const first = points[index]!;
    let kept = 0;
    for (let k = 0; k < count; k++) {
      const candidate = open[k]!;
      if (candidate.last >= first) open[kept++] = candidate;
    }
    count = kept;
    while (next < starts.length && starts[next]!.first <= first) open[count++] = starts[next++]!;
    if (count === 0) continue;
    let winner = open[0]!;
    let runnerUp: Candidate | undefined;
    for (let k = 1; k < count; k++) {
      const candidate = open[k]!;
      if (better(candidate, winner)) {
        // The old winner beat every range seen so far: the best of the connectors other than the new one's.
        if (candidate.connector !== winner.connector) runnerUp = winner;
        winner = candidate;
      } else if (
        candidate.connector !== winner.connector &&
        (runnerUp === undefined || better(candidate, runnerUp))
      ) {
        runnerUp = candidate;
      }
    }
    const alsoTied =
      runnerUp !== undefined && isTie(winner, runnerUp)
        ? tiedAfter(open, count, winner, runnerUp)
        : undefined;
    visit(first, segmentEnd(points[index + 1]!, winner), winner, runnerUp, alsoTied);
  }
}

/** The open ranges that tie with the winner, of connectors other than the winner's and the runner-up's, one each. */
function tiedAfter(
  open: readonly Candidate[],
  count: number,
  winner: Candidate,
  runnerUp: Candidate,
): Candidate[] | undefined {
  let tied: Candidate[] | undefined;
  for (let k = 0; k < count; k++) {
    const candidate = open[k]!;
    if (candidate.connector === runnerUp.connector || !isTie(winner, candidate)) continue;
    if (tied?.some((other) => other.connector === candidate.connector)) continue;
    (tied ??= []).push(candidate);
  }
  return tied?.sort((a, b) => a.connector - b.connector);
}

/** The sweep with the open ranges in heaps (OpenRanges): O(n log n) however deeply they nest. */
export function heapSweep(starts: readonly Candidate[], ends: ArrayLike<Bound>, visit: SegmentVisitor): void {
  const points = mergeDistinct(starts, ends);
  const open = new OpenRanges();
  let next = 0;
  for (let index = 0; index < points.length - 1; index++) {
    const first = points[index]!;
    while (next < starts.length && starts[next]!.first <= first) open.add(starts[next++]!);
    const winner = open.leaders(first);
    if (winner) visit(first, segmentEnd(points[index + 1]!, winner), winner, open.runnerUp, open.alsoTied);
  }
}

/**
 * The last address before the next point. A segment that ends where its winning range ends keeps that range's own
 * BigInt (IPv6): most segments do.
 */
function segmentEnd(nextPoint: Bound, winner: Candidate): Bound {
  const last = minusOne(nextPoint);
  return last === winner.last ? winner.last : last;
}

/** The starts (sorted candidates) and the ends (sorted), in one sorted list, each value once. */
function mergeDistinct(starts: readonly Candidate[], ends: ArrayLike<Bound>): Bound[] {
  const merged: Bound[] = [];
  let i = 0;
  let j = 0;
  while (i < starts.length || j < ends.length) {
    const next =
      j >= ends.length || (i < starts.length && starts[i]!.first <= ends[j]!)
        ? starts[i++]!.first
        : ends[j++]!;
    if (merged.length === 0 || merged[merged.length - 1] !== next) merged.push(next);
  }
  return merged;
}

/** A connector's best open range as published to the ranking of connectors; stale once it is replaced. */
interface Published {
  candidate: Candidate;
}

interface ConnectorRanges {
  open: MinHeap<Candidate>;
  published: Published | null;
}

/**
 * The ranges open at the sweep's point, kept so that the best one and the best one of another connector cost
 * O(log n) however many ranges one connector holds: each connector has a heap of its own ranges, and a heap of
 * connectors holds each one's best. Entries of that heap go stale when a better range of the connector opens or
 * its best closes; stale entries are dropped when they reach the top. Every range is added and removed once, and
 * every change of a connector's best publishes one entry, so a sweep costs O(n log n) in all.
 */
class OpenRanges {
  private readonly connectors = new Map<number, ConnectorRanges>();
  private readonly ranking = new MinHeap<Published>((a, b) => better(a.candidate, b.candidate));

  add(candidate: Candidate): void {
    const id = candidate.connector;
    let own = this.connectors.get(id);
    if (!own) {
      own = { open: new MinHeap<Candidate>(better), published: null };
      this.connectors.set(id, own);
    }
    own.open.push(candidate);
    if (own.open.peek() === candidate) this.publish(own);
  }

  /** The best one of another connector at the point of the last `leaders` call. */
  runnerUp: Candidate | undefined = undefined;

  /** At that point, the ranges of further connectors that tie with the winner (SegmentVisitor). */
  alsoTied: Candidate[] | undefined = undefined;

  /**
   * The best range open at `point`; the best one of any other connector is left in `runnerUp` (a field, not a
   * pair returned: two million segments made two million pairs).
   */
  leaders(point: Bound): Candidate | undefined {
    const winner = this.top(point);
    this.alsoTied = undefined;
    if (!winner) {
      this.runnerUp = undefined;
      return undefined;
    }
    this.ranking.pop();
    const runnerUp = this.top(point);
    this.runnerUp = runnerUp?.candidate;
    if (runnerUp && isTie(winner.candidate, runnerUp.candidate)) this.collectTied(point, winner, runnerUp);
    this.ranking.push(winner);
    return winner.candidate;
  }

  /**
   * Every connector's best range is published once in the ranking, so the connectors tied after the runner-up
   * are the next valid tops: taken off to be seen, then put back.
   */
  private collectTied(point: Bound, winner: Published, runnerUp: Published): void {
    const taken = [runnerUp];
    this.ranking.pop();
    for (
      let next = this.top(point);
      next && isTie(winner.candidate, next.candidate);
      next = this.top(point)
    ) {
      taken.push(next);
      this.ranking.pop();
    }
    if (taken.length > 1) this.alsoTied = taken.slice(1).map((entry) => entry.candidate);
    for (const entry of taken) this.ranking.push(entry);
  }

  private publish(own: ConnectorRanges): void {
    const best = own.open.peek();
    own.published = best ? { candidate: best } : null;
    if (own.published) this.ranking.push(own.published);
  }

  /** The valid top entry of the ranking at `point`, after dropping stale entries and closed ranges. */
  private top(point: Bound): Published | undefined {
    for (;;) {
      const entry = this.ranking.peek();
      if (!entry) return undefined;
      const own = this.connectors.get(entry.candidate.connector) as ConnectorRanges;
      if (own.published !== entry) {
        this.ranking.pop();
        continue;
      }
      if (entry.candidate.last >= point) return entry;
      this.ranking.pop();
      while (own.open.size > 0 && (own.open.peek() as Candidate).last < point) own.open.pop();
      this.publish(own);
    }
  }
}
