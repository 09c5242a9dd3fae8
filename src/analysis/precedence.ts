/**
 * Which connector really receives each remote address (exchange-domain.md §3.1). Per server, transport role,
 * port and address family, every enabled connector's ranges compete: the smallest range containing the address
 * wins; on equal size a connector bound to the specific local IP beats one bound to the wildcard; an exact tie
 * between two connectors of the same kind is decided by AD enumeration order, which is undocumented (ambiguous).
 * Computed with a sweep over range endpoints and a heap of open ranges: O(n log n) per listener.
 */

import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { MinHeap } from './min-heap.js';

/** One RemoteIPRanges entry of one enabled connector on one of its bindings. */
export interface ListenerEntry {
  /** Index of the connector in the caller's list; also its AD enumeration order. */
  connector: number;
  /** Local address of the binding; null for the wildcard (0.0.0.0 or [::]). */
  localAddress: bigint | null;
  first: bigint;
  last: bigint;
}

export interface Listener {
  server: string;
  transportRole: string;
  port: number;
  family: IpFamily;
  entries: ListenerEntry[];
}

/** Where a set of addresses was decided: a listener, and the local address when it is a specific binding. */
export interface ListenerContext {
  server: string;
  transportRole: string;
  port: number;
  family: IpFamily;
  localAddress: bigint | null;
}

export interface Tie {
  context: ListenerContext;
  /** The connectors tied, in enumeration order: the first one receives the mail today. */
  connectors: [number, number];
  addresses: IntervalSet;
}

/** Addresses `winner` receives that `from` would receive if `winner` did not exist. */
export interface Capture {
  context: ListenerContext;
  winner: number;
  from: number;
  addresses: IntervalSet;
}

export interface PrecedenceResult {
  /** Per connector and family, the addresses it actually receives on some listener. */
  effective: Map<number, Record<IpFamily, IntervalSet>>;
  ties: Tie[];
  captures: Capture[];
}

interface Candidate {
  entry: ListenerEntry;
  size: bigint;
  specific: boolean;
}

/** Exchange's preference: smaller range, then specific binding, then enumeration order. */
function better(a: Candidate, b: Candidate): boolean {
  if (a.size !== b.size) return a.size < b.size;
  if (a.specific !== b.specific) return a.specific;
  return a.entry.connector < b.entry.connector;
}

function isTie(a: Candidate, b: Candidate): boolean {
  return a.size === b.size && a.specific === b.specific && a.entry.connector !== b.entry.connector;
}

interface Segment {
  first: bigint;
  last: bigint;
  winner: Candidate;
  runnerUp: Candidate | undefined;
}

/** Sweep one context's candidates into segments, each with its winner and the best other connector. */
export function sweep(candidates: readonly Candidate[]): Segment[] {
  const starts = [...candidates].sort((a, b) =>
    a.entry.first < b.entry.first ? -1 : a.entry.first > b.entry.first ? 1 : 0,
  );
  const boundaries = new Set<bigint>();
  for (const candidate of candidates) {
    boundaries.add(candidate.entry.first);
    boundaries.add(candidate.entry.last + 1n);
  }
  const points = [...boundaries].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const open = new MinHeap<Candidate>(better);
  const segments: Segment[] = [];
  let next = 0;
  for (let index = 0; index < points.length - 1; index++) {
    const first = points[index] as bigint;
    const last = (points[index + 1] as bigint) - 1n;
    while (next < starts.length && (starts[next] as Candidate).entry.first <= first)
      open.push(starts[next++] as Candidate);
    dropClosed(open, first);
    const winner = open.pop();
    if (!winner) continue;
    dropClosed(open, first);
    const runnerUp = bestOtherConnector(open, winner, first);
    open.push(winner);
    segments.push({ first, last, winner, runnerUp });
  }
  return segments;
}

function dropClosed(open: MinHeap<Candidate>, point: bigint): void {
  while (open.size > 0 && (open.peek() as Candidate).entry.last < point) open.pop();
}

