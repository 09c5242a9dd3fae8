import { describe, expect, it } from '@jest/globals';
import { heapSweep, scanSweep, sweepSegments, type Candidate } from '../../src/analysis/segment-sweep.js';
import { compareBounds, plusOne, type Bound } from '../../src/net/bound.js';
import { randomInt, seededRandom } from '../net/seeded-random.js';

type Visit = [Bound, Bound, Candidate, Candidate | undefined, readonly Candidate[] | undefined];

function sorted(candidates: Candidate[]): [Candidate[], Bound[]] {
  const starts = [...candidates].sort((a, b) => compareBounds(a.first, b.first));
  const ends = candidates.map((candidate) => plusOne(candidate.last)).sort(compareBounds);
  return [starts, ends];
}

function visits(sweep: typeof scanSweep, candidates: Candidate[]): Visit[] {
  const seen: Visit[] = [];
  sweep(...sorted(candidates), (first, last, winner, runnerUp, alsoTied) =>
    seen.push([first, last, winner, runnerUp, alsoTied]),
  );
  return seen;
}

/** Random candidates on 0..63, as numbers in even rounds and BigInts in odd ones; `nested` stacks many ranges. */
function randomCandidates(round: number, random: (limit: number) => number, nested: boolean): Candidate[] {
  const candidates: Candidate[] = [];
  const count = nested ? 30 + random(40) : 1 + random(12);
  for (let index = 0; index < count; index++) {
    const first = nested ? random(8) : random(60);
    const last = nested ? 56 + random(8) : first + random(64 - first);
    const wide = round % 2 === 1;
    candidates.push({
      connector: random(4),
      localAddress: random(3) === 0 ? 1000n : null,
      first: wide ? BigInt(first) : first,
      last: wide ? BigInt(last) : last,
      size: wide ? BigInt(last - first + 1) : last - first + 1,
    });
  }
  return candidates;
}

describe('the segment sweep', () => {
  it('finds the same segments, winners and runners-up by scanning as with heaps', () => {
    const next = seededRandom(777);
    const random = (limit: number) => randomInt(next, 0, limit - 1);
    let segments = 0;
    let threeWay = 0;
    for (let round = 0; round < 400; round++) {
      const candidates = randomCandidates(round, random, round % 4 >= 2);
      const scanned = visits(scanSweep, candidates);
      const heaped = visits(heapSweep, candidates);
      // A connector's equally good ranges are interchangeable: compared by what the caller reads of them.
      const view = ([first, last, winner, runnerUp, alsoTied]: Visit) => [
        first,
        last,
        winner.connector,
        winner.size,
        winner.localAddress === null,
        runnerUp?.connector,
        runnerUp?.size,
        runnerUp?.localAddress === null,
        alsoTied?.map((tied) => [tied.connector, tied.size, tied.localAddress === null]),
      ];
      expect(scanned.map(view)).toEqual(heaped.map(view));
      segments += scanned.length;
      threeWay += scanned.filter((visit) => visit[4] !== undefined).length;
    }
    expect(segments).toBeGreaterThan(4000);
    // Ties of three connectors or more really occurred, and both sweeps listed the same ones.
    expect(threeWay).toBeGreaterThan(50);
  });

  it('sorts number bounds as the sort builtin does, stably, also beyond 2^32 (where it falls back to it)', () => {
    const next = seededRandom(4242);
    const random = (limit: number) => randomInt(next, 0, limit - 1);
    for (let round = 0; round < 200; round++) {
      // Even rounds only: number bounds. Every other one is moved past 2^32, beyond the packed sort keys.
      const offset = round % 4 === 2 ? 2 ** 40 : 0;
      const candidates: Candidate[] = randomCandidates(2 * round, random, round % 8 >= 4).map(
        (candidate) => ({
          ...candidate,
          first: (candidate.first as number) + offset,
          last: (candidate.last as number) + offset,
        }),
      );
      const seen: Visit[] = [];
      sweepSegments([...candidates], (first, last, winner, runnerUp, alsoTied) =>
        seen.push([first, last, winner, runnerUp, alsoTied]),
      );
      const expected = visits(round % 8 >= 4 ? heapSweep : scanSweep, candidates);
      // The same candidate objects win, as with the builtin's stable order (equal ranges are separate objects).
      const which = ([first, last, winner, runnerUp]: Visit) => [
        first,
        last,
        candidates.indexOf(winner),
        runnerUp === undefined ? -1 : candidates.indexOf(runnerUp),
      ];
      expect(seen.map(which)).toEqual(expected.map(which));
    }
  });

  it('sweeps deeply nested ranges with heaps and shallow ones by scanning, with the same answers', () => {
    const deep: Candidate[] = Array.from({ length: 200 }, (_, index) => ({
      connector: index % 3,
      localAddress: null,
      first: index,
      last: 1000 - index,
      size: 1001 - 2 * index,
    }));
    const seen: Visit[] = [];
    sweepSegments([...deep], (first, last, winner, runnerUp, alsoTied) =>
      seen.push([first, last, winner, runnerUp, alsoTied]),
    );
    expect(seen).toEqual(visits(heapSweep, deep));
    // The innermost range wins its own addresses; the next one, of another connector, is the runner-up.
    const middle = seen.find(([first]) => first === 199);
    expect(middle?.[2].first).toBe(199);
    expect(middle?.[3]?.first).toBe(198);
  });
});