/** The best open candidate of a different connector (the same connector may hold nested ranges). */
function bestOtherConnector(
  open: MinHeap<Candidate>,
  winner: Candidate,
  point: bigint,
): Candidate | undefined {
  const setAside: Candidate[] = [];
  let found: Candidate | undefined;
  while (open.size > 0) {
    const candidate = open.pop() as Candidate;
    if (candidate.entry.last < point) continue;
    setAside.push(candidate);
    if (candidate.entry.connector !== winner.entry.connector) {
      found = candidate;
      break;
    }
  }
  for (const candidate of setAside) open.push(candidate);
  return found;
}

export function resolvePrecedence(listeners: readonly Listener[]): PrecedenceResult {
  const effectiveIntervals = new Map<number, Record<IpFamily, Array<[bigint, bigint]>>>();
  const ties: Tie[] = [];
  const captures: Capture[] = [];

  for (const listener of listeners) {
    for (const localAddress of contextsOf(listener)) {
      const context: ListenerContext = { ...listenerKey(listener), localAddress };
      const segments = sweep(candidatesFor(listener, localAddress));
      const tieIntervals = new Map<
        string,
        { connectors: [number, number]; intervals: Array<[bigint, bigint]> }
      >();
      const captureIntervals = new Map<
        string,
        { winner: number; from: number; intervals: Array<[bigint, bigint]> }
      >();
      for (const segment of segments) {
        const winner = segment.winner.entry.connector;
        appendInterval(familyIntervals(effectiveIntervals, winner)[listener.family], segment);
        const runnerUp = segment.runnerUp;
        if (!runnerUp) continue;
        const from = runnerUp.entry.connector;
        if (isTie(segment.winner, runnerUp)) {
          const key = `${winner}:${from}`;
          const tie = tieIntervals.get(key) ?? { connectors: [winner, from], intervals: [] };
          appendInterval(tie.intervals, segment);
          tieIntervals.set(key, tie);
        } else {
          const key = `${winner}:${from}`;
          const capture = captureIntervals.get(key) ?? { winner, from, intervals: [] };
          appendInterval(capture.intervals, segment);
          captureIntervals.set(key, capture);
        }
      }
      for (const tie of tieIntervals.values())
        ties.push({ context, connectors: tie.connectors, addresses: IntervalSet.of(tie.intervals) });
      for (const capture of captureIntervals.values())
        captures.push({
          context,
          winner: capture.winner,
          from: capture.from,
          addresses: IntervalSet.of(capture.intervals),
        });
    }
  }

  const effective = new Map<number, Record<IpFamily, IntervalSet>>();
  for (const [connector, byFamily] of effectiveIntervals)
    effective.set(connector, { 4: IntervalSet.of(byFamily[4]), 6: IntervalSet.of(byFamily[6]) });
  return { effective, ties, captures };
}

function listenerKey(listener: Listener): Omit<ListenerContext, 'localAddress'> {
  return {
    server: listener.server,
    transportRole: listener.transportRole,
    port: listener.port,
    family: listener.family,
  };
}

/**
 * A connection reaches the server on some local address. Each specific binding address is one context (its own
 * connectors plus the wildcard ones); every other local address (null) sees only the wildcard connectors.
 */
function contextsOf(listener: Listener): Array<bigint | null> {
  const specific = new Set<bigint>();
  for (const entry of listener.entries) if (entry.localAddress !== null) specific.add(entry.localAddress);
  return [null, ...specific];
}

function candidatesFor(listener: Listener, localAddress: bigint | null): Candidate[] {
  const candidates: Candidate[] = [];
  for (const entry of listener.entries) {
    if (entry.localAddress !== null && entry.localAddress !== localAddress) continue;
    candidates.push({ entry, size: entry.last - entry.first + 1n, specific: entry.localAddress !== null });
  }
  return candidates;
}

function familyIntervals(
  map: Map<number, Record<IpFamily, Array<[bigint, bigint]>>>,
  connector: number,
): Record<IpFamily, Array<[bigint, bigint]>> {
  let byFamily = map.get(connector);
  if (!byFamily) {
    byFamily = { 4: [], 6: [] };
    map.set(connector, byFamily);
  }
  return byFamily;
}

/** Segments arrive in ascending order within a context, so adjacent ones can be merged in place. */
function appendInterval(intervals: Array<[bigint, bigint]>, segment: { first: bigint; last: bigint }): void {
  const previous = intervals[intervals.length - 1];
  if (previous && previous[1] + 1n === segment.first) previous[1] = segment.last;
  else intervals.push([segment.first, segment.last]);
}
